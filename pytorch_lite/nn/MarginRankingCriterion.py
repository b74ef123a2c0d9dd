"""nn.MarginRankingCriterion(margin=0): max(0, -y (x1 - x2) + margin) on {x1, x2}."""
import numpy as np

from ..tensor import Tensor
from .Criterion import Criterion
from ..cuda.device import array_module as _xp


class MarginRankingCriterion(Criterion):
    def __init__(self, margin=0):
        super().__init__()
        self.margin = margin
        self.sizeAverage = True
        self.gradInput = [Tensor(), Tensor()]

    def _y(self, input, y):
        if isinstance(y, Tensor):
            return y._a.reshape(-1).astype(np.float64)
        return _xp(input[0]._a).asarray([float(y)])   # where the input lives

    def updateOutput(self, input, y):
        x1 = input[0]._a.reshape(-1).astype(np.float64)
        x2 = input[1]._a.reshape(-1).astype(np.float64)
        t = self._y(input, y)
        s = float(np.sum(np.maximum(0, -t * (x1 - x2) + self.margin)))
        if self.sizeAverage and isinstance(y, Tensor) and input[0].nElement() > 1:
            s /= t.size
        self.output = s
        return self.output

    def updateGradInput(self, input, y):
        x1 = input[0]._a.reshape(-1).astype(np.float64)
        x2 = input[1]._a.reshape(-1).astype(np.float64)
        t = self._y(input, y)
        active = (-t * (x1 - x2) + self.margin) > 0
        g = np.where(active, -t, 0.0)
        if self.sizeAverage and isinstance(y, Tensor) and input[0].nElement() > 1:
            g = g / t.size
        g0 = self.gradInput[0] if self.gradInput else input[0].new()
        g1 = self.gradInput[1] if len(self.gradInput) > 1 else input[1].new()
        g0.resizeAs(input[0])
        g1.resizeAs(input[1])
        np.copyto(g0._a, g.reshape(g0._a.shape))
        np.copyto(g1._a, -g.reshape(g1._a.shape))
        self.gradInput = [g0, g1]
        return self.gradInput
