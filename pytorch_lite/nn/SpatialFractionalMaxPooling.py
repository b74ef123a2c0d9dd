"""nn.SpatialFractionalMaxPooling(poolSizeW, poolSizeH, outW, outH) or (..., ratioW, ratioH): max
over poolSizeH x poolSizeW windows placed pseudo-randomly (Graham's fractional max pooling) so that
the output is outH x outW (or floor(ratio * input size)).  A 3D (nPlane x H x W) or 4D batch
input.  The windows come from `randomSamples` (batch x nPlane x 2, drawn with uniform() from the
global THRandom stream on each forward, as Torch7 does, unless fixPoolingRegions()).
`indices` holds 0-based offsets h * W + w into each plane (1-based in a t7 file)."""
import math

from ..errors import TorchValueError
from .Module import Module
from . import _fractional as F


class SpatialFractionalMaxPooling(F.SampleBuffer, Module):
    t7_index_fields = ("indices",)
    _DIMS = ("height", "width")
    outW = outH = ratioW = ratioH = None
    randomSamples = None

    def __init__(self, poolSizeW, poolSizeH, arg1, arg2):
        super().__init__()
        if poolSizeW < 2 or poolSizeH < 2:
            raise TorchValueError("nn.SpatialFractionalMaxPooling: pool sizes must be at least 2")
        self.poolSizeW = poolSizeW
        self.poolSizeH = poolSizeH
        self.newRandomPool = False
        if arg1 >= 1 and arg2 >= 1:
            self.outW, self.outH = arg1, arg2
        else:
            if not (0 < arg1 < 1 and 0 < arg2 < 1):
                raise TorchValueError("nn.SpatialFractionalMaxPooling: reduction ratios must be in (0, 1)")
            self.ratioW, self.ratioH = arg1, arg2

    def fixPoolingRegions(self, val=True):
        self.newRandomPool = val
        return self

    def _out(self, input):
        F.check_input(self, input, 2)
        if self.ratioW is not None and self.ratioH is not None:
            outW = int(math.floor(input._size[-1] * self.ratioW))
            outH = int(math.floor(input._size[-2] * self.ratioH))
            if outW <= 0 or outH <= 0:
                raise TorchValueError("%s: reduction ratio or input size too small" % self.typename)
            return outH, outW
        return int(self.outH), int(self.outW)

    def updateOutput(self, input):
        out = self._out(input)
        return F.run_forward(self, input, 2, out, (self.poolSizeH, self.poolSizeW))

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        return F.run_backward(self, input, gradOutput, 2, self._out(input))

    empty = lambda self: self.clearState()

    def clearState(self):
        self.__dict__.pop("indices", None)
        self.__dict__.pop("randomSamples", None)
        return super().clearState()

    def __tostring__(self):
        return "%s(%dx%d, %d,%d)" % (self.typename, int(self.outW if self.outW is not None else self.ratioW),
                                     int(self.outH if self.outH is not None else self.ratioH),
                                     self.poolSizeW, self.poolSizeH)
