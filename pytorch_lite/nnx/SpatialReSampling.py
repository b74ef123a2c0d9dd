"""nn.SpatialReSampling{owidth=, oheight=} or {rwidth=, rheight=}: corner-aligned bilinear
resampling of every plane of a 3D (planes x H x W) or 4D (batch x planes x H x W) input.

With ratios, the output size is fixed by the first input seen (owidth = rwidth * iwidth,
truncated to an integer by the kernel), as nnx keeps it in the module's fields."""
import numpy as np

from ..nn.Module import Module
from ..nn import utils
from ..nn import _spatial as S
from . import _resample as R
from ._args import options


class SpatialReSampling(Module):
    typename = "nn.SpatialReSampling"

    def __init__(self, *args, **kw):
        super().__init__()
        opts = options("nn.SpatialReSampling", args, kw, ("rwidth", "rheight", "owidth", "oheight"))
        for k, v in opts.items():
            if v is not None:
                self.__dict__[k] = v

    def _sizes(self, input):
        if input.dim() not in (3, 4):
            utils.bad_input(self, "a 3D or 4D tensor", input)
        h, w = input._size[-2:]
        if self.__dict__.get("oheight") is None:
            self.oheight = self.rheight * h
        if self.__dict__.get("owidth") is None:
            self.owidth = self.rwidth * w
        return h, w, int(self.oheight), int(self.owidth)

    def _maps(self, input):
        h, w, oh, ow = self._sizes(input)
        return h, w, oh, ow, R.bilinear(h, oh), R.bilinear(w, ow)

    def updateOutput(self, input):
        h, w, oh, ow, ay, ax = self._maps(input)
        x = S.arr(input).reshape(-1, h, w, 1)
        y = S.out(self.output, input._size[:-2] + (oh, ow))
        y[...] = R.apply(x, ay, ax).reshape(y.shape)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        # the output size is gradOutput's own (nnx's kernel reads it there, not from the fields)
        if input.dim() not in (3, 4) or gradOutput.dim() != input.dim():
            utils.bad_input(self, "a 3D or 4D input and a gradOutput of as many dimensions", input)
        h, w = input._size[-2:]
        oh, ow = gradOutput._size[-2:]
        ay, ax = R.bilinear(h, oh), R.bilinear(w, ow)
        g = S.arr(gradOutput).reshape(-1, oh, ow, 1)
        gi = S.out(self.gradInput, input._size)
        gi[...] = R.apply_t(g, ay, ax).reshape(gi.shape)
        return self.gradInput
