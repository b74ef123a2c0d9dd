"""nn.SpatialDepthWiseConvolution(nInputPlane, depthwiseMultiplier, kW, kH, dW=1, dH=1, padW=0,
padH=padW): each input plane convolved on its own with depthwiseMultiplier kernels, giving
nInputPlane * depthwiseMultiplier output planes (output plane i * depthwiseMultiplier + m comes
from input plane i and kernel m, as THNN orders them).  weight is depthwiseMultiplier x
(nInputPlane * kH * kW), bias depthwiseMultiplier x nInputPlane (Torch7's layouts)."""
import numpy as np

from .Module import Module
from . import utils
from . import _spatial as S
from . import _windows as Wn


class SpatialDepthWiseConvolution(S.NoBias, S.SpareColumnBuffers, Module):
    __t7_version__ = 2

    def __init__(self, nInputPlane, depthwiseMultiplier, kW, kH, dW=1, dH=1, padW=0, padH=None):
        super().__init__()
        self.nInputPlane = nInputPlane
        self.depthwiseMultiplier = depthwiseMultiplier
        self.nOutputPlane = nInputPlane * depthwiseMultiplier
        self.kW, self.kH = kW, kH
        self.dW, self.dH = dW or 1, dH or 1
        self.padW = padW or 0
        self.padH = self.padW if padH is None else padH
        from ..tensor import Tensor
        self.weight = Tensor(depthwiseMultiplier, nInputPlane * kH * kW)
        self.bias = Tensor(depthwiseMultiplier, nInputPlane)
        self.gradWeight = Tensor(depthwiseMultiplier, nInputPlane * kH * kW)
        self.gradBias = Tensor(depthwiseMultiplier, nInputPlane)
        self.reset()

    def reset(self, stdv=None):
        return S.reset_uniform(self, stdv, self.kW * self.kH * self.nInputPlane)

    def _x(self, input):
        nIn = self.nInputPlane
        what = "a 3D (%d x H x W) or 4D (batch x %d x H x W) tensor" % (nIn, nIn)
        S.check_tensor(self, input, (3, 4), what)
        H, W = input._size[-2:]
        oH = (H + 2 * self.padH - self.kH) // self.dH + 1
        oW = (W + 2 * self.padW - self.kW) // self.dW + 1
        if input._size[-3] != nIn or oH < 1 or oW < 1:
            utils.bad_input(self, what + " of at least the kernel size", input)
        x = S.arr(input)
        return x.reshape((-1,) + x.shape[-3:]), oH, oW

    def _w(self):
        return self.weight._a.reshape(self.depthwiseMultiplier, self.nInputPlane, self.kH, self.kW)

    def _osize(self, input, oH, oW):
        return input._size[:-3] + (self.nOutputPlane, oH, oW)

    def updateOutput(self, input):
        x, oH, oW = self._x(input)
        cols = Wn.windows(x, self.kH, self.kW, self.dH, self.dW, self.padH, self.padW)  # n c i j a b
        y = np.einsum("ncijab,mcab->ncmij", cols, self._w(), optimize=True)
        b = S.get(self, "bias")
        if b is not None:
            y += b._a.T[None, :, :, None, None]
        S.out(self.output, self._osize(input, oH, oW))[...] = y.reshape(self._osize(input, oH, oW))
        return self.output

    def _g(self, input, gradOutput, oH, oW):
        osize = self._osize(input, oH, oW)
        S.check_grad(self, gradOutput, osize)
        return S.arr(gradOutput).reshape(-1, self.nInputPlane, self.depthwiseMultiplier, oH, oW)

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        x, oH, oW = self._x(input)
        g = self._g(input, gradOutput, oH, oW)
        cols = np.einsum("ncmij,mcab->ncijab", g, self._w(), optimize=True)
        gi = Wn.windows_adjoint(cols, x.shape, self.kH, self.kW, self.dH, self.dW, self.padH, self.padW)
        S.out(self.gradInput, input._size)[...] = gi.reshape(input._size)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        x, oH, oW = self._x(input)
        g = self._g(input, gradOutput, oH, oW)
        cols = Wn.windows(x, self.kH, self.kW, self.dH, self.dW, self.padH, self.padW)
        gw = np.einsum("ncmij,ncijab->mcab", g, cols, optimize=True)
        self.gradWeight._a[...] += scale * gw.reshape(self.gradWeight._a.shape)
        if S.get(self, "gradBias") is not None:
            self.gradBias._a[...] += scale * g.sum(axis=(0, 3, 4)).T

    def __t7_read__(self, fields, version):
        super().__t7_read__(fields, version)
        if version < 2:  # old files: nOutputPlane held the multiplier
            self.depthwiseMultiplier = self.nOutputPlane
            self.nOutputPlane = self.depthwiseMultiplier * self.nInputPlane
        if self.__dict__.get("padding") is not None:
            self.padW = self.padH = self.__dict__.pop("padding")

    def __tostring__(self):
        s = "%s(%d -> %d, %dx%d" % (self.typename, self.nInputPlane, self.depthwiseMultiplier, self.kW, self.kH)
        return s + S.step_str(self, "WH") + S.bias_str(self)
