"""nn.SpatialAdaptiveMaxPooling(W, H): max pooling to a fixed W x H output whatever the input
size (window i spans floor(i*n/o) .. ceil((i+1)*n/o)).  `indices` is 2 x (output size): the row
and the column of each max relative to its window start, 0-based (Torch7: 1-based)."""
from ..tensor import LongTensor
from .Module import Module
from . import _spatial as S


class SpatialAdaptiveMaxPooling(S.OneBasedMaxIndices, Module):
    def __init__(self, W, H):
        super().__init__()
        self.W, self.H = W, H
        self.indices = LongTensor()

    def _sizes(self, input):
        x = S.planes(self, input, S.PLANES_2D)
        return x, input._size[:-2] + (self.H, self.W)

    def _indices_size(self, osize):
        return (2,) + osize

    def updateOutput(self, input):
        x, osize = self._sizes(input)
        y = S.out(self.output, osize).reshape((x.shape[0], self.H, self.W))
        ind = S.index_buffer(self, "indices", (2,) + osize).reshape((2,) + y.shape)
        S.kernels("pool", input).adaptive_max_pool_forward(x, y, ind)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        g, gi = S.pool_grad(self, input, gradOutput)
        S.kernels("pool", input).adaptive_max_pool_backward(g, gi, S.arr(self.indices).reshape((2,) + g.shape))
        return self.gradInput
