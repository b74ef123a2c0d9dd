"""nn.SoftMarginCriterion(sizeAverage=True): sum log(1 + exp(-y x)), targets +-1."""
import numpy as np

from .Criterion import Criterion
from . import utils


class SoftMarginCriterion(Criterion):
    def __init__(self, sizeAverage=True):
        super().__init__()
        self.sizeAverage = sizeAverage

    def updateOutput(self, input, target):
        utils.diff(self, input, target)
        x, t = input._a, target._a.reshape(input._a.shape)
        s = float(np.sum(np.log(1 + np.exp(-t * x))))
        self.output = s / x.size if self.sizeAverage else s
        return self.output

    def updateGradInput(self, input, target):
        x, t = input._a, target._a.reshape(input._a.shape)
        norm = 1.0 / x.size if self.sizeAverage else 1.0
        z = np.exp(-t * x)
        self.gradInput.resizeAs(input)
        np.copyto(self.gradInput._a, -t * z / (1 + z) * norm)
        return self.gradInput
