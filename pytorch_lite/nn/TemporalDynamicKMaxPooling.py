"""nn.TemporalDynamicKMaxPooling(minK, factor=0): the k largest values of every feature along the
sequence of a 2D (nFrame x frameSize) or 3D (batch x nFrame x frameSize) input, kept in their
original order; k = max(minK, ceil(factor * nFrame)) (Kalchbrenner et al.'s dynamic k-max).
`indices` holds the 0-based frame of each kept value (1-based in a t7 file)."""
import math

import numpy as np

from ..cuda.device import array_module as _xp, to_host
from ..errors import TorchValueError
from ..tensor import LongTensor, Tensor
from .Module import Module
from . import utils


class TemporalDynamicKMaxPooling(Module):
    t7_index_fields = ("indices",)

    def __init__(self, minK, factor=0):
        super().__init__()
        self.minK = minK
        self.factor = factor or 0

    def _k(self, input):
        if not isinstance(input, Tensor) or input.dim() not in (2, 3):
            utils.bad_input(self, "a 2D (nFrame x frameSize) or 3D (batch x nFrame x frameSize) tensor", input)
        n = input._size[-2]
        k = max(self.minK, int(math.ceil(self.factor * n)))
        if n < self.minK or k > n:
            raise TorchValueError("%s: input sequence length (%d) too small for desired k value (%d)"
                                  % (self.typename, n, k))
        return k

    def updateOutput(self, input):
        k = self._k(input)
        x = input._a
        order = np.argsort(-x, axis=-2, kind="stable")
        idx = np.sort(order.take(np.arange(k), axis=-2), axis=-2)
        self.indices = LongTensor(to_host(idx))   # a LongTensor, as for the other pooling modules
        self.output = input.new(*idx.shape)
        self.output._a[...] = np.take_along_axis(x, idx, axis=-2)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        idx = self.indices._a
        if gradOutput._size != tuple(idx.shape):
            raise TorchValueError("%s: gradOutput should be of size %s, got %s"
                                  % (self.typename, "x".join(map(str, idx.shape)), utils.shape_str(gradOutput)))
        xp = _xp(gradOutput._a)
        g = xp.zeros(input._size, input._a.dtype)
        np.put_along_axis(g, xp.asarray(idx), gradOutput._a, axis=-2)
        self.gradInput = self.gradInput if type(self.gradInput) is type(input) else input.new()
        self.gradInput.resize(*input._size)
        self.gradInput._a[...] = g
        return self.gradInput

    def clearState(self):
        utils.clear(self, "indices")
        return super().clearState()
