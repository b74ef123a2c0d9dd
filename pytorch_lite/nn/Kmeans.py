"""nn.Kmeans(k, dim, scale=None): online hard k-means.  weight holds the k centres (k x dim,
reset draws uniform(-1, 1)); forward maps each row of a batch x dim input to the 0-based index of
its nearest centre (output, a tensor of the module's type; 1-based in a t7 file) and keeps the
within-cluster squared error in `loss`.  accGradParameters makes gradWeight the step that moves
each centre towards the mean of its samples (c <- c - lr * gradWeight with lr = 1 moves it by
scale).  initRandom / initKmeansPlus draw from the global generator as Torch7 does."""
import math

import numpy as np

from ..errors import TorchValueError
from ..tensor import LongTensor, Tensor, TENSOR_TYPES
from .Module import Module
from . import utils
from ..cuda.device import array_module as _xp


class Kmeans(Module):
    t7_index_fields = ("output", "_minIndx")
    scale = None
    p = None

    def __init__(self, k, dim, scale=None):
        super().__init__()
        if k <= 0 or dim <= 0:
            raise TorchValueError("nn.Kmeans: clusters and dimensionality must be positive")
        self.k = k
        self.dim = dim
        if scale is not None:
            self.scale = scale
        self.weight = Tensor(k, dim)
        self.gradWeight = Tensor(k, dim)
        self.loss = 0
        self.clusterSampleCount = Tensor(k)
        self.reset()

    def reset(self, stdev=None):
        stdev = 1 if stdev is None else stdev
        utils.uniform_(self.weight, -stdev, stdev)
        return self

    def _check(self, input):
        if not isinstance(input, Tensor) or input.dim() != 2 or input._size[1] != self.dim:
            utils.bad_input(self, "a 2D (batch x %d) tensor" % self.dim, input)

    def initRandom(self, input):
        self._check(input)
        n = input._size[0]
        if n < self.k:
            raise TorchValueError("nn.Kmeans: need at least k samples for initialization")
        rows = Tensor(self.k).zero().random(1, n)
        for i, r in enumerate(rows._a.astype(np.int64, copy=False)):
            self.weight._a[i] = input._a[r - 1]

    def initKmeansPlus(self, input, p=None):
        from .. import random as trandom
        self.p = p if p is not None else (self.p if self.p is not None else 0.95)
        if not 0 <= self.p <= 1:
            raise TorchValueError("nn.Kmeans: p should be between 0 and 1")
        self._check(input)
        x = input._a
        n = x.shape[0]
        pcount = max(1, int(math.ceil((1 - self.p) * n)))
        self.weight._a[0] = x[trandom(n) - 1]
        dist = _xp(x).full(n, math.inf)
        for k in range(1, self.k):
            c = self.weight._a[k - 1]
            dist = np.minimum(dist, ((x - c) ** 2).sum(axis=1))
            order = np.argsort(-dist, kind="stable")
            self.weight._a[k] = x[order[trandom(pcount) - 1]]

    def updateOutput(self, input):
        self._check(input)
        x = input._a
        w = self.weight._a
        d = ((x[None, :, :] - w[:, None, :]) ** 2).sum(axis=2)  # k x batch
        idx = np.argmin(d, axis=0)
        # a CudaLongTensor for a Cuda input, as Torch7's Kmeans keeps it
        self._minIndx = (TENSOR_TYPES["torch.CudaLongTensor"] if input.is_cuda else LongTensor)(idx)
        self.output = self.output if type(self.output) is type(self.weight) else self.weight.new()
        self.output.resize(x.shape[0])
        self.output._a[...] = idx
        self.loss = float(d[idx, np.arange(x.shape[0])].sum())
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput.resize(*input._size).zero()
        return self.gradInput

    def accGradParameters(self, input, gradOutput=None, scale=1):
        scale = self.scale or scale or 1
        if scale <= 0:
            raise TorchValueError("nn.Kmeans: scale has to be positive")
        idx = self._minIndx._a.astype(np.int64, copy=False)
        counts = np.bincount(idx, minlength=self.k).astype(np.float64)
        self.clusterSampleCount._a[...] = counts
        step = -scale * (input._a - self.weight._a[idx])
        g = _xp(step).zeros((self.k, self.dim))
        np.add.at(g, idx, step)
        self.gradWeight._a[...] += g / (counts + 1e-7)[:, None]

    def type(self, typename=None, tensorCache=None):
        if typename is not None:
            for name in ("_expandedSamples", "_clusterDistances", "_temp", "_tempExpanded", "_tempWeight",
                         "_tempWeightExp", "_expandedWeight", "_minScore", "_minIndx", "_cscAdder"):
                self.__dict__.pop(name, None)
        return super().type(typename, tensorCache)
