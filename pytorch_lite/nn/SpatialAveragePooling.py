"""nn.SpatialAveragePooling(kW, kH, dW=1, dH=1, padW=0, padH=0): mean over kW x kH windows;
:ceil()/:floor() pick the output rounding, :setCountIncludePad()/:setCountExcludePad() whether
zero padding counts in the divisor (included by default)."""
from .Module import Module
from . import _spatial as S


class SpatialAveragePooling(S.Rounding, S.PadCounting, Module):
    def __init__(self, kW, kH, dW=1, dH=1, padW=0, padH=0):
        super().__init__()
        self.kW, self.kH, self.dW, self.dH = kW, kH, dW, dH
        self.padW, self.padH = padW, padH
        self.ceil_mode = False
        self.count_include_pad = True
        self.divide = True

    def _sizes(self, input):
        return S.pool2d_sizes(self, input)

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
        g, gi = S.pool_grad(self, input, gradOutput)
        S.kernels("pool", input).spatial_avg_pool_backward(g, gi, *self._args())
        if self.__dict__.get("divide") is False:
            gi *= self.kW * self.kH
        return self.gradInput

    def __tostring__(self):
        return S.pool2d_str(self) + ")"
