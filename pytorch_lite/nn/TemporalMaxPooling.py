"""nn.TemporalMaxPooling(kW, dW=kW): max over kW consecutive frames of a nInputFrame x
frameSize (or batch x nInputFrame x frameSize) input, per feature.  `indices` holds the 0-based
offset of the max inside its window, as THNN itself stores it (no conversion for t7 files)."""
from ..tensor import LongTensor
from .Module import Module
from . import utils
from . import _spatial as S


class TemporalMaxPooling(S.MaxIndices, Module):
    def __init__(self, kW, dW=None):
        super().__init__()
        self.kW = kW
        self.dW = kW if dW is None else dW
        self.indices = LongTensor()

    def _sizes(self, input):
        expected = "a 2D (nInputFrame x frameSize) or 3D (batch x nInputFrame x frameSize) tensor " \
                   "with nInputFrame >= %d" % self.kW
        S.check_tensor(self, input, (2, 3), expected)
        T = input._size[-2]
        if T < self.kW:
            utils.bad_input(self, expected, input)
        x = S.arr(input)
        if input.dim() == 2:
            x = x.reshape((1,) + x.shape)
        oT = (T - self.kW) // self.dW + 1
        return x, input._size[:-2] + (oT, input._size[-1])

    def updateOutput(self, input):
        x, osize = self._sizes(input)
        shape = (x.shape[0],) + osize[-2:]
        y = S.out(self.output, osize).reshape(shape)
        ind = S.index_buffer(self, "indices", osize).reshape(shape)
        S.kernels("pool", input).temporal_max_pool_forward(x, y, ind, self.kW, self.dW)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        g, gi = S.pool_grad(self, input, gradOutput)
        S.kernels("pool", input).temporal_max_pool_backward(g, gi, S.arr(self.indices).reshape(g.shape), self.dW)
        return self.gradInput
