"""nn.SpatialMaxPooling(kW, kH, dW=kW, dH=kH, padW=0, padH=0): max over kW x kH windows of
each plane; :ceil() / :floor() choose how the output size rounds.  `indices` (a LongTensor
shaped like the output) holds the 0-based flat index h*W+w of each max inside its input plane
(Torch7 stores it 1-based: converted on t7 load and save)."""
from ..tensor import LongTensor
from .Module import Module
from . import _spatial as S


class SpatialMaxPooling(S.Rounding, S.OneBasedMaxIndices, Module):
    def __init__(self, kW, kH, dW=None, dH=None, padW=0, padH=0):
        super().__init__()
        self.kW, self.kH = kW, kH
        self.dW = kW if dW is None else dW
        self.dH = kH if dH is None else dH
        self.padW, self.padH = padW, padH
        self.ceil_mode = False
        self.indices = LongTensor()

    def _dilation(self):
        return 1, 1

    def _sizes(self, input):
        return S.pool2d_sizes(self, input, *self._dilation())

    def updateOutput(self, input):
        x, osize = self._sizes(input)
        self.iheight, self.iwidth = input._size[-2:]   # the input size SpatialMaxUnpooling restores
        y = S.out(self.output, osize).reshape((x.shape[0],) + osize[-2:])
        ind = S.index_buffer(self, "indices", osize).reshape(y.shape)
        dilH, dilW = self._dilation()
        S.kernels("pool", input).spatial_max_pool_forward(x, y, ind, self.kH, self.kW, self.dH, self.dW,
                                                           self.padH, self.padW, dilH, dilW)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        g, gi = S.pool_grad(self, input, gradOutput)
        S.kernels("pool", input).spatial_max_pool_backward(g, gi, S.arr(self.indices).reshape(g.shape))
        return self.gradInput

    def __tostring__(self):
        return S.pool2d_str(self) + ")"
