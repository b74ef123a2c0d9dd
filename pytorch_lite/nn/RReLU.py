"""nn.RReLU(l=1/8, u=1/3, ip=False): randomized leaky ReLU.  Training: each non-positive input
gets its own slope drawn uniform in [l, u] from the global generator (one THRandom draw per such
element, in memory order, as THNN does), kept in ``noise``; evaluate: the slope is (l+u)/2."""
import numpy as np

from ..errors import TorchValueError
from ..tensor import Tensor, TENSOR_TYPES
from .Module import Module
from . import utils
from ..cuda.device import array_module as _xp


class RReLU(Module):
    def __init__(self, l=None, u=None, ip=False):
        super().__init__()
        self.lower = 1 / 8 if l is None else l
        self.upper = 1 / 3 if u is None else u
        if not (self.lower <= self.upper and self.lower >= 0 and self.upper >= 0):
            raise TorchValueError("nn.RReLU: need 0 <= lower <= upper")
        self.noise = Tensor()
        self.train = True
        self.inplace = bool(ip)

    def updateOutput(self, input):
        if not isinstance(input, Tensor):
            utils.bad_input(self, "a tensor", input)
        x = input._a
        dt = x.dtype.type
        if self.train:
            self.noise = self.noise if isinstance(self.noise, Tensor) else input.new()
            self.noise.resizeAs(input)
            neg = x <= 0
            slopes = _xp(x).ones(x.shape, x.dtype)   # where x lives (the draws are the host generator's)
            n = int(neg.sum())
            if n:
                # THRandom_uniform draws, one per non-positive element in row-major order
                draws = TENSOR_TYPES["torch.DoubleTensor"](n).uniform(self.lower, self.upper)._a.astype(x.dtype)
                slopes[neg] = draws
            self.noise._a[...] = slopes
            y = x * slopes
        else:
            y = np.where(x <= 0, x * dt((self.lower + self.upper) / 2), x)
        if self.inplace:
            x[...] = y
            self.output.set(input)
        else:
            self.output.resizeAs(input)
            self.output._a[...] = y
        return self.output

    def updateGradInput(self, input, gradOutput):
        utils.check_grad(self, input, gradOutput)
        x = input._a
        g = gradOutput._a.reshape(x.shape)
        if self.train and self.upper - self.lower > 1e-6:
            gi = g * self.noise._a.reshape(x.shape)
        else:
            gi = np.where(x <= 0, g * x.dtype.type((self.lower + self.upper) / 2), g)
        if self.inplace:
            gradOutput._a[...] = gi.reshape(gradOutput._a.shape)
            self.gradInput.set(gradOutput)
        else:
            self.gradInput.resizeAs(input)
            self.gradInput._a[...] = gi
        return self.gradInput

    def clearState(self):
        if isinstance(self.noise, Tensor):
            self.noise.set()
        return super().clearState()

    def __tostring__(self):
        return "%s (l:%f, u:%f)" % (self.typename, self.lower, self.upper)
