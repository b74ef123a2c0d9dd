"""nn.AbsCriterion(sizeAverage=True): mean (or sum) of absolute differences."""
import numpy as np

from .Criterion import Criterion
from . import utils


class AbsCriterion(Criterion):
    def __init__(self, sizeAverage=True):
        super().__init__()
        self.sizeAverage = sizeAverage

    def updateOutput(self, input, target):
        d = utils.diff(self, input, target)
        s = float(np.sum(np.abs(d)))
        self.output = s / d.size if self.sizeAverage else s
        return self.output

    def updateGradInput(self, input, target):
        d = utils.diff(self, input, target)
        norm = d.dtype.type(1.0 / d.size if self.sizeAverage else 1.0)
        self.gradInput.resizeAs(input)
        np.copyto(self.gradInput._a, np.where(d >= 0, norm, -norm))
        return self.gradInput
