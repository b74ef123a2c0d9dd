"""nn.VolumetricFractionalMaxPooling(poolSizeT, poolSizeW, poolSizeH, outT, outW, outH) or
(..., ratioT, ratioW, ratioH): SpatialFractionalMaxPooling in three dims.  As THNN has it, a 4D
input is read as nPlane x H x W x T (5D: batch first), the output is nPlane x outH x outW x outT,
`randomSamples` is batch x nPlane x 3 with the T, W, H draws in that order, and `indices` holds
0-based offsets (h * W + w) * T + t into each plane (1-based in a t7 file)."""
import math

from ..errors import TorchValueError
from .Module import Module
from . import _fractional as F


class VolumetricFractionalMaxPooling(F.SampleBuffer, Module):
    t7_index_fields = ("indices",)
    _DIMS = ("height", "width", "time")
    outT = outW = outH = ratioT = ratioW = ratioH = None
    randomSamples = None

    def __init__(self, poolSizeT, poolSizeW, poolSizeH, arg1, arg2, arg3):
        super().__init__()
        if min(poolSizeT, poolSizeW, poolSizeH) < 2:
            raise TorchValueError("nn.VolumetricFractionalMaxPooling: pool sizes must be at least 2")
        self.poolSizeT, self.poolSizeW, self.poolSizeH = poolSizeT, poolSizeW, poolSizeH
        self.newRandomPool = False
        if arg1 >= 1 and arg2 >= 1 and arg3 >= 1:
            self.outT, self.outW, self.outH = arg1, arg2, arg3
        else:
            if not all(0 < a < 1 for a in (arg1, arg2, arg3)):
                raise TorchValueError("nn.VolumetricFractionalMaxPooling: reduction ratios must be in (0, 1)")
            self.ratioT, self.ratioW, self.ratioH = arg1, arg2, arg3

    def fixPoolingRegions(self, val=True):
        self.newRandomPool = val
        return self

    def _out(self, input):
        F.check_input(self, input, 3)
        if self.ratioW is not None and self.ratioH is not None:
            H, W, T = input._size[-3:]
            out = (int(math.floor(H * self.ratioH)), int(math.floor(W * self.ratioW)),
                   int(math.floor(T * self.ratioT)))
            if min(out) <= 0:
                raise TorchValueError("%s: reduction ratio or input size too small" % self.typename)
            return out
        return int(self.outH), int(self.outW), int(self.outT)

    def updateOutput(self, input):
        return F.run_forward(self, input, 3, self._out(input), (self.poolSizeH, self.poolSizeW, self.poolSizeT))

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        return F.run_backward(self, input, gradOutput, 3, self._out(input))

    empty = lambda self: self.clearState()

    def clearState(self):
        self.__dict__.pop("indices", None)
        self.__dict__.pop("randomSamples", None)
        return super().clearState()

    def __tostring__(self):
        # Torch7's format has five slots for its eight arguments: outT, outW, outH, poolSizeT
        def pick(o, r):
            return int(o if o is not None else r)
        return "%s(%dx%d, %d,%d)" % (self.typename, pick(self.outT, self.ratioT), pick(self.outW, self.ratioW),
                                     pick(self.outH, self.ratioH), self.poolSizeT)
