"""nn.HingeEmbeddingCriterion(margin=1, sizeAverage=True): x for y=1, max(0, margin-x) for y=-1."""
import numpy as np

from .Criterion import Criterion
from . import utils


class HingeEmbeddingCriterion(Criterion):
    def __init__(self, margin=1, sizeAverage=True):
        super().__init__()
        self.margin = margin
        self.sizeAverage = sizeAverage

    def _t(self, input, target):
        if isinstance(target, (int, float)):
            return np.full(input._a.shape, float(target))
        utils.diff(self, input, target)
        return target._a.reshape(input._a.shape)

    def updateOutput(self, input, target):
        x, t = input._a, self._t(input, target)
        s = float(np.sum(np.where(t == 1, x, 0)) + np.sum(np.where(t == -1, np.maximum(0, self.margin - x), 0)))
        self.output = s / x.size if self.sizeAverage else s
        return self.output

    def updateGradInput(self, input, target):
        x, t = input._a, self._t(input, target)
        g = np.where(t == 1, 1.0, 0.0) - np.where((t == -1) & (self.margin - x > 0), 1.0, 0.0)
        if self.sizeAverage:
            g = g / x.size
        self.gradInput.resizeAs(input)
        np.copyto(self.gradInput._a, g)
        return self.gradInput
