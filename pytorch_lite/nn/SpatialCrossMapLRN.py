"""nn.SpatialCrossMapLRN(size, alpha=1e-4, beta=0.75, k=1): local response normalisation across
channels, y = x / (k + alpha/size * sum of x^2 over `size` neighbouring channels)^beta, with
Torch7's running-sum evaluation order (the window slides one channel at a time)."""
import numpy as np

from ..errors import TorchValueError
from .Module import Module
from . import utils
from . import _spatial as S
from ..cuda.device import array_module as _xp


class SpatialCrossMapLRN(Module):
    def __init__(self, size, alpha=1e-4, beta=0.75, k=1):
        super().__init__()
        self.size = size
        self.alpha = alpha
        self.beta = beta
        self.k = k

    def _x(self, input):
        S.check_tensor(self, input, (3, 4), "a 3D (nChannel x H x W) or 4D (batch x nChannel x H x W) tensor")
        x = S.arr(input)
        return x.reshape((1,) + x.shape) if input.dim() == 3 else x

    def updateOutput(self, input):
        x = self._x(input)
        C = x.shape[1]
        scale = S.buffer(self, "scale", input, input._size).reshape(x.shape)
        y = S.out(self.output, input._size).reshape(x.shape)
        sq = x * x
        pre = (self.size - 1) // 2 + 1
        scale[:, 0] = 0
        for c in range(min(pre, C)):
            scale[:, 0] += sq[:, c]
        for c in range(1, C):
            scale[:, c] = scale[:, c - 1]
            if c < C - pre + 1:
                scale[:, c] += sq[:, c + pre - 1]
            if c >= pre:
                scale[:, c] -= sq[:, c - pre]
        scale *= self.alpha / self.size
        scale += self.k
        np.power(scale, -self.beta, out=y)
        y *= x
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        x = self._x(input)
        S.check_grad(self, gradOutput, input._size)
        scale = S.get(self, "scale")
        if scale is None or scale._size != input._size:
            raise TorchValueError("%s: updateGradInput needs a forward on this input first" % self.typename)
        N, C = x.shape[:2]
        s = S.arr(scale).reshape(x.shape)
        y = S.arr(self.output).reshape(x.shape)
        g = S.arr(gradOutput).reshape(x.shape)
        gi = S.out(self.gradInput, input._size).reshape(x.shape)
        np.power(s, -self.beta, out=gi)
        gi *= g
        size = self.size
        padded = _xp(x).zeros((N, C + size - 1) + x.shape[2:], x.dtype)   # where x lives
        inv_pre = size - (size - 1) // 2
        center = padded[:, inv_pre - 1:inv_pre - 1 + C]
        np.multiply(g, y, out=center)
        center /= s
        cache = 2.0 * self.alpha * self.beta / size
        accum = padded[:, :size - 1].sum(axis=1)
        for c in range(C):
            accum += padded[:, c + size - 1]
            gi[:, c] -= cache * x[:, c] * accum
            accum -= padded[:, c]
        return self.gradInput

    def clearState(self):
        utils.clear(self, "scale", "paddedRatio", "accumRatio")
        return super().clearState()
