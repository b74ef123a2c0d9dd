"""nn.SpatialReSamplingEx{owidth=, oheight= | rwidth=, rheight=, mode=, yDim=, xDim=}: resampling
over any two adjacent dims (yDim, xDim = yDim + 1; 0-based here, 1-based in Lua and t7 files).

mode 'simple': nearest (upsampling repeats each pixel ceil(o/i) times, downsampling takes every
floor(i/o)-th pixel); 'average': downsampling averages floor(i/o)-wide blocks (upsampling as
simple); 'bilinear': corner-aligned bilinear.  Ratios are rounded to the nearest size on every
call; one dim cannot grow while the other shrinks."""
import math

from ..errors import TorchValueError
from ..nn.Module import Module
from ..nn import utils
from ..nn import _spatial as S
from . import _resample as R
from ._args import options

MODES = {"simple": 0, "average": 1, "bilinear": 2}


class SpatialReSamplingEx(Module):
    typename = "nn.SpatialReSamplingEx"
    t7_index_fields = ("yDim", "xDim")

    def __init__(self, *args, **kw):
        super().__init__()
        opts = options("nn.SpatialReSamplingEx", args, kw,
                       ("rwidth", "rheight", "owidth", "oheight", "mode", "yDim", "xDim"),
                       defaults={"mode": "simple", "yDim": 1, "xDim": 2})
        for k, v in opts.items():
            if v is not None:
                self.__dict__[k] = v
        if self.yDim + 1 != self.xDim:
            raise TorchValueError("nn.SpatialReSamplingEx: yDim must be equals to xDim-1")
        if self.mode not in MODES:
            raise TorchValueError("SpatialReSampling: mode must be simple | average | bilinear")
        self.mode_c = MODES[self.mode]

    def _maps(self, input):
        if input.dim() <= self.xDim:
            utils.bad_input(self, "a tensor with at least %d dims" % (self.xDim + 1), input)
        ih, iw = input._size[self.yDim], input._size[self.xDim]
        d = self.__dict__
        oh = d["oheight"] if d.get("oheight") is not None else math.floor(self.rheight * ih + 0.5)
        ow = d["owidth"] if d.get("owidth") is not None else math.floor(self.rwidth * iw + 0.5)
        oh, ow = int(oh), int(ow)
        self.iheight, self.iwidth, self.oheightCurrent, self.owidthCurrent = ih, iw, oh, ow
        if (oh >= ih) != (ow >= iw):
            raise TorchValueError("SpatialReSamplingEx: Cannot upsample one dimension while downsampling the other")
        if self.mode_c == 2:
            return R.bilinear(ih, oh), R.bilinear(iw, ow)
        if oh >= ih:
            return R.nearest(ih, oh, -(-oh // ih)), R.nearest(iw, ow, -(-ow // iw))
        if self.mode_c == 1:
            return R.average(ih, oh, ih // oh), R.average(iw, ow, iw // ow)
        return R.subsample(ih, oh, ih // oh), R.subsample(iw, ow, iw // ow)

    def _out_size(self, input):
        size = list(input._size)
        size[self.yDim], size[self.xDim] = self.oheightCurrent, self.owidthCurrent
        return tuple(size)

    def updateOutput(self, input):
        ay, ax = self._maps(input)
        x = S.arr(input).reshape(R.four_d(input._size, self.yDim, self.xDim))
        y = S.out(self.output, self._out_size(input))
        y[...] = R.apply(x, ay, ax).reshape(y.shape)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        ay, ax = self._maps(input)
        k1, _, _, k2 = R.four_d(input._size, self.yDim, self.xDim)
        g = S.arr(gradOutput).reshape(k1, ay.shape[0], ax.shape[0], k2)
        gi = S.out(self.gradInput, input._size)
        gi[...] = R.apply_t(g, ay, ax).reshape(gi.shape)
        return self.gradInput
