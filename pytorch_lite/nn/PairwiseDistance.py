"""nn.PairwiseDistance(p): row-wise p-norm distance ||a - b||_p of a table {a, b}."""
import numpy as np

from ..errors import TorchValueError
from .Module import Module


class PairwiseDistance(Module):
    def __init__(self, p):
        super().__init__()
        if not (isinstance(p, (int, float)) and p > 0):
            raise TorchValueError("nn.PairwiseDistance: p must be positive")
        self.norm = p
        self.gradInput = [self.output.new(), self.output.new()]

    def _diff(self, input):
        a = input[0]._a
        d = a - input[1]._a.reshape(a.shape)
        return d.reshape(1, -1) if d.ndim == 1 else d

    def updateOutput(self, input):
        d = self._diff(input)
        p = self.norm
        if p == 1:
            r = np.sum(np.abs(d), 1)
        elif p == 2:
            r = np.sqrt(np.sum(d * d, 1))
        else:
            r = np.sum(np.abs(d) ** p, 1) ** (1.0 / p)
        self.output.resize(r.shape[0])
        self.output._a[...] = r
        return self.output

    def updateGradInput(self, input, gradOutput):
        d = self._diff(input)
        p = self.norm
        if p == 1:
            g = np.sign(d)
        else:
            g = d * np.abs(d) ** (p - 2) if p > 2 else d.copy()
            g = g * ((self.output._a.reshape(-1, 1) + 1e-6) ** (-(p - 1)))
        g = g * gradOutput._a.reshape(-1, 1)
        have = list(self.gradInput) + [None, None]   # clearState leaves an empty table
        gi = [t if type(t) is type(x) else x.new() for t, x in zip(have, input)]
        gi[0].resizeAs(input[0])
        gi[1].resizeAs(input[1])
        gi[0]._a[...] = g.reshape(gi[0]._a.shape)
        gi[1]._a[...] = -g.reshape(gi[1]._a.shape)
        self.gradInput = gi
        return gi
