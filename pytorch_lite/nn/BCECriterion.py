"""nn.BCECriterion(weights=None, sizeAverage=True): binary cross-entropy on probabilities."""
import numpy as np

from ._criterion import SizeAveraged
from . import utils


class BCECriterion(SizeAveraged):
    # Torch7 fields that may be nil (absent from a t7 file): their defaults
    weights = None
    sizeAverage = True
    eps = 1e-12

    def __init__(self, weights=None, sizeAverage=True):
        super().__init__(sizeAverage)
        if weights is not None and weights.dim() != 1:
            raise utils.TorchValueError("nn.BCECriterion: weights input should be 1D Tensor")
        self.weights = weights

    def _w(self, x):
        w = self.__dict__.get("weights")
        if w is None:
            return None
        return w._a if x.ndim == 1 else np.broadcast_to(w._a, x.shape)

    def updateOutput(self, input, target):
        x, t = self._pair(input, target)
        eps = self.eps
        a = np.log(x + eps)
        b = np.log(1 - x + eps)
        w = self._w(x)
        if w is not None:
            a, b = a * w, b * w
        self.output = -self._average(float(np.sum(t * a) + np.sum(b) - np.sum(t * b)), x.size)
        return self.output

    def updateGradInput(self, input, target):
        x, t = self._pair(input, target, check=False)
        eps = self.eps
        return self._set_gradInput(input, -(t - x) / ((1 - x + eps) * (x + eps)), x.size, self._w(x))
