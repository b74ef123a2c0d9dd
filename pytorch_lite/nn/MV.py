"""nn.MV(trans=False): matrix-vector product of a table {M, v} (or batches of them)."""
import numpy as np

from .Module import Module
from . import utils


class MV(Module):
    def __init__(self, trans=False):
        super().__init__()
        self.trans = trans
        self.gradInput = [self.output.new(), self.output.new()]

    def updateOutput(self, input):
        m, v = input[0]._a, input[1]._a
        if not ((m.ndim == 2 and v.ndim == 1) or (m.ndim == 3 and v.ndim == 2)):
            utils.bad_input(self, "a table {matrix, vector} or a batch {3D, 2D}", input)
        if self.trans:
            m = np.swapaxes(m, -1, -2)
        r = np.matmul(m, v[..., None])[..., 0]
        self.output.resize(*r.shape)
        self.output._a[...] = r
        return self.output

    def updateGradInput(self, input, gradOutput):
        m, v = input[0]._a, input[1]._a
        g = gradOutput._a
        gm = g[..., :, None] * v[..., None, :]
        if self.trans:
            gm = np.swapaxes(gm, -1, -2)
        mm = np.swapaxes(m, -1, -2) if self.trans else m
        gv = np.matmul(np.swapaxes(mm, -1, -2), g[..., None])[..., 0]
        have = list(self.gradInput) + [None, None]   # clearState leaves an empty table
        gi = [t if type(t) is type(x) else x.new() for t, x in zip(have, input)]
        for t, x, val in zip(gi, input, (gm, gv)):
            t.resizeAs(x)
            t._a[...] = val
        self.gradInput = gi
        return gi
