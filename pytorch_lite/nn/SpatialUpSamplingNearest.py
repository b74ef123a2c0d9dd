"""nn.SpatialUpSamplingNearest(scale): each pixel repeated scale x scale times; the gradient sums
each scale x scale block back."""
from ..errors import TorchValueError
from .Module import Module
from . import _spatial as S


class SpatialUpSamplingNearest(Module):
    def __init__(self, scale):
        super().__init__()
        if scale != int(scale) or scale < 1:
            raise TorchValueError("nn.SpatialUpSamplingNearest: scale must be a positive integer, got %r" % (scale,))
        self.scale_factor = int(scale)

    def updateOutput(self, input):
        x = S.planes(self, input, "a 3D (nPlane x H x W) or 4D (batch x nPlane x H x W) tensor")
        s = self.scale_factor
        P, H, W = x.shape
        y = S.out(self.output, input._size[:-2] + (H * s, W * s)).reshape(P, H, s, W, s)
        y[...] = x[:, :, None, :, None]
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        x = S.planes(self, input, "a 3D (nPlane x H x W) or 4D (batch x nPlane x H x W) tensor")
        s = self.scale_factor
        P, H, W = x.shape
        S.check_grad(self, gradOutput, input._size[:-2] + (H * s, W * s))
        g = S.arr(gradOutput).reshape(P, H, s, W, s)
        gi = S.out(self.gradInput, input._size).reshape(P, H, W)
        g.sum(axis=(2, 4), out=gi)
        return self.gradInput
