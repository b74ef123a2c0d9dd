"""nn.Normalize(p, eps=1e-10): each row (a vector or the rows of a batch) divided by its p-norm
(p = math.inf: the max-norm).  Torch7 adds eps to sum|x|^p (to max|x| for inf) before the root."""
import math

import numpy as np

from ..errors import TorchValueError
from ..tensor import Tensor
from .Module import Module
from . import utils


class Normalize(Module):
    def __init__(self, p, eps=None):
        super().__init__()
        if p is None or not p > 0:
            raise TorchValueError("nn.Normalize: %s-norm not supported" % p)
        self.p = p
        self.eps = 1e-10 if eps is None else eps

    def _rows(self, input):
        if not isinstance(input, Tensor) or input.dim() not in (1, 2):
            utils.bad_input(self, "a vector or a matrix (only 1d layer supported)", input)
        return input._a.reshape(1, -1) if input.dim() == 1 else input._a

    def _norms(self, x):
        """(norm, normp) per row, N x 1: normp = sum|x|^p + eps, norm = normp^(1/p)."""
        p = self.p
        if p == math.inf:
            norm = np.abs(x).max(1, keepdims=True) + self.eps
            return norm, None
        normp = (np.abs(x) ** p).sum(1, keepdims=True) + self.eps
        return normp ** (1.0 / p), normp

    def updateOutput(self, input):
        x = self._rows(input)
        norm, _ = self._norms(x)
        self.output.resizeAs(input)
        self.output._a[...] = (x / norm).reshape(input._a.shape)
        return self.output

    def updateGradInput(self, input, gradOutput):
        x = self._rows(input)
        utils.check_grad(self, input, gradOutput)
        g = gradOutput._a.reshape(x.shape)
        p = self.p
        norm, normp = self._norms(x)
        cross = (x * g).sum(1, keepdims=True)
        if p == math.inf:
            # only the arg-max entry of each row moves the norm
            idx = np.abs(x).argmax(1)
            rows = np.arange(x.shape[0])
            buf = np.zeros_like(x)
            buf[rows, idx] = x[rows, idx] / norm[:, 0]
            gi = (norm * g - buf * cross) / (norm * norm)
        else:
            if p == 2:
                buf = x
            elif p % 2 != 0 and p < 2:
                buf = (np.abs(x) + self.eps) ** (p - 2) * x
            else:
                buf = np.abs(x) ** (p - 2) * x
            gi = (normp * g - buf * cross) / (normp * norm)
        self.gradInput.resizeAs(input)
        self.gradInput._a[...] = gi.reshape(input._a.shape)
        return self.gradInput

    def clearState(self):
        utils.clear(self, "_output", "_indices", "_gradInput", "buffer", "norm", "normp", "cross")
        return super().clearState()

    def __tostring__(self):
        if self.p != math.inf and self.p % 1 == 0:
            return "%s(%d)" % (self.typename, self.p)
        return "%s(%f)" % (self.typename, self.p)
