"""nn.PixelSort(downscaleFactor): the inverse of nn.PixelShuffle: a (batch x) C x H x W input
becomes (batch x) C*f*f x H/f x W/f, output plane c*f*f + i*f + j holding the pixels (y*f + i,
x*f + j) of input plane c."""
import numpy as np

from ..errors import TorchValueError
from ..nn.Module import Module
from ..nn import utils
from ..nn import _spatial as S


class PixelSort(Module):
    typename = "nn.PixelSort"

    def __init__(self, downscaleFactor):
        super().__init__()
        self.downscaleFactor = int(downscaleFactor)
        self.downscaleFactorSquared = self.downscaleFactor ** 2

    def _shape(self, input):
        if input.dim() not in (3, 4):
            utils.bad_input(self, "a 3D or 4D tensor", input)
        f = self.downscaleFactor
        c, h, w = input._size[-3:]
        if h % f or w % f:
            raise TorchValueError("nn.PixelSort: height and width (%d, %d) must be multiples of %d" % (h, w, f))
        return input._size[:-3], c, h, w, f

    def updateOutput(self, input):
        lead, c, h, w, f = self._shape(input)
        a = S.arr(input).reshape(-1, c, h // f, f, w // f, f)
        y = S.out(self.output, lead + (c * f * f, h // f, w // f))
        y[...] = a.transpose(0, 1, 3, 5, 2, 4).reshape(y.shape)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        lead, c, h, w, f = self._shape(input)
        g = S.arr(gradOutput).reshape(-1, c, f, f, h // f, w // f)
        gi = S.out(self.gradInput, input._size)
        gi[...] = g.transpose(0, 1, 4, 2, 5, 3).reshape(gi.shape)
        return self.gradInput
