"""nn.CosineDistance(): row-wise cosine similarity of a table {a, b} (eps 1e-12 in the norms)."""
import numpy as np

from .Module import Module

EPS = 1e-12


class CosineDistance(Module):
    def __init__(self):
        super().__init__()
        self.gradInput = [self.output.new(), self.output.new()]

    def _parts(self, input):
        a = input[0]._a
        a = a.reshape(1, -1) if a.ndim == 1 else a
        b = input[1]._a.reshape(a.shape)
        w1 = np.sum(a * b, 1)
        w22 = 1 / (np.sum(a * a, 1) + EPS)
        w32 = 1 / (np.sum(b * b, 1) + EPS)
        w = np.sqrt(w22 * w32)
        return a, b, w1, w22, w32, w

    def updateOutput(self, input):
        a, b, w1, w22, w32, w = self._parts(input)
        self.output.resize(a.shape[0])
        self.output._a[...] = w1 * w
        return self.output

    def updateGradInput(self, input, gradOutput):
        a, b, w1, w22, w32, w = self._parts(input)
        go = gradOutput._a.reshape(-1, 1)
        g1 = (b - (w1 * w22)[:, None] * a) * w[:, None] * go
        g2 = (a - (w1 * w32)[:, None] * b) * w[:, None] * go
        have = list(self.gradInput) + [None] * 2   # clearState leaves an empty table
        gi = [t if type(t) is type(x) else x.new() for t, x in zip(have, input)]
        for t, x, v in zip(gi, input, (g1, g2)):
            t.resizeAs(x)
            t._a[...] = v.reshape(t._a.shape)
        self.gradInput = gi
        return gi
