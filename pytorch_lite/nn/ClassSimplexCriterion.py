"""nn.ClassSimplexCriterion(nClasses): MSE between the input and the vertex of a regular simplex
(embedded in nClasses dims) that stands for the target class (0-based label, or a vector of them;
a 2D target is used as the embedded targets themselves)."""
import math

import numpy as np

from ..errors import TorchValueError
from ..tensor import Tensor
from .MSECriterion import MSECriterion
from . import utils


def regsplex(n):
    """(n+1) x n: the vertices of a regular simplex centred at the origin, each of norm 1."""
    a = np.zeros((n + 1, n))
    for k in range(n):
        a[k, k] = 1.0 if k == 0 else math.sqrt(1 - float(np.linalg.norm(a[k, :k])) ** 2)
        c = (a[k, k] ** 2 - 1 - 1.0 / n) / a[k, k]
        a[k + 1:, k] = c
    return a


class ClassSimplexCriterion(MSECriterion):
    def __init__(self, nClasses):
        super().__init__()
        if not isinstance(nClasses, int) or nClasses <= 1:
            raise TorchValueError("nn.ClassSimplexCriterion: required positive integer argument nClasses > 1")
        self.nClasses = nClasses
        simp = regsplex(nClasses - 1)
        self.simplex = Tensor(np.concatenate([simp, np.zeros((simp.shape[0], nClasses - simp.shape[1]))], 1))
        self._target = Tensor(nClasses)

    def _transform(self, target):
        s = self.simplex._a
        if isinstance(target, (int, float)) and not isinstance(target, bool):
            self._target.resize(self.nClasses)
            self._target._a[...] = s[int(target)]
        elif isinstance(target, Tensor):
            if target.dim() != 1:
                raise TorchValueError("nn.ClassSimplexCriterion: 1D target tensors only, got %s"
                                      % utils.shape_str(target))
            labels = target._a.astype(np.int64)
            if labels.size and (labels.min() < 0 or labels.max() >= self.nClasses):
                raise TorchValueError("nn.ClassSimplexCriterion: target labels must be in [0, %d)" % self.nClasses)
            self._target.resize(labels.size, self.nClasses)
            self._target._a[...] = s[labels]
        else:
            raise TorchValueError("nn.ClassSimplexCriterion: target must be a number or a 1D tensor")

    def updateOutput(self, input, target):
        self._transform(target)
        if input.nElement() != self._target.nElement():
            raise TorchValueError("nn.ClassSimplexCriterion: input (%s) should have %d elements"
                                  % (utils.shape_str(input), self._target.nElement()))
        self._target = self._target.type(input.type()) if self._target.type() != input.type() else self._target
        return super().updateOutput(input, self._target)

    def updateGradInput(self, input, target):
        return super().updateGradInput(input, self._target)

    def getPredictions(self, input):
        x = input._a.reshape(1, -1) if input.dim() == 1 else input._a
        return input.new(*(x.shape[0], self.nClasses)).copy(type(input)(x @ self.simplex._a.T.astype(x.dtype)))

    def getTopPrediction(self, input):
        p = self.getPredictions(input)._a
        from ..tensor import TENSOR_TYPES
        return TENSOR_TYPES["torch.LongTensor"](p.argmax(p.ndim - 1).astype(np.int64).reshape(-1))
