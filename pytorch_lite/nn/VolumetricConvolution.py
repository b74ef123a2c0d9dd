"""nn.VolumetricConvolution(nInputPlane, nOutputPlane, kT, kW, kH, dT=1, dW=1, dH=1, padT=0,
padW=0, padH=0): 3-D convolution over a 4D (nInputPlane x T x H x W) or 5D (batch x ...) input,
vol2col + GEMM with the column buffers on the module (finput, fgradInput)."""
from ..tensor import Tensor
from .Module import Module
from . import utils
from . import _spatial as S


class VolumetricConvolution(S.NoBias, S.ColumnBuffers, Module):
    def __init__(self, nInputPlane, nOutputPlane, kT, kW, kH, dT=1, dW=1, dH=1, padT=0, padW=None, padH=None):
        super().__init__()
        self.nInputPlane = nInputPlane
        self.nOutputPlane = nOutputPlane
        self.kT, self.kW, self.kH = kT, kW, kH
        self.dT, self.dW, self.dH = dT, dW, dH
        # Torch7: an omitted padW takes padT, an omitted padH takes padW
        padW = padT if padW is None else padW
        padH = padW if padH is None else padH
        self.padT, self.padW, self.padH = padT, padW, padH
        self.weight = Tensor(nOutputPlane, nInputPlane, kT, kH, kW)
        self.bias = Tensor(nOutputPlane)
        self.gradWeight = Tensor(nOutputPlane, nInputPlane, kT, kH, kW)
        self.gradBias = Tensor(nOutputPlane)
        self.reset()

    def reset(self, stdv=None):
        return S.reset_uniform(self, stdv, self.kT * self.kW * self.kH * self.nInputPlane)

    def _geometry(self, input):
        nIn = self.nInputPlane
        expected = "a 4D (%d x T x H x W) or 5D (batch x %d x T x H x W) tensor" % (nIn, nIn)
        S.check_tensor(self, input, (4, 5), expected)
        C, T, H, W = input._size[-4:]
        oT = (T + 2 * self.padT - self.kT) // self.dT + 1
        oH = (H + 2 * self.padH - self.kH) // self.dH + 1
        oW = (W + 2 * self.padW - self.kW) // self.dW + 1
        if C != nIn or min(oT, oH, oW) < 1:
            utils.bad_input(self, expected + " at least as large as the kernel", input)
        if input.dtype != self.weight.dtype:
            utils.bad_input(self, "a %s input (the module's type)" % self.weight.typename, input)
        x = S.arr(input)
        batch = input.dim() == 5
        if not batch:
            x = x.reshape((1,) + x.shape)
        return x, batch, (oT, oH, oW)

    def _args(self):
        return (self.kT, self.kH, self.kW, self.padT, self.padH, self.padW, self.dT, self.dH, self.dW)

    def updateOutput(self, input):
        x, batch, osz = self._geometry(input)
        N = x.shape[0]
        K = self.nInputPlane * self.kT * self.kH * self.kW
        finput = S.buffer(self, "finput", input, (K, N, osz[0] * osz[1] * osz[2]))
        shape = (N, self.nOutputPlane) + osz
        y = S.out(self.output, shape if batch else shape[1:]).reshape(shape)
        bias = S.get(self, "bias")
        S.kernels("conv", input).vol_conv_updateOutput(x, y, self.weight._a, None if bias is None else bias._a,
                                                        finput, *self._args())
        return self.output

    def _grad(self, gradOutput, batch, N, osz):
        shape = (N, self.nOutputPlane) + osz
        S.check_grad(self, gradOutput, shape if batch else shape[1:])
        return S.arr(gradOutput).reshape(shape)

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        x, batch, osz = self._geometry(input)
        N = x.shape[0]
        g = self._grad(gradOutput, batch, N, osz)
        K = self.nInputPlane * self.kT * self.kH * self.kW
        fgrad = S.buffer(self, "fgradInput", input, (K, N, osz[0] * osz[1] * osz[2]))
        gi = S.out(self.gradInput, input._size).reshape(x.shape)
        S.kernels("conv", input).vol_conv_updateGradInput(g, gi, self.weight._a, fgrad, *self._args())
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        x, batch, osz = self._geometry(input)
        N = x.shape[0]
        g = self._grad(gradOutput, batch, N, osz)
        K = self.nInputPlane * self.kT * self.kH * self.kW
        k = S.kernels("conv", input)
        finput = S.get(self, "finput")
        if not isinstance(finput, Tensor) or finput._size != (K, N, osz[0] * osz[1] * osz[2]):
            k.vol2col(x, S.buffer(self, "finput", input, (K, N, osz[0] * osz[1] * osz[2])), *self._args())
        bias = S.get(self, "bias")
        k.conv_accGradParameters(g, self.gradWeight._a, None if bias is None else self.gradBias._a,
                                 self.finput._a, scale)

    def __tostring__(self):
        s = "%s(%d -> %d, %dx%dx%d" % (self.typename, self.nInputPlane, self.nOutputPlane, self.kT, self.kW, self.kH)
        # Torch7 prints no "without bias" here (unlike the 2D convolutions)
        return s + S.step_str(self, "TWH") + ")"
