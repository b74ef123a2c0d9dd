"""nn.SpatialUpSamplingBilinear(scale) or ({oheight=, owidth=}): bilinear upsampling with the
corner pixels aligned (output scale*H x scale*W, or the given size)."""
from ..errors import TorchValueError
from .Module import Module
from . import _spatial as S


class SpatialUpSamplingBilinear(Module):
    def __init__(self, params=None, owidth=None, oheight=None):
        super().__init__()
        self.owidth = self.oheight = self.scale_factor = None
        if isinstance(params, dict):
            self.owidth, self.oheight = params.get("owidth"), params.get("oheight")
        elif params is None:
            self.owidth, self.oheight = owidth, oheight
        else:
            if params < 1 or params != int(params):
                raise TorchValueError("nn.SpatialUpSamplingBilinear: scale_factor must be an integer >= 1, got %r"
                                      % (params,))
            self.scale_factor = int(params)
        if self.scale_factor is None and (not self.owidth or not self.oheight):
            raise TorchValueError("nn.SpatialUpSamplingBilinear: give a scale factor or {oheight=, owidth=}")

    def _osize(self, input):
        x = S.planes(self, input, "a 3D (nPlane x H x W) or 4D (batch x nPlane x H x W) tensor")
        H, W = x.shape[1:]
        if S.get(self, "scale_factor") is not None:
            return x, input._size[:-2] + (H * self.scale_factor, W * self.scale_factor)
        return x, input._size[:-2] + (int(self.oheight), int(self.owidth))

    def updateOutput(self, input):
        x, osize = self._osize(input)
        y = S.out(self.output, osize).reshape((x.shape[0],) + osize[-2:])
        S.kernels("pool", input).upsample_bilinear_forward(x, y)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        x, osize = self._osize(input)
        S.check_grad(self, gradOutput, osize)
        g = S.arr(gradOutput).reshape((x.shape[0],) + osize[-2:])
        gi = S.out(self.gradInput, input._size).reshape(x.shape)
        S.kernels("pool", input).upsample_bilinear_backward(g, gi)
        return self.gradInput

    def __tostring__(self):
        if S.get(self, "scale_factor") is not None:
            return "%s(%d)" % (self.typename, self.scale_factor)
        return "%s(%d, %d)" % (self.typename, self.oheight, self.owidth)
