"""nn.VolumetricMaxPooling(kT, kW, kH, dT=kT, dW=kW, dH=kH, padT=0, padW=0, padH=0): max over
kT x kH x kW blocks of a 4D (nPlane x T x H x W) or 5D (batch x ...) input.  `indices` keeps
THNN's encoding (0-based window offsets packed as t + 256*y + 65536*x), unchanged in t7 files."""
from ..errors import TorchValueError
from ..tensor import LongTensor
from .Module import Module
from . import utils
from . import _spatial as S


class VolumetricMaxPooling(Module):
    def __init__(self, kT, kW, kH, dT=None, dW=None, dH=None, padT=0, padW=0, padH=0):
        super().__init__()
        self.kT, self.kW, self.kH = kT, kW, kH
        self.dT = kT if dT is None else dT
        self.dW = kW if dW is None else dW
        self.dH = kH if dH is None else dH
        self.padT, self.padW, self.padH = padT, padW, padH
        self.ceil_mode = False
        self.indices = LongTensor()

    def ceil(self):
        self.ceil_mode = True
        return self

    def floor(self):
        self.ceil_mode = False
        return self

    def _sizes(self, input):
        expected = "a 4D (nPlane x T x H x W) or 5D (batch x nPlane x T x H x W) tensor"
        S.check_tensor(self, input, (4, 5), expected)
        if self.kT // 2 < self.padT or self.kW // 2 < self.padW or self.kH // 2 < self.padH:
            utils.bad_input(self, "padding at most half the kernel size", input)
        x = S.arr(input)
        x = x.reshape((-1,) + x.shape[-3:])
        T, H, W = x.shape[1:]
        ceil = bool(S.get(self, "ceil_mode", False))
        oT = S.pool_size(T, self.kT, self.dT, self.padT, ceil)
        oH = S.pool_size(H, self.kH, self.dH, self.padH, ceil)
        oW = S.pool_size(W, self.kW, self.dW, self.padW, ceil)
        if min(oT, oH, oW) < 1:
            utils.bad_input(self, expected + " of at least the kernel size %dx%dx%d" % (self.kT, self.kH, self.kW),
                            input)
        return x, input._size[:-3] + (oT, oH, oW)

    def updateOutput(self, input):
        x, osize = self._sizes(input)
        shape = (x.shape[0],) + osize[-3:]
        y = S.out(self.output, osize).reshape(shape)
        ind = S.index_buffer(self, "indices", osize).reshape(shape)
        S.kernels("pool", input).volumetric_max_pool_forward(
            x, y, ind, self.kT, self.kH, self.kW, self.dT, self.dH, self.dW, self.padT, self.padH, self.padW)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        x, osize = self._sizes(input)
        S.check_grad(self, gradOutput, osize)
        if not isinstance(self.indices, LongTensor) or self.indices._size != osize:
            raise TorchValueError("%s: updateGradInput needs the indices of a forward on this input" % self.typename)
        shape = (x.shape[0],) + osize[-3:]
        g = S.arr(gradOutput).reshape(shape)
        gi = S.out(self.gradInput, input._size).reshape(x.shape)
        S.kernels("pool", input).volumetric_max_pool_backward(
            g, gi, S.arr(self.indices).reshape(shape), self.dT, self.dH, self.dW, self.padT, self.padH, self.padW)
        return self.gradInput

    def clearState(self):
        utils.clear(self, "indices")
        return super().clearState()

    def __tostring__(self):
        s = "%s(%dx%dx%d, %d,%d,%d" % (self.typename, self.kT, self.kW, self.kH, self.dT, self.dW, self.dH)
        if self.padT != 0 or self.padW != 0 or self.padH != 0:
            s += ", %d,%d,%d" % (self.padT, self.padW, self.padH)
        return s + ")"
