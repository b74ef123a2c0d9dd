"""nn.SpatialConvolutionMM(nInputPlane, nOutputPlane, kW, kH, dW=1, dH=1, padW=0, padH=padW):
SpatialConvolution's math (im2col + GEMM) with Torch7's 2-D weight layout
nOutputPlane x (nInputPlane*kH*kW)."""
from ..tensor import Tensor
from .SpatialConvolution import SpatialConvolution


class SpatialConvolutionMM(SpatialConvolution):
    def __init__(self, nInputPlane, nOutputPlane, kW, kH, dW=1, dH=1, padW=0, padH=None):
        super().__init__(nInputPlane, nOutputPlane, kW, kH, dW, dH, padW, padH)
        K = nInputPlane * kH * kW
        # same draws as the 4-D layout (reset fills in memory order); only the view differs
        self.weight = self.weight.view(nOutputPlane, K)
        self.gradWeight = Tensor(nOutputPlane, K)
