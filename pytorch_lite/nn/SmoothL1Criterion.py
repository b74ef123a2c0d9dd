"""nn.SmoothL1Criterion(sizeAverage=True): Huber loss with threshold 1."""
import numpy as np

from .Criterion import Criterion
from . import utils


class SmoothL1Criterion(Criterion):
    def __init__(self, sizeAverage=True):
        super().__init__()
        self.sizeAverage = sizeAverage

    def updateOutput(self, input, target):
        d = np.abs(utils.diff(self, input, target))
        s = float(np.sum(np.where(d < 1, 0.5 * d * d, d - 0.5)))
        self.output = s / d.size if self.sizeAverage else s
        return self.output

    def updateGradInput(self, input, target):
        d = utils.diff(self, input, target)
        norm = d.dtype.type(1.0 / d.size if self.sizeAverage else 1.0)
        self.gradInput.resizeAs(input)
        np.copyto(self.gradInput._a, np.where(d < -1, -norm, np.where(d > 1, norm, norm * d)))
        return self.gradInput
