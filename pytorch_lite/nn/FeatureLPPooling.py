"""nn.FeatureLPPooling(width, stride, power, batch_mode=False): Lp pooling across features.

The feature dimension (the first, or the second with batch_mode) is pooled by windows of
``width`` features every ``stride``: out = (sum x^power)^(1/power), the other dimensions (up to
two more) kept.  Features out: (n - width) / stride + 1.  As THNN: the power is taken of the
values themselves (no abs), and an output of 0 passes no gradient back."""
import numpy as np

from ..errors import TorchValueError
from .Module import Module
from . import _spatial as S
from . import utils


class FeatureLPPooling(Module):
    def __init__(self, width, stride, power, batch_mode=False):
        super().__init__()
        if width < 2 or width > 16:
            raise TorchValueError("width must be within 2 to 16")
        if stride < 1 or stride > 4:
            raise TorchValueError("stride must be within 1 to 4")
        self.width, self.stride, self.power, self.batch_mode = width, stride, power, batch_mode

    def _x(self, input):
        """input as (batch, features, rest) and the number of output features."""
        lead = 1 if self.batch_mode else 0
        if input.dim() < 1 + lead or input.dim() > 3 + lead:
            utils.bad_input(self, "a %d to %dD tensor" % (1 + lead, 3 + lead), input)
        x = S.arr(input)
        x = x.reshape((x.shape[0] if lead else 1, x.shape[lead], -1))
        if x.shape[1] < self.width:
            utils.bad_input(self, "at least %d features" % self.width, input)
        return x, (x.shape[1] - self.width) // self.stride + 1

    def _osize(self, input, nout):
        lead = 1 if self.batch_mode else 0
        return input._size[:lead] + (nout,) + input._size[lead + 1:]

    def _windows(self, nout):
        return np.arange(nout)[:, None] * self.stride + np.arange(self.width)[None, :]

    def updateOutput(self, input):
        x, nout = self._x(input)
        win = x[:, self._windows(nout), :]                # batch, out, width, rest
        y = np.power(np.power(win, self.power).sum(axis=2), 1.0 / self.power)
        S.out(self.output, self._osize(input, nout))[...] = y.reshape(self._osize(input, nout))
        return self.output

    def updateGradInput(self, input, gradOutput):
        x, nout = self._x(input)
        S.check_grad(self, gradOutput, self._osize(input, nout))
        idx = self._windows(nout)
        y = S.arr(self.output).reshape(x.shape[0], nout, 1, -1)
        g = S.arr(gradOutput).reshape(x.shape[0], nout, 1, -1)
        with np.errstate(divide="ignore", invalid="ignore"):
            part = np.where(y != 0, g * np.power(x[:, idx, :] / np.where(y != 0, y, 1), self.power - 1), 0)
        gi = np.zeros_like(x)
        np.add.at(gi, (slice(None), idx), part)
        S.out(self.gradInput, input._size)[...] = gi.reshape(input._size)
        return self.gradInput

    def __tostring__(self):
        return "%s(w%d s%d power %d batch %d" % (self.typename, self.width, self.stride, self.power,
                                                 1 if self.batch_mode else 0)
