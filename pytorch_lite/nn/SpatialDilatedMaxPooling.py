"""nn.SpatialDilatedMaxPooling(kW, kH, dW=kW, dH=kH, padW=0, padH=0, dilationW=1, dilationH=1):
SpatialMaxPooling whose window taps are dilation apart (same kernels and 0-based indices)."""
from .SpatialMaxPooling import SpatialMaxPooling


class SpatialDilatedMaxPooling(SpatialMaxPooling):
    def __init__(self, kW, kH, dW=None, dH=None, padW=0, padH=0, dilationW=1, dilationH=1):
        super().__init__(kW, kH, dW, dH, padW, padH)
        self.dilationW = dilationW
        self.dilationH = dilationH

    def _dilation(self):
        return self.dilationH, self.dilationW

    def __tostring__(self):
        s = "%s(%dx%d, %d,%d" % (self.typename, self.kW, self.kH, self.dW, self.dH)
        if self.padW != 0 or self.padH != 0:
            s += ", %d,%d" % (self.padW, self.padH)
        return s + ", %d,%d)" % (self.dilationW, self.dilationH)
