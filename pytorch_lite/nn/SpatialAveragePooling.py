"""nn.SpatialAveragePooling(kW, kH, dW=1, dH=1, padW=0, padH=0): mean over kW x kH windows;
:ceil()/:floor() pick the output rounding, :setCountIncludePad()/:setCountExcludePad() whether
zero padding counts in the divisor (included by default)."""
from .Module import Module
from . import utils
from . import _spatial as S


class SpatialAveragePooling(Module):
    def __init__(self, kW, kH, dW=1, dH=1, padW=0, padH=0):
        super().__init__()
        self.kW, self.kH, self.dW, self.dH = kW, kH, dW, dH
        self.padW, self.padH = padW, padH
        self.ceil_mode = False
        self.count_include_pad = True
        self.divide = True

    def ceil(self):
        self.ceil_mode = True
        return self

    def floor(self):
        self.ceil_mode = False
        return self

    def setCountIncludePad(self):
        self.count_include_pad = True
        return self

    def setCountExcludePad(self):
        self.count_include_pad = False
        return self

    def _sizes(self, input):
        expected = "a 3D (nPlane x H x W) or 4D (batch x nPlane x H x W) tensor"
        x = S.planes(self, input, expected)
        H, W = x.shape[1:]
        if self.kW // 2 < self.padW or self.kH // 2 < self.padH:
            utils.bad_input(self, "padding at most half the kernel size (pad %d,%d for kernel %dx%d)"
                            % (self.padW, self.padH, self.kW, self.kH), input)
        ceil = bool(S.get(self, "ceil_mode", False))
        oH = S.pool_size(H, self.kH, self.dH, self.padH, ceil)
        oW = S.pool_size(W, self.kW, self.dW, self.padW, ceil)
        if oH < 1 or oW < 1:
            utils.bad_input(self, expected + " of at least the kernel size %dx%d" % (self.kH, self.kW), input)
        return x, input._size[:-2] + (oH, oW)

    def _args(self):
        inc = S.get(self, "count_include_pad", True)
        return self.kH, self.kW, self.dH, self.dW, self.padH, self.padW, bool(inc)

    def updateOutput(self, input):
        x, osize = self._sizes(input)
        y = S.out(self.output, osize).reshape((x.shape[0],) + osize[-2:])
        S.kernels("pool", input).spatial_avg_pool_forward(x, y, *self._args())
        if self.__dict__.get("divide") is False:  # old saved models
            y *= self.kW * self.kH
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        x, osize = self._sizes(input)
        S.check_grad(self, gradOutput, osize)
        g = S.arr(gradOutput).reshape((x.shape[0],) + osize[-2:])
        gi = S.out(self.gradInput, input._size).reshape(x.shape)
        S.kernels("pool", input).spatial_avg_pool_backward(g, gi, *self._args())
        if self.__dict__.get("divide") is False:
            gi *= self.kW * self.kH
        return self.gradInput

    def __tostring__(self):
        s = "%s(%dx%d, %d,%d" % (self.typename, self.kW, self.kH, self.dW, self.dH)
        if self.padW != 0 or self.padH != 0:
            s += ", %d,%d" % (self.padW, self.padH)
        return s + ")"
