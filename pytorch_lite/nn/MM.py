"""nn.MM(transA=False, transB=False): matrix product of a table {A, B} (or batches of them)."""
import numpy as np

from .Module import Module
from . import utils


class MM(Module):
    def __init__(self, transA=False, transB=False):
        super().__init__()
        self.transA = transA
        self.transB = transB
        self.gradInput = [self.output.new(), self.output.new()]

    def _ab(self, input):
        if not isinstance(input, (list, tuple)) or len(input) != 2:
            utils.bad_input(self, "a table of two matrices (or two 3D batches)", input)
        a, b = input[0]._a, input[1]._a
        if a.ndim not in (2, 3) or a.ndim != b.ndim:
            utils.bad_input(self, "two 2D or two 3D tensors", input)
        if self.transA:
            a = np.swapaxes(a, -1, -2)
        if self.transB:
            b = np.swapaxes(b, -1, -2)
        if a.shape[-1] != b.shape[-2]:
            utils.bad_input(self, "matrix sizes that match for a product", input)
        return a, b

    def updateOutput(self, input):
        a, b = self._ab(input)
        r = a @ b
        self.output.resize(*r.shape)
        self.output._a[...] = r
        return self.output

    def updateGradInput(self, input, gradOutput):
        a, b = self._ab(input)
        g = gradOutput._a
        ga = g @ np.swapaxes(b, -1, -2)
        gb = np.swapaxes(a, -1, -2) @ g
        if self.transA:
            ga = np.swapaxes(ga, -1, -2)
        if self.transB:
            gb = np.swapaxes(gb, -1, -2)
        have = list(self.gradInput) + [None, None]   # clearState leaves an empty table
        gi = [t if isinstance(t, type(x)) and type(t) is type(x) else x.new() for t, x in zip(have, input)]
        for t, x, v in zip(gi, input, (ga, gb)):
            t.resizeAs(x)
            t._a[...] = v
        self.gradInput = gi
        return gi
