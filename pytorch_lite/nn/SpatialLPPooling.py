"""nn.SpatialLPPooling(nInputPlane, pnorm, kW, kH, dW=kW, dH=kH): the p-norm over kW x kH windows,
(sum x^p)^(1/p); as in Torch7 a Sequential of Square (or Power(p)), SpatialAveragePooling,
MulConstant(kW*kH) and Sqrt (or Power(1/p))."""
from .Sequential import Sequential
from .SpatialAveragePooling import SpatialAveragePooling
from .Power import Power
from .Sqrt import Sqrt
from .Square import Square


class SpatialLPPooling(Sequential):
    def __init__(self, nInputPlane, pnorm, kW, kH, dW=None, dH=None):
        super().__init__()
        dW = kW if dW is None else dW
        dH = kH if dH is None else dH
        self.nInputPlane, self.pnorm = nInputPlane, pnorm
        self.kW, self.kH, self.dW, self.dH = kW, kH, dW, dH
        self.add(Square() if pnorm == 2 else Power(pnorm))
        pool = SpatialAveragePooling(kW, kH, dW, dH)
        self.add(pool)
        try:
            from .MulConstant import MulConstant
            self.add(MulConstant(kW * kH))
        except ImportError:  # the sum pooling without MulConstant: Torch7's old non-dividing average pooling
            pool.divide = False
        self.add(Sqrt() if pnorm == 2 else Power(1.0 / pnorm))

    def reset(self, stdv=None):
        return self
