"""nn.SpatialFullConvolution(nInputPlane, nOutputPlane, kW, kH, dW=1, dH=1, padW=0, padH=0,
adjW=0, adjH=0): the transpose of SpatialConvolution ("deconvolution"); the output is
(H-1)*dH - 2*padH + kH + adjH high.  The input may be a table {input, target}: then adjW/adjH
are chosen so the output has target's last two sizes (Torch7's rule)."""
from ..errors import TorchValueError
from ..tensor import Tensor
from .Module import Module
from . import utils
from . import _spatial as S


def _adj(target, k, pad, d):
    return (target + 2 * pad - k) % d


def _zero_like(module, target):
    """The target's (zero) gradient as Torch7 gives it: one zero, expanded to target's size."""
    if not isinstance(module.__dict__.get("zeroScalar"), type(target)):
        module.zeroScalar = target.new(1).zero()
    return module.zeroScalar.view(*([1] * target.dim())).expandAs(target)


class SpatialFullConvolution(S.NoBias, S.ColumnBuffers, Module):
    def __init__(self, nInputPlane, nOutputPlane, kW, kH, dW=1, dH=1, padW=0, padH=0, adjW=0, adjH=0):
        super().__init__()
        self.nInputPlane = nInputPlane
        self.nOutputPlane = nOutputPlane
        self.kW, self.kH, self.dW, self.dH = kW, kH, dW, dH
        self.padW, self.padH = padW, padH
        self.adjW, self.adjH = adjW, adjH
        if adjW > dW - 1 or adjH > dH - 1:
            raise TorchValueError("nn.SpatialFullConvolution: adjW and adjH must be smaller than dW and dH")
        self.weight = Tensor(nInputPlane, nOutputPlane, kH, kW)
        self.gradWeight = Tensor(nInputPlane, nOutputPlane, kH, kW)
        self.bias = Tensor(nOutputPlane)
        self.gradBias = Tensor(nOutputPlane)
        self.ones = Tensor()
        self.reset()

    def reset(self, stdv=None):
        return S.reset_uniform(self, stdv, self.kW * self.kH * self.nInputPlane)

    def _geometry(self, input):
        adjW, adjH = S.get(self, "adjW", 0), S.get(self, "adjH", 0)
        if isinstance(input, (list, tuple)):
            if len(input) != 2 or not isinstance(input[1], Tensor) or input[1].dim() < 2:
                utils.bad_input(self, "a tensor or a table {input, target}", input)
            tH, tW = input[1]._size[-2:]
            adjW, adjH = _adj(tW, self.kW, self.padW, self.dW), _adj(tH, self.kH, self.padH, self.dH)
            input = input[0]
        nIn = self.nInputPlane
        S.check_tensor(self, input, (3, 4), "a 3D (%d x H x W) or 4D (batch x %d x H x W) tensor" % (nIn, nIn))
        C, H, W = input._size[-3:]
        oH = (H - 1) * self.dH - 2 * self.padH + self.kH + adjH
        oW = (W - 1) * self.dW - 2 * self.padW + self.kW + adjW
        if C != nIn or oH < 1 or oW < 1:
            utils.bad_input(self, "a 3D (%d x H x W) or 4D (batch x %d x H x W) tensor giving a non-empty output"
                            % (nIn, nIn), input)
        if input.dtype != self.weight.dtype:
            utils.bad_input(self, "a %s input (the module's type)" % self.weight.typename, input)
        x = S.arr(input)
        batch = input.dim() == 4
        if not batch:
            x = x.reshape((1,) + x.shape)
        return input, x, batch, oH, oW

    def updateOutput(self, input):
        t, x, batch, oH, oW = self._geometry(input)
        N = x.shape[0]
        cols = S.buffer(self, "finput", t, (self.nOutputPlane * self.kH * self.kW, N, x.shape[2] * x.shape[3]))
        S.buffer(self, "fgradInput", t, (0,))
        shape = (N, self.nOutputPlane, oH, oW)
        y = S.out(self.output, shape if batch else shape[1:]).reshape(shape)
        bias = S.get(self, "bias")
        S.kernels("conv", t).full_conv_updateOutput(x, y, self.weight._a, None if bias is None else bias._a, cols,
                                                     self.kH, self.kW, self.padH, self.padW, self.dH, self.dW)
        return self.output

    def _grad(self, t, gradOutput, batch, N, oH, oW):
        shape = (N, self.nOutputPlane, oH, oW)
        S.check_grad(self, gradOutput, shape if batch else shape[1:])
        return S.arr(gradOutput).reshape(shape)

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        t, x, batch, oH, oW = self._geometry(input)
        N = x.shape[0]
        g = self._grad(t, gradOutput, batch, N, oH, oW)
        cols = S.buffer(self, "finput", t, (self.nOutputPlane * self.kH * self.kW, N, x.shape[2] * x.shape[3]))
        gi_t = self.gradInput
        if isinstance(gi_t, (list, tuple)) or not isinstance(gi_t, Tensor):
            gi_t = self.gradInput = t.new()
        gi = S.out(gi_t, t._size).reshape(x.shape)
        S.kernels("conv", t).full_conv_updateGradInput(g, gi, self.weight._a, cols, self.kH, self.kW,
                                                        self.padH, self.padW, self.dH, self.dW)
        if isinstance(input, (list, tuple)):
            self.gradInput = [gi_t, _zero_like(self, input[1])]
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        t, x, batch, oH, oW = self._geometry(input)
        N = x.shape[0]
        g = self._grad(t, gradOutput, batch, N, oH, oW)
        cols = S.buffer(self, "finput", t, (self.nOutputPlane * self.kH * self.kW, N, x.shape[2] * x.shape[3]))
        bias = S.get(self, "bias")
        S.kernels("conv", t).full_conv_accGradParameters(
            x, g, self.gradWeight._a, None if bias is None else self.gradBias._a, cols,
            self.kH, self.kW, self.padH, self.padW, self.dH, self.dW, scale)

    def __tostring__(self):
        s = "%s(%d -> %d, %dx%d" % (self.typename, self.nInputPlane, self.nOutputPlane, self.kW, self.kH)
        s += S.step_str(self, "WH")
        adjW, adjH = S.get(self, "adjW", 0), S.get(self, "adjH", 0)
        if adjW != 0 or adjH != 0:
            s += ", %d,%d" % (adjW, adjH)
        return s + S.bias_str(self)
