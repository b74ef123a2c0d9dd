"""nn.DotProduct(): row-wise dot products of a table {a, b}."""
import numpy as np

from .Module import Module


class DotProduct(Module):
    def __init__(self):
        super().__init__()
        self.gradInput = [self.output.new(), self.output.new()]

    def updateOutput(self, input):
        a, b = input[0]._a, input[1]._a.reshape(input[0]._a.shape)
        a2 = a.reshape(1, -1) if a.ndim == 1 else a
        r = np.sum(a2 * b.reshape(a2.shape), axis=1)
        self.output.resize(r.shape[0])
        self.output._a[...] = r
        return self.output

    def updateGradInput(self, input, gradOutput):
        a, b = input[0]._a, input[1]._a.reshape(input[0]._a.shape)
        g = gradOutput._a.reshape(-1)
        g = g[:, None] if a.ndim == 2 else g
        have = list(self.gradInput) + [None, None]   # clearState leaves an empty table
        gi = [t if type(t) is type(x) else x.new() for t, x in zip(have, input)]
        gi[0].resizeAs(input[0])
        gi[1].resizeAs(input[1])
        gi[0]._a[...] = b * g
        gi[1]._a[...] = (a * g).reshape(gi[1]._a.shape)
        self.gradInput = gi
        return gi
