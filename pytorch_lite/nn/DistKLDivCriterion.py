"""nn.DistKLDivCriterion(sizeAverage=True): KL divergence; input holds log-probabilities."""
import numpy as np

from .Criterion import Criterion
from . import utils


class DistKLDivCriterion(Criterion):
    def __init__(self, sizeAverage=True):
        super().__init__()
        self.sizeAverage = sizeAverage

    def updateOutput(self, input, target):
        utils.diff(self, input, target)
        x, t = input._a, target._a.reshape(input._a.shape)
        with np.errstate(divide="ignore", invalid="ignore"):
            s = float(np.sum(np.where(t > 0, t * (np.log(np.where(t > 0, t, 1)) - x), 0)))
        self.output = s / x.size if self.sizeAverage else s
        return self.output

    def updateGradInput(self, input, target):
        x, t = input._a, target._a.reshape(input._a.shape)
        norm = x.dtype.type(1.0 / x.size if self.sizeAverage else 1.0)
        self.gradInput.resizeAs(input)
        np.copyto(self.gradInput._a, np.where(t > 0, -norm * t, 0))
        return self.gradInput
