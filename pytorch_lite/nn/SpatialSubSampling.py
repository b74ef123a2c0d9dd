"""nn.SpatialSubSampling(nInputPlane, kW, kH, dW=1, dH=1): per plane, a learnable weight times
the sum over each kW x kH window, plus a learnable bias (LeNet's subsampling layer)."""

import numpy as np

from ..tensor import Tensor
from .Module import Module
from . import utils
from . import _nd
from . import _spatial as S
from ..cuda.device import array_module as _xp


class SpatialSubSampling(Module):
    def __init__(self, nInputPlane, kW, kH, dW=1, dH=1):
        super().__init__()
        self.nInputPlane = nInputPlane
        self.kW, self.kH, self.dW, self.dH = kW, kH, dW, dH
        self.weight = Tensor(nInputPlane)
        self.bias = Tensor(nInputPlane)
        self.gradWeight = Tensor(nInputPlane)
        self.gradBias = Tensor(nInputPlane)
        self.reset()

    def reset(self, stdv=None):
        return S.reset_uniform(self, stdv, self.kW * self.kH)

    def _x(self, input):
        n = self.nInputPlane
        expected = "a 3D (%d x H x W) or 4D (batch x %d x H x W) tensor" % (n, n)
        S.check_tensor(self, input, (3, 4), expected)
        if input._size[-3] != n or input._size[-2] < self.kH or input._size[-1] < self.kW:
            utils.bad_input(self, expected + " of at least the kernel size", input)
        x = S.arr(input)
        x = x.reshape((-1, 1) + x.shape[-2:])  # every plane its own image
        return x

    def _box(self, like):
        return _xp(like).ones((1, 1, self.kH, self.kW), like.dtype)   # where the input lives

    def _sums(self, x):
        return _nd.conv_forward(x, self._box(x), (self.dH, self.dW), (0, 0), (1, 1))

    def _plane_shape(self, input, a):
        return a.reshape((-1, self.nInputPlane) + a.shape[-2:])

    def updateOutput(self, input):
        x = self._x(input)
        s = self._plane_shape(input, self._sums(x))
        y = s * self.weight._a[:, None, None] + self.bias._a[:, None, None]
        shape = input._size[:-2] + y.shape[-2:]
        S.out(self.output, shape)[...] = y.reshape(shape)
        return self.output

    def updateGradInput(self, input, gradOutput):
        x = self._x(input)
        S.check_grad(self, gradOutput, self.output._size)
        g = self._plane_shape(input, S.arr(gradOutput)) * self.weight._a[:, None, None]
        gi = _nd.conv_backward_input(g.reshape((-1, 1) + g.shape[-2:]), self._box(g),
                                     x.shape[-2:], (self.dH, self.dW), (0, 0), (1, 1))
        S.out(self.gradInput, input._size)[...] = gi.reshape(input._size)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        x = self._x(input)
        s = self._plane_shape(input, self._sums(x))
        g = self._plane_shape(input, S.arr(gradOutput))
        self.gradWeight._a[...] += scale * (g * s).sum(axis=(0, 2, 3))
        self.gradBias._a[...] += scale * g.sum(axis=(0, 2, 3))
