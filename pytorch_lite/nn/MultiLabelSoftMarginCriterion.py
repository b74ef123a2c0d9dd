"""nn.MultiLabelSoftMarginCriterion(weights=None, sizeAverage=True): binary cross-entropy of
sigmoid(x) against 0/1 targets, averaged over all elements (weights over the last dimension)."""
import numpy as np

from ..errors import TorchValueError
from ._criterion import SizeAveraged
from .Sigmoid import Sigmoid
from . import utils


class MultiLabelSoftMarginCriterion(SizeAveraged):
    # Torch7 fields that may be nil (absent from a t7 file): their defaults
    weights = None
    sizeAverage = True

    def __init__(self, weights=None, sizeAverage=True):
        if weights is not None and weights.dim() != 1:
            raise TorchValueError("nn.MultiLabelSoftMarginCriterion: weights input should be 1D Tensor")
        super().__init__(True if sizeAverage is None else sizeAverage, weights=weights)
        self.sigmoid = Sigmoid()

    def _parts(self, input, target):
        utils.diff(self, input, target)
        s = self.sigmoid.updateOutput(input.contiguous().view(input.nElement()))._a.reshape(input._a.shape)
        t = target._a.reshape(input._a.shape)
        w = self.__dict__.get("weights")
        w = None if w is None else np.broadcast_to(w._a, input._a.shape)
        return s, t, w

    def updateOutput(self, input, target):
        s, t, w = self._parts(input, target)
        x = input._a.reshape(s.shape)
        # Torch7 (nn 8726825): log sigmoid(x) and log(1 - sigmoid(x)) without an epsilon
        soft = np.log1p(np.exp(-np.abs(x)))
        a, b = np.minimum(x, 0) - soft, np.minimum(-x, 0) - soft
        if w is not None:
            a, b = a * w, b * w
        out = -float(np.sum(t * a) + np.sum(b) - np.sum(t * b))
        self.output = self._average(out, s.size)
        return self.output

    def updateGradInput(self, input, target):
        s, t, w = self._parts(input, target)
        return self._set_gradInput(input, s - t, s.size, w)
