"""nn.MultiMarginCriterion(p=1, weights=None, margin=1, sizeAverage=True): multi-class hinge loss.

sum_{i != y} max(0, margin - x[y] + x[i])^p / nClasses (times weights[y]); targets 0-based."""
import numpy as np

from ..errors import TorchIndexError, TorchValueError
from ..tensor import Tensor
from ._criterion import SizeAveraged
from . import utils


class MultiMarginCriterion(SizeAveraged):
    # Torch7 fields that may be nil (absent from a t7 file): their defaults
    weights = None
    sizeAverage = True

    def __init__(self, p=1, weights=None, margin=1, sizeAverage=True):
        if p not in (1, 2):
            raise TorchValueError("nn.MultiMarginCriterion: only p == 1 and p == 2 supported")
        super().__init__(True if sizeAverage is None else sizeAverage, p=p, margin=margin)
        if weights is not None and weights.dim() != 1:
            raise TorchValueError("nn.MultiMarginCriterion: weights input should be 1D Tensor")
        self.weights = weights

    def _parts(self, input, target):
        if input.dim() not in (1, 2):
            utils.bad_input(self, "a 1D or 2D tensor", input)
        x = input._a.reshape(1 if input.dim() == 1 else input._size[0], -1)
        t = (target._a.reshape(-1) if isinstance(target, Tensor) else np.array([target])).astype(np.int64)
        if t.size != x.shape[0]:
            raise TorchValueError("nn.MultiMarginCriterion: inconsistent target size")
        if ((t < 0) | (t >= x.shape[1])).any():
            raise TorchIndexError("nn.MultiMarginCriterion: target out of range (0-based)")
        rows = np.arange(x.shape[0])
        z = self.margin - x[rows, t][:, None] + x
        z[rows, t] = 0
        z = np.maximum(z, 0)
        w = self.__dict__.get("weights")
        wt = w._a[t][:, None] if w is not None else 1.0
        return x, t, rows, z, wt

    def updateOutput(self, input, target):
        x, t, rows, z, wt = self._parts(input, target)
        h = (z if self.p == 1 else z * z) * wt
        self.output = self._average(float(np.sum(h)) / x.shape[1], x.shape[0])
        return self.output

    def updateGradInput(self, input, target):
        x, t, rows, z, wt = self._parts(input, target)
        g = self._average(1.0 / x.shape[1], x.shape[0])
        h = np.where(z > 0, g if self.p == 1 else 2 * g * z, 0.0) * wt
        h[rows, t] = 0
        h[rows, t] = -h.sum(1)
        self.gradInput.resizeAs(input)
        np.copyto(self.gradInput._a, h.reshape(self.gradInput._a.shape))
        return self.gradInput
