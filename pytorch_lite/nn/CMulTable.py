"""nn.CMulTable(): elementwise product of a table of tensors."""
import numpy as np

from .. import _pointwise as kernels
from .Module import Module
from . import utils


class CMulTable(Module):
    def __init__(self):
        super().__init__()
        self.gradInput = []

    def updateOutput(self, input):
        if len(input) == 2:   # the common pair: one pass in C (the copy and product's bits)
            o = self.output.resizeAs(input[0])._a
            if kernels.mul(input[0]._a, input[1]._a.reshape(o.shape), o):
                return self.output
        self.output.resizeAs(input[0]).copy(input[0])
        o = self.output._a
        for t in input[1:]:
            o *= t._a.reshape(o.shape)
        return self.output

    def updateGradInput(self, input, gradOutput):
        gis = utils.table_grads(self, input)
        if len(gis) == 2:     # the common pair: gradOutput times the other input, in C (refused on overlap)
            go = gradOutput._a
            a, b = gis[0]._a, gis[1]._a
            if (go.shape == a.shape == b.shape and kernels.mul(go, input[1]._a.reshape(a.shape), a)
                    and kernels.mul(go, input[0]._a.reshape(b.shape), b)):
                return self.gradInput
        for i, g in enumerate(gis):
            go, ga = gradOutput._a.reshape(g._a.shape), g._a
            others = [t._a.reshape(ga.shape) for j, t in enumerate(input) if j != i]
            if others and go.dtype == ga.dtype and not any(np.may_share_memory(ga, a) for a in [go] + others):
                # straight into the buffer (nothing it overlaps is read): the same products in order
                np.multiply(go, others[0], out=ga)
                for a in others[1:]:
                    ga *= a
                continue
            a = go.copy()
            for o in others:
                a *= o
            ga[...] = a
        return self.gradInput

