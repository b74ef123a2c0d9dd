"""nn.CosineEmbeddingCriterion(margin=0, sizeAverage=True): on {x1, x2} and y = +-1,
1 - cos(x1, x2) for y = 1 and max(0, cos(x1, x2) - margin) for y = -1."""
import numpy as np

from ..tensor import Tensor
from .Criterion import Criterion
from ..cuda.device import array_module as _xp

EPS = 1e-12


class CosineEmbeddingCriterion(Criterion):
    def __init__(self, margin=0, sizeAverage=True):
        super().__init__()
        self.margin = margin
        self.gradInput = [Tensor(), Tensor()]
        self.sizeAverage = sizeAverage

    def _parts(self, input, y):
        a = input[0]._a
        a = a.reshape(1, -1) if a.ndim == 1 else a
        b = input[1]._a.reshape(a.shape)
        t = y._a.reshape(-1) if isinstance(y, Tensor) else _xp(a).asarray([float(y)])   # where a lives
        dot = np.sum(a * b, 1)
        w22 = 1 / (np.sum(a * a, 1) + EPS)
        w32 = 1 / (np.sum(b * b, 1) + EPS)
        w = np.sqrt(w22 * w32)
        cos = dot * w
        out = np.where(t == -1, cos - self.margin, np.where(t == 1, 1 - cos, cos))
        out = np.maximum(out, 0)
        return a, b, t, dot, w22, w32, w, out

    def updateOutput(self, input, y):
        a, b, t, dot, w22, w32, w, out = self._parts(input, y)
        s = float(np.sum(out))
        if self.sizeAverage:
            s /= t.size
        self.output = s
        return s

    def updateGradInput(self, input, y):
        a, b, t, dot, w22, w32, w, out = self._parts(input, y)
        g1 = (b - (dot * w22)[:, None] * a) * w[:, None]
        g2 = (a - (dot * w32)[:, None] * b) * w[:, None]
        dead = (out <= 0)[:, None]
        g1 = np.where(dead, 0, g1)
        g2 = np.where(dead, 0, g2)
        pos = (t == 1)[:, None]
        g1 = np.where(pos, -g1, g1)
        g2 = np.where(pos, -g2, g2)
        if self.sizeAverage:
            g1, g2 = g1 / t.size, g2 / t.size
        gi = self.gradInput if isinstance(self.gradInput, list) and len(self.gradInput) == 2 else [Tensor(), Tensor()]
        gi = [g if type(g) is type(x) else x.new() for g, x in zip(gi, input)]
        for g, x, v in zip(gi, input, (g1, g2)):
            g.resizeAs(x)
            np.copyto(g._a, v.reshape(g._a.shape))
        self.gradInput = gi
        return gi
