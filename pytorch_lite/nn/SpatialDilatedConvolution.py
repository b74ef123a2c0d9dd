"""nn.SpatialDilatedConvolution(nInputPlane, nOutputPlane, kW, kH, dW=1, dH=1, padW=0, padH=0,
dilationW=1, dilationH=1): a convolution whose kernel taps are dilationW/H pixels apart."""
from .SpatialConvolution import SpatialConvolution


class SpatialDilatedConvolution(SpatialConvolution):
    def __init__(self, nInputPlane, nOutputPlane, kW, kH, dW=1, dH=1, padW=0, padH=0,
                 dilationW=1, dilationH=1):
        super().__init__(nInputPlane, nOutputPlane, kW, kH, dW, dH, padW, padH)
        self.dilationW = dilationW
        self.dilationH = dilationH

    def __tostring__(self):
        s = self._shape_str() + ", %d,%d" % (self.dilationW, self.dilationH)
        return s + (")" if self.__dict__.get("bias") is not None else ") without bias")
