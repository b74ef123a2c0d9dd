"""nn.SpatialFullConvolutionMap(connTable, kW, kH, dW=1, dH=1): the transposed (full) version of
SpatialConvolutionMap: row k of connTable (input plane, output plane; 0-based) adds the full
convolution of its input plane with weight[k] at stride dW, dH to its output plane, whose size
is (H - 1) * dH + kH by (W - 1) * dW + kW; each output plane gets a bias."""
import numpy as np

from .Module import Module
from . import utils
from . import _nd
from . import _spatial as S
from .SpatialConvolutionMap import ConnectionMap, init_map, dense, scatter_grad_weight


class SpatialFullConvolutionMap(ConnectionMap, Module):
    t7_index_fields = ("connTable",)

    def __init__(self, conMatrix, kW, kH, dW=1, dH=1):
        super().__init__()
        init_map(self, conMatrix, kW, kH, dW, dH)
        self.reset()

    def _x(self, input):
        what = "a 3D (%d x H x W) or 4D (batch x %d x H x W) tensor" % (self.nInputPlane, self.nInputPlane)
        S.check_tensor(self, input, (3, 4), what)
        if input._size[-3] != self.nInputPlane:
            utils.bad_input(self, what, input)
        x = S.arr(input)
        return x.reshape((-1,) + x.shape[-3:])

    def _osize(self, input):
        H, W = input._size[-2:]
        return input._size[:-3] + (self.nOutputPlane, (H - 1) * self.dH + self.kH, (W - 1) * self.dW + self.kW)

    def _w(self, x):
        # dense() gives out x in; the full convolution's kernel is in x out
        return S.contiguous(dense(self, self.weight._a, x.shape[1], x.dtype).transpose(1, 0, 2, 3))

    def updateOutput(self, input):
        x = self._x(input)
        y = _nd.full_conv_forward(x, self._w(x), (self.dH, self.dW), (0, 0), (0, 0))
        y += self.bias._a[None, :, None, None]
        S.out(self.output, self._osize(input))[...] = y.reshape(self._osize(input))
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        x = self._x(input)
        g = self._g(input, gradOutput)
        gi = _nd.full_conv_backward_input(g, self._w(x), x.shape[2:], (self.dH, self.dW), (0, 0), (0, 0))
        S.out(self.gradInput, input._size)[...] = gi.reshape(input._size)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        x = self._x(input)
        g = self._g(input, gradOutput)
        gw = _nd.full_conv_backward_weight(x, g, (self.kH, self.kW), (self.dH, self.dW), (0, 0), (0, 0))
        scatter_grad_weight(self, gw.transpose(1, 0, 2, 3), scale)
        self.gradBias._a[...] += scale * g.sum(axis=(0, 2, 3))
