"""nn.MixtureTable(dim=None): input {gater, experts} -> sum_i gater[i] * expert_i.

gater is (batch x) nExperts; experts is a table of nExperts tensors (batch x ...), or one tensor
holding the experts along 0-based dimension ``dim`` (default 1 for a batch, 0 without one).
gradInput is {gradient of the gater, gradients of the experts (same structure)}.  A t7 file
holds ``dim`` 1-based; the t7 hooks convert."""
import numpy as np

from ..tensor import Tensor
from .Module import Module
from . import utils
from ..cuda.device import array_module as _xp


class MixtureTable(Module):
    t7_index_fields = ("dim",)
    dim = None

    def __init__(self, dim=None):
        super().__init__()
        self.dim = dim
        self.size = []
        self.batchSize = 0
        self.size2 = []
        self.backwardSetup = False
        self.gradInput = []

    def _unpack(self, input):
        if not utils.is_table(input) or len(input) != 2 or not isinstance(input[0], Tensor):
            utils.bad_input(self, "a table {gater, experts}", input)
        gater, experts = input
        if gater.dim() not in (1, 2):
            utils.bad_input(self, "a 1D or 2D (batch x nExperts) gater", gater)
        batch = gater.dim() == 2
        n = gater._size[-1]
        g = gater._a
        if utils.is_table(experts):
            if len(experts) != n:
                utils.bad_input(self, "one gater output per expert (%d experts)" % len(experts), gater)
            return g, experts, None, batch
        d = self.dim if self.dim is not None else (1 if batch else 0)
        if not isinstance(experts, Tensor) or experts.dim() <= d or experts._size[d] != n:
            utils.bad_input(self, "experts of size %d along dim %d" % (n, d), experts)
        return g, experts, d, batch

    def _gate_view(self, g, expert_ndim, d, batch):
        shape = [1] * expert_ndim
        if batch:
            shape[0] = g.shape[0]
        shape[d] = g.shape[-1]
        return g.reshape(shape)

    def updateOutput(self, input):
        g, experts, d, batch = self._unpack(input)
        if d is None:
            first = experts[0]
            if type(self.output) is not type(first):
                self.output = first.new()
            acc = _xp(first._a).zeros(first._a.shape)
            for i, e in enumerate(experts):
                gi = g[:, i].reshape((-1,) + (1,) * (e.dim() - 1)) if batch else g[i]
                acc = acc + gi * e._a
            self.output.resizeAs(first)
        else:
            x = experts._a
            acc = (self._gate_view(g, x.ndim, d, batch) * x).sum(axis=d)
            if type(self.output) is not type(experts):
                self.output = experts.new()
            self.output.resize(*acc.shape)
        self.output._a[...] = acc
        return self.output

    def updateGradInput(self, input, gradOutput):
        g, experts, d, batch = self._unpack(input)
        gater = input[0]
        go = gradOutput._a.reshape(self.output._a.shape)
        gg = gater.new().resizeAs(gater)
        if d is None:
            egs = []
            for i, e in enumerate(experts):
                ea = e._a
                prod = go * ea
                if batch:
                    gg._a[:, i] = prod.reshape(prod.shape[0], -1).sum(axis=1)
                    gi = g[:, i].reshape((-1,) + (1,) * (e.dim() - 1))
                else:
                    gg._a[i] = prod.sum()
                    gi = g[i]
                eg = e.new().resizeAs(e)
                eg._a[...] = gi * go
                egs.append(eg)
            self.gradInput = [gg, egs]
        else:
            x = experts._a
            gov = np.expand_dims(go, d)
            prod = gov * x
            axes = tuple(a for a in range(x.ndim) if a != d and not (batch and a == 0))
            gg._a[...] = prod.sum(axis=axes).reshape(gg._a.shape)
            eg = experts.new().resizeAs(experts)
            eg._a[...] = self._gate_view(g, x.ndim, d, batch) * gov
            self.gradInput = [gg, eg]
        return self.gradInput

    def clearState(self):
        utils.clear(self, "output", "_gaterView", "_expert", "_expertView", "_sum", "_expertView2")
        self.gradInput = []
        return self
