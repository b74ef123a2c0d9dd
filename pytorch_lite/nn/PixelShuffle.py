"""nn.PixelShuffle(upscaleFactor): rearranges (batch x) C*r*r x H x W into (batch x) C x H*r x W*r
(sub-pixel convolution, Shi et al. 2016): out[c, h*r+i, w*r+j] = in[c*r*r + i*r + j, h, w]."""
import numpy as np

from .Module import Module
from . import utils


class PixelShuffle(Module):
    def __init__(self, upscaleFactor):
        super().__init__()
        self.upscaleFactor = upscaleFactor
        self.upscaleFactorSquared = upscaleFactor * upscaleFactor

    def _shape(self, input):
        r, r2 = self.upscaleFactor, self.upscaleFactorSquared
        if input.dim() not in (3, 4) or input.size(-3) % r2 != 0:
            utils.bad_input(self, "a 3D (C*%d x H x W) or 4D (batch x C*%d x H x W) tensor" % (r2, r2), input)
        B = input.size(0) if input.dim() == 4 else 1
        C, H, W = input._size[-3:]
        return B, C // r2, H, W, r

    def updateOutput(self, input):
        B, C, H, W, r = self._shape(input)
        x = input._a.reshape(B, C, r, r, H, W)
        y = x.transpose(0, 1, 4, 2, 5, 3).reshape(B, C, H * r, W * r)
        shape = (B, C, H * r, W * r) if input.dim() == 4 else (C, H * r, W * r)
        self.output.resize(*shape)
        self.output._a[...] = y.reshape(shape)
        return self.output

    def updateGradInput(self, input, gradOutput):
        B, C, H, W, r = self._shape(input)
        utils.check_grad(self, self.output, gradOutput)
        g = gradOutput._a.reshape(B, C, H, r, W, r)
        self.gradInput.resizeAs(input)
        self.gradInput._a[...] = g.transpose(0, 1, 3, 5, 2, 4).reshape(input._a.shape)
        return self.gradInput

    def clearState(self):
        utils.clear(self, "_intermediateShape", "_outShape", "_shuffleOut")
        return super().clearState()
