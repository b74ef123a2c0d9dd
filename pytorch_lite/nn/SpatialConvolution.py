"""nn.SpatialConvolution(nInputPlane, nOutputPlane, kW, kH, dW=1, dH=1, padW=0, padH=padW):
2-D convolution over a 3D (nInputPlane x H x W) or 4D (batch x nInputPlane x H x W) input,
computed as im2col + GEMM with the column buffers kept on the module (finput, fgradInput) as
Torch7 keeps them."""
from ..tensor import Tensor
from .Module import Module
from . import utils
from . import _spatial as S


class SpatialConvolution(S.NoBias, S.ColumnBuffers, Module):
    def __init__(self, nInputPlane, nOutputPlane, kW, kH, dW=1, dH=1, padW=0, padH=None):
        super().__init__()
        self.nInputPlane = nInputPlane
        self.nOutputPlane = nOutputPlane
        self.kW = kW
        self.kH = kH
        self.dW = dW
        self.dH = dH
        self.padW = padW
        self.padH = padW if padH is None else padH
        self.weight = Tensor(nOutputPlane, nInputPlane, kH, kW)
        self.bias = Tensor(nOutputPlane)
        self.gradWeight = Tensor(nOutputPlane, nInputPlane, kH, kW)
        self.gradBias = Tensor(nOutputPlane)
        self.reset()

    def reset(self, stdv=None):
        return S.reset_uniform(self, stdv, self.kW * self.kH * self.nInputPlane)

    # dilation for the shared code path (SpatialDilatedConvolution overrides these fields)
    def _dilation(self):
        return S.get(self, "dilationH", 1), S.get(self, "dilationW", 1)

    def _geometry(self, input):
        """(batched 4D array view of the input, batch flag, oH, oW) after checking the input."""
        nIn = self.nInputPlane
        S.check_tensor(self, input, (3, 4), "a 3D (%d x H x W) or 4D (batch x %d x H x W) tensor" % (nIn, nIn))
        batch = input.dim() == 4
        C, H, W = input._size[-3:]
        dilH, dilW = self._dilation()
        oH = (H + 2 * self.padH - (dilH * (self.kH - 1) + 1)) // self.dH + 1
        oW = (W + 2 * self.padW - (dilW * (self.kW - 1) + 1)) // self.dW + 1
        if C != nIn or oH < 1 or oW < 1:
            utils.bad_input(self, "a 3D (%d x H x W) or 4D (batch x %d x H x W) tensor with H+2*padH >= %d "
                            "and W+2*padW >= %d" % (nIn, nIn, dilH * (self.kH - 1) + 1, dilW * (self.kW - 1) + 1),
                            input)
        if input.dtype != self.weight.dtype:
            utils.bad_input(self, "a %s input (the module's type)" % self.weight.typename, input)
        x = S.arr(input)
        if not batch:
            x = x.reshape((1,) + x.shape)
        return x, batch, oH, oW

    def updateOutput(self, input):
        x, batch, oH, oW = self._geometry(input)
        N = x.shape[0]
        K = self.nInputPlane * self.kH * self.kW
        finput = S.column_buffer(self, "finput", input, (K, N, oH * oW))
        shape = (N, self.nOutputPlane, oH, oW)
        y = S.out(self.output, shape if batch else shape[1:]).reshape(shape)
        dilH, dilW = self._dilation()
        bias = S.get(self, "bias")
        S.kernels("conv", input).conv_updateOutput(
            x, y, self.weight._a, None if bias is None else bias._a, finput,
            self.kH, self.kW, self.padH, self.padW, self.dH, self.dW, dilH, dilW)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        x, batch, oH, oW = self._geometry(input)
        N = x.shape[0]
        shape = (N, self.nOutputPlane, oH, oW)
        S.check_grad(self, gradOutput, shape if batch else shape[1:])
        g = S.arr(gradOutput).reshape(shape)
        K = self.nInputPlane * self.kH * self.kW
        fgrad = S.column_buffer(self, "fgradInput", input, (K, N, oH * oW))
        gi = S.out(self.gradInput, input._size).reshape(x.shape)
        dilH, dilW = self._dilation()
        S.kernels("conv", input).conv_updateGradInput(
            g, gi, self.weight._a, fgrad, self.kH, self.kW, self.padH, self.padW, self.dH, self.dW, dilH, dilW)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        x, batch, oH, oW = self._geometry(input)
        N = x.shape[0]
        shape = (N, self.nOutputPlane, oH, oW)
        S.check_grad(self, gradOutput, shape if batch else shape[1:])
        g = S.arr(gradOutput).reshape(shape)
        K = self.nInputPlane * self.kH * self.kW
        finput = S.get(self, "finput")
        if not isinstance(finput, Tensor) or finput._size != (K, N, oH * oW):
            # the columns of this input are not cached (accGradParameters without updateOutput)
            dilH, dilW = self._dilation()
            f = S.column_buffer(self, "finput", input, (K, N, oH * oW))
            S.kernels("conv", input).im2col(x, f, self.kH, self.kW, self.padH, self.padW,
                                             self.dH, self.dW, dilH, dilW)
        bias = S.get(self, "bias")
        S.kernels("conv", input).conv_accGradParameters(
            g, self.gradWeight._a, None if bias is None else self.gradBias._a, self.finput._a, scale)

    def _shape_str(self):
        return ("%s(%d -> %d, %dx%d" % (self.typename, self.nInputPlane, self.nOutputPlane, self.kW, self.kH)
                + S.step_str(self, "WH"))

    def __tostring__(self):
        return self._shape_str() + S.bias_str(self)
