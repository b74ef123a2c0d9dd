"""nn.VolumetricMaxPooling(kT, kW, kH, dT=kT, dW=kW, dH=kH, padT=0, padW=0, padH=0): max over
kT x kH x kW blocks of a 4D (nPlane x T x H x W) or 5D (batch x ...) input.  `indices` keeps
THNN's encoding (0-based window offsets packed as t + 256*y + 65536*x), unchanged in t7 files."""
from ..tensor import LongTensor
from .Module import Module
from . import utils
from . import _spatial as S


class VolumetricMaxPooling(S.Rounding, S.MaxIndices, Module):
    def __init__(self, kT, kW, kH, dT=None, dW=None, dH=None, padT=0, padW=0, padH=0):
        super().__init__()
        self.kT, self.kW, self.kH = kT, kW, kH
        self.dT = kT if dT is None else dT
        self.dW = kW if dW is None else dW
        self.dH = kH if dH is None else dH
        self.padT, self.padW, self.padH = padT, padW, padH
        self.ceil_mode = False
        self.indices = LongTensor()

    def _sizes(self, input):
        osz = S.pool3d_out(self, input)
        if min(osz) < 1:
            utils.bad_input(self, S.PLANES_3D + " of at least the kernel size %dx%dx%d" % (self.kT, self.kH, self.kW),
                            input)
        x = S.arr(input)
        return x.reshape((-1,) + x.shape[-3:]), input._size[:-3] + osz

    def updateOutput(self, input):
        x, osize = self._sizes(input)
        self.itime, self.iheight, self.iwidth = input._size[-3:]   # the size VolumetricMaxUnpooling restores
        shape = (x.shape[0],) + osize[-3:]
        y = S.out(self.output, osize).reshape(shape)
        ind = S.index_buffer(self, "indices", osize).reshape(shape)
        S.kernels("pool", input).volumetric_max_pool_forward(
            x, y, ind, self.kT, self.kH, self.kW, self.dT, self.dH, self.dW, self.padT, self.padH, self.padW)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        g, gi = S.pool_grad(self, input, gradOutput)
        S.kernels("pool", input).volumetric_max_pool_backward(
            g, gi, S.arr(self.indices).reshape(g.shape), self.dT, self.dH, self.dW, self.padT, self.padH, self.padW)
        return self.gradInput

    def __tostring__(self):
        return S.pool3d_str(self) + ")"
