"""nn.SpatialConvolutionLocal(nInputPlane, nOutputPlane, iW, iH, kW, kH, dW=1, dH=1, padW=0,
padH=padW): a convolution whose kernels are not shared: every output position (y, x) has its own
nOutputPlane x nInputPlane x kH x kW weights and its own bias.  The input must be iH x iW.
weight is oH x oW x nOutputPlane x nInputPlane x kH x kW, bias nOutputPlane x oH x oW (Torch7's)."""

import numpy as np

from ..errors import TorchValueError
from ..tensor import Tensor
from .Module import Module
from . import utils
from . import _spatial as S
from . import _windows as Wn


class SpatialConvolutionLocal(S.SpareColumnBuffers, Module):
    def __init__(self, nInputPlane, nOutputPlane, iW, iH, kW, kH, dW=1, dH=1, padW=0, padH=None):
        super().__init__()
        self.nInputPlane, self.nOutputPlane = nInputPlane, nOutputPlane
        self.kW, self.kH, self.iW, self.iH = kW, kH, iW, iH
        self.dW, self.dH = dW or 1, dH or 1
        self.padW = padW or 0
        self.padH = self.padW if padH is None else padH
        self.oW = (self.padW * 2 + iW - kW) // self.dW + 1
        self.oH = (self.padH * 2 + iH - kH) // self.dH + 1
        if self.oW < 1 or self.oH < 1:
            raise TorchValueError("nn.SpatialConvolutionLocal: illegal configuration: output width or height less than 1")
        self.weight = Tensor(self.oH, self.oW, nOutputPlane, nInputPlane, kH, kW)
        self.bias = Tensor(nOutputPlane, self.oH, self.oW)
        self.gradWeight = Tensor().resizeAs(self.weight)
        self.gradBias = Tensor().resizeAs(self.bias)
        self.reset()

    def reset(self, stdv=None):
        return S.reset_uniform(self, stdv, self.kW * self.kH * self.nInputPlane)

    def _x(self, input):
        what = "a 3D (%d x %d x %d) or 4D (batch x %d x %d x %d) tensor" % (
            (self.nInputPlane, self.iH, self.iW) * 2)
        S.check_tensor(self, input, (3, 4), what)
        if input._size[-3:] != (self.nInputPlane, self.iH, self.iW):
            utils.bad_input(self, what, input)
        x = S.arr(input)
        return x.reshape((-1,) + x.shape[-3:])

    def _osize(self, input):
        return input._size[:-3] + (self.nOutputPlane, self.oH, self.oW)

    def _shape(self, t, *lead):
        """t's elements in Torch7's layout: like THNN, go by element count, not by t's own sizes
        (nn's tests fill the weight with torch.repeatTensor, which reshapes it)"""
        return t._a.reshape(lead)

    def _w(self):
        return self._shape(self.weight, self.oH, self.oW, self.nOutputPlane, self.nInputPlane, self.kH, self.kW)

    def _cols(self, x):
        return Wn.windows(x, self.kH, self.kW, self.dH, self.dW, self.padH, self.padW)  # n c i j a b

    def updateOutput(self, input):
        x = self._x(input)
        y = np.einsum("ncijab,ijocab->noij", self._cols(x), self._w(), optimize=True)
        y += self._shape(self.bias, self.nOutputPlane, self.oH, self.oW)[None]
        S.out(self.output, self._osize(input))[...] = y.reshape(self._osize(input))
        return self.output

    def _g(self, input, gradOutput):
        S.check_grad(self, gradOutput, self._osize(input))
        return S.arr(gradOutput).reshape(-1, self.nOutputPlane, self.oH, self.oW)

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        x = self._x(input)
        g = self._g(input, gradOutput)
        cols = np.einsum("noij,ijocab->ncijab", g, self._w(), optimize=True)
        gi = Wn.windows_adjoint(cols, x.shape, self.kH, self.kW, self.dH, self.dW, self.padH, self.padW)
        S.out(self.gradInput, input._size)[...] = gi.reshape(input._size)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        x = self._x(input)
        g = self._g(input, gradOutput)
        gw = np.einsum("noij,ncijab->ijocab", g, self._cols(x), optimize=True)
        self.gradWeight._a[...] += scale * gw.reshape(self.gradWeight._a.shape)
        self.gradBias._a[...] += scale * g.sum(axis=0).reshape(self.gradBias._a.shape)

    def __tostring__(self):
        s = "%s(%d -> %d, %dx%d, %dx%d" % (self.typename, self.nInputPlane, self.nOutputPlane, self.iW, self.iH,
                                            self.kW, self.kH)
        return s + S.step_str(self, "WH") + ")"
