"""nn.HingeEmbeddingCriterion(margin=1, sizeAverage=True): x for y=1, max(0, margin-x) for y=-1."""
import numpy as np

from ._criterion import SizeAveraged
from ..cuda.device import array_module as _xp


class HingeEmbeddingCriterion(SizeAveraged):
    def __init__(self, margin=1, sizeAverage=True):
        super().__init__(sizeAverage, margin=margin)

    def _t(self, input, target):
        if isinstance(target, (int, float)):
            return _xp(input._a).full(input._a.shape, float(target))   # where the input lives
        return self._pair(input, target)[1]

    def updateOutput(self, input, target):
        x, t = input._a, self._t(input, target)
        s = float(np.sum(np.where(t == 1, x, 0)) + np.sum(np.where(t == -1, np.maximum(0, self.margin - x), 0)))
        self.output = self._average(s, x.size)
        return self.output

    def updateGradInput(self, input, target):
        x, t = input._a, self._t(input, target)
        g = np.where(t == 1, 1.0, 0.0) - np.where((t == -1) & (self.margin - x > 0), 1.0, 0.0)
        return self._set_gradInput(input, g, x.size)
