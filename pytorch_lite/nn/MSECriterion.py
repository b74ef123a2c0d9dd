"""nn.MSECriterion(sizeAverage=True): mean (or sum) of squared differences."""
import numpy as np

from .Criterion import Criterion
from . import utils


class MSECriterion(Criterion):
    def __init__(self, sizeAverage=True):
        super().__init__()
        self.sizeAverage = sizeAverage

    def updateOutput(self, input, target):
        d = utils.diff(self, input, target)
        s = float(np.sum(d * d))
        self.output = s / d.size if self.sizeAverage else s
        return self.output

    def updateGradInput(self, input, target):
        d = utils.diff(self, input, target)
        norm = 2.0 / d.size if self.sizeAverage else 2.0
        self.gradInput.resizeAs(input)
        np.multiply(d, d.dtype.type(norm), out=self.gradInput._a)
        return self.gradInput
