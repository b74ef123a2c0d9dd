"""nn.VolumetricFullConvolution(nInputPlane, nOutputPlane, kT, kW, kH, dT=1, dW=1, dH=1, padT=0,
padW=0, padH=0, adjT=0, adjW=0, adjH=0): the transposed 3-D convolution; weight is
nInputPlane x nOutputPlane x kT x kH x kW and the output size (in-1)*d - 2*pad + k + adj.
The input may be a table {input, target}: adjT/adjW/adjH then give the output target's last three
sizes (Torch7's rule), and the target gets a zero gradient."""
from ..errors import TorchValueError
from ..tensor import Tensor
from .Module import Module
from . import utils
from . import _nd
from . import _spatial as S
from .SpatialFullConvolution import _adj, _zero_like


class VolumetricFullConvolution(S.NoBias, S.ColumnBuffers, Module):
    def __init__(self, nInputPlane, nOutputPlane, kT, kW, kH, dT=1, dW=1, dH=1, padT=0, padW=0, padH=0,
                 adjT=0, adjW=0, adjH=0):
        super().__init__()
        self.nInputPlane, self.nOutputPlane = nInputPlane, nOutputPlane
        self.kW, self.kH, self.kT = kW, kH, kT
        self.dW, self.dH, self.dT = dW, dH, dT
        self.padW, self.padH, self.padT = padW, padH, padT
        self.adjW, self.adjH, self.adjT = adjW, adjH, adjT
        if adjW > dW - 1 or adjH > dH - 1 or adjT > dT - 1:
            raise TorchValueError("nn.VolumetricFullConvolution: adjW, adjH and adjT must be smaller than "
                                  "dW - 1, dH - 1 and dT - 1 respectively")
        self.weight = Tensor(nInputPlane, nOutputPlane, kT, kH, kW)
        self.gradWeight = Tensor(nInputPlane, nOutputPlane, kT, kH, kW)
        self.bias = Tensor(nOutputPlane)
        self.gradBias = Tensor(nOutputPlane)
        self.finput = Tensor()
        self.fgradInput = Tensor()
        self.ones = Tensor()
        self.reset()

    def reset(self, stdv=None):
        return S.reset_uniform(self, stdv, self.kW * self.kH * self.kT * self.nInputPlane)

    def _args(self, input=None):
        adj = (self.adjT, self.adjH, self.adjW)
        if isinstance(input, (list, tuple)):   # {input, target}: adj from the target's sizes
            target = input[1]._size[-3:]
            adj = tuple(_adj(t, k, p, d) for t, k, p, d in zip(
                target, (self.kT, self.kH, self.kW), (self.padT, self.padH, self.padW), (self.dT, self.dH, self.dW)))
        return (self.dT, self.dH, self.dW), (self.padT, self.padH, self.padW), adj

    def _x(self, input):
        nIn = self.nInputPlane
        if isinstance(input, (list, tuple)):
            if len(input) != 2 or not all(isinstance(t, Tensor) for t in input) or input[1].dim() < 3:
                utils.bad_input(self, "a tensor or a table {input, target}", input)
            input = input[0]
        expected = "a 4D (%d x T x H x W) or 5D (batch x %d x T x H x W) tensor" % (nIn, nIn)
        S.check_tensor(self, input, (4, 5), expected)
        if input._size[-4] != nIn:
            utils.bad_input(self, expected, input)
        x = S.arr(input)
        return (x if input.dim() == 5 else x[None]), input.dim() == 5

    def updateOutput(self, input):
        x, batch = self._x(input)
        y = _nd.full_conv_forward(x, self.weight._a, *self._args(input))
        if S.get(self, "bias") is not None:
            y += self.bias._a.reshape(1, -1, 1, 1, 1)
        S.out(self.output, y.shape if batch else y.shape[1:])[...] = y if batch else y[0]
        return self.output

    def _g(self, x, gradOutput):
        shape = (x.shape[0], self.nOutputPlane) + self.output._size[-3:]
        S.check_grad(self, gradOutput, self.output._size)
        return S.arr(gradOutput).reshape(shape)

    def updateGradInput(self, input, gradOutput):
        x, batch = self._x(input)
        g = self._g(x, gradOutput)
        gi = _nd.full_conv_backward_input(g, self.weight._a, x.shape[2:], *self._args(input))
        dual = isinstance(input, (list, tuple))
        t = input[0] if dual else input
        gi_t = self.gradInput[0] if isinstance(self.gradInput, list) and self.gradInput else self.gradInput
        if not isinstance(gi_t, Tensor):
            gi_t = t.new()
        S.out(gi_t, t._size)[...] = gi.reshape(t._size)
        self.gradInput = [gi_t, _zero_like(self, input[1])] if dual else gi_t
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        x, batch = self._x(input)
        g = self._g(x, gradOutput)
        gw = _nd.full_conv_backward_weight(x, g, self.weight._size[2:], *self._args(input))
        self.gradWeight._a[...] += scale * gw
        if S.get(self, "bias") is not None:
            self.gradBias._a[...] += scale * g.sum(axis=(0, 2, 3, 4))

    def __tostring__(self):
        s = "%s(%d -> %d, %dx%dx%d" % (self.typename, self.nInputPlane, self.nOutputPlane, self.kW, self.kH, self.kT)
        s += S.step_str(self, "WHT")
        if self.adjW or self.adjH or self.adjT:
            s += ", %d,%d,%d" % (self.adjW, self.adjH, self.adjT)
        return s + ")"
