"""nn.MarginCriterion(margin=1, sizeAverage=True): two-class hinge loss, targets +-1."""
import numpy as np

from .Criterion import Criterion
from . import utils


class MarginCriterion(Criterion):
    def __init__(self, margin=1, sizeAverage=True):
        super().__init__()
        self.margin = margin
        self.sizeAverage = sizeAverage

    def updateOutput(self, input, target):
        utils.diff(self, input, target)
        x, t = input._a, target._a.reshape(input._a.shape)
        s = float(np.sum(np.maximum(0, self.margin - x * t)))
        self.output = s / x.size if self.sizeAverage else s
        return self.output

    def updateGradInput(self, input, target):
        x, t = input._a, target._a.reshape(input._a.shape)
        norm = 1.0 / x.size if self.sizeAverage else 1.0
        self.gradInput.resizeAs(input)
        np.copyto(self.gradInput._a, np.where(x * t < self.margin, -norm * t, 0))
        return self.gradInput
