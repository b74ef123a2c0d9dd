"""nn.SpatialDilatedMaxPooling(kW, kH, dW=kW, dH=kH, padW=0, padH=0, dilationW=1, dilationH=1):
SpatialMaxPooling whose window taps are dilation apart (same kernels and 0-based indices)."""
from .SpatialMaxPooling import SpatialMaxPooling
from . import _spatial as S


class SpatialDilatedMaxPooling(SpatialMaxPooling):
    def __init__(self, kW, kH, dW=None, dH=None, padW=0, padH=0, dilationW=1, dilationH=1):
        super().__init__(kW, kH, dW, dH, padW, padH)
        self.dilationW = dilationW
        self.dilationH = dilationH

    def _dilation(self):
        return self.dilationH, self.dilationW

    def __tostring__(self):
        return S.pool2d_str(self) + ", %d,%d)" % (self.dilationW, self.dilationH)
