"""nn.SparseLinear(inputSize, outputSize, doGradInput=False): a Linear layer over sparse input.
A sample is an nnz x 2 tensor of (0-based feature index, value) rows; a batch is a list of them
(or, legacy, a batch x nnz x 2 tensor).  Output[b] = bias + sum value * weight[:, index].
accGradParameters adds weightDecay * weight as THNN does; after one accumulation since the last
zeroGradParameters, updateParameters / zeroGradParameters touch only the columns that input used
(Torch7's sparse update, `lastInput`).  gradInput is a list of dense (index, gradient) tables when
doGradInput, else empty.  Feature indices are 1-based in t7 files (the hooks convert)."""
import math

import numpy as np

from ..cuda.device import array_module as _xp, to_host
from ..errors import TorchValueError
from ..tensor import Tensor
from .Module import Module
from . import utils

NO_LAST_INPUT, ONE_LAST_INPUT, ACC_MULTIPLE_TIMES = 0, 1, 2


class SparseLinear(Module):
    lastInput = None
    formatted_input = None
    legacyMode = None

    def __init__(self, inputSize, outputSize, doGradInput=False):
        super().__init__()
        self.weightDecay = 0
        self.doGradInput = bool(doGradInput)
        self.weight = Tensor(outputSize, inputSize).zero()
        self.bias = Tensor(outputSize).zero()
        self.gradWeight = Tensor(outputSize, inputSize).zero()
        self.gradBias = Tensor(outputSize).zero()
        self.sparseUpdate = NO_LAST_INPUT
        self.gradInput = []
        self.output.resize(outputSize)
        self.reset()

    def reset(self, stdv=None):
        stdv = stdv * math.sqrt(3) if stdv is not None else 1 / math.sqrt(self.weight._size[1])
        utils.uniform_(self.weight, -stdv, stdv)
        utils.uniform_(self.bias, -stdv, stdv).mul(0.000001)
        return self

    def _rows(self, input):
        """(batch index, feature index, value) arrays, the batch size and batch/legacy flags."""
        if isinstance(input, (list, tuple)):
            samples, batch, legacy = list(input), True, False
        elif isinstance(input, Tensor) and input.dim() == 2:
            samples, batch, legacy = [input], False, False
        elif isinstance(input, Tensor) and input.dim() == 3:
            samples, batch, legacy = [input.select(0, i) for i in range(input._size[0])], True, True
        else:
            utils.bad_input(self, "an nnz x 2 tensor, a list of them or a batch x nnz x 2 tensor", input)
        b, f, v = [], [], []
        n = self.weight._size[1]
        for i, s in enumerate(samples):
            if not isinstance(s, Tensor) or s.dim() != 2 or s._size[1] != 2:
                utils.bad_input(self, "nnz x 2 (index, value) tensors", s)
            a = to_host(s._a).astype(np.float64, copy=False)   # the (index, value) pairs are read on the host
            idx = a[:, 0].astype(np.int64)
            if idx.size and (idx.min() < 0 or idx.max() >= n):
                raise TorchValueError("%s: feature index out of range 0 <= index < %d" % (self.typename, n))
            b.append(np.full(len(idx), i))
            f.append(idx)
            v.append(a[:, 1])
        cat = (lambda xs, dt: np.concatenate(xs).astype(dt) if xs else np.zeros(0, dt))
        return cat(b, np.int64), cat(f, np.int64), cat(v, np.float64), len(samples), batch, legacy

    def updateOutput(self, input):
        if self.sparseUpdate == ONE_LAST_INPUT:
            self.sparseUpdate = ACC_MULTIPLE_TIMES
        b, f, v, nb, batch, legacy = self._rows(input)
        self.legacyMode = legacy
        self.formatted_input = self.weight.new(len(f), 3)
        self.formatted_input._a[...] = np.stack([b, f, v], axis=1) if len(f) else 0
        w = self.weight._a
        y = np.tile(self.bias._a.astype(np.float64, copy=False), (nb, 1))
        np.add.at(y, b, (w[:, f] * _xp(w).asarray(v)).T)
        if not isinstance(self.output, Tensor):
            self.output = self.weight.new()
        if batch:
            self.output.resize(nb, w.shape[0])
            self.output._a[...] = y
        else:
            self.output.resize(w.shape[0])
            self.output._a[...] = y[0]
        return self.output

    def accGradParameters(self, input, gradOutput, scale=1):
        b, f, v, nb, batch, legacy = self._rows(input)
        if self.sparseUpdate == NO_LAST_INPUT:
            self.lastInput = self.weight.new(len(f), 3)
            self.lastInput._a[...] = np.stack([b, f, v], axis=1) if len(f) else 0
            self.sparseUpdate = ONE_LAST_INPUT
        elif self.sparseUpdate == ONE_LAST_INPUT:
            self.sparseUpdate = ACC_MULTIPLE_TIMES
        g = gradOutput._a.astype(np.float64, copy=False).reshape(nb, -1)
        xp = _xp(g)
        gw = xp.zeros(self.gradWeight._size)
        np.add.at(gw.T, f, (g[b] * xp.asarray(v)[:, None]))
        self.gradWeight._a[...] += scale * gw
        self.gradBias._a[...] += scale * g.sum(axis=0)
        if self.weightDecay:
            self.gradWeight._a[...] += self.weightDecay * self.weight._a

    def updateGradInput(self, input, gradOutput):
        self.gradInput = []
        if self.doGradInput:
            gi = gradOutput._a @ self.weight._a
            gi = gi.reshape(-1, gi.shape[-1])
            n = gi.shape[1]
            for row in gi:
                t = gradOutput.new(n, 2)
                t._a[:, 0] = np.arange(n)
                t._a[:, 1] = row
                self.gradInput.append(t)
            if self.legacyMode:
                self.gradInput = gradOutput.new(len(gi), n, 2)
                self.gradInput._a[:, :, 0] = np.arange(n)
                self.gradInput._a[:, :, 1] = gi
        return self.gradInput

    def _touched(self):
        return np.unique(self.lastInput._a[:, 1].astype(np.int64, copy=False))

    def updateParameters(self, learningRate):
        if self.lastInput is not None and self.sparseUpdate == ONE_LAST_INPUT:
            cols = self._touched()
            self.weight._a[:, cols] -= learningRate * self.gradWeight._a[:, cols]
            self.bias._a[...] -= learningRate * self.gradBias._a
        else:
            super().updateParameters(learningRate)

    def zeroGradParameters(self):
        if self.lastInput is not None and self.sparseUpdate == ONE_LAST_INPUT:
            self.gradWeight._a[:, self._touched()] = 0
            self.gradBias.zero()
        else:
            super().zeroGradParameters()
        self.sparseUpdate = NO_LAST_INPUT

    def clearState(self):
        if isinstance(self.lastInput, Tensor):
            self.lastInput.set()
        return super().clearState()

    @classmethod
    def _t7_fields_in(cls, fields):
        for name in ("formatted_input", "lastInput"):
            t = fields.get(name)
            if isinstance(t, Tensor) and t.nElement() and t.dim() == 2:
                t = fields[name] = t.clone()
                t._a[:, :2] -= 1
        return fields

    def _t7_fields_out(self, fields):
        for name in ("formatted_input", "lastInput"):
            t = fields.get(name)
            if isinstance(t, Tensor) and t.nElement() and t.dim() == 2:
                t = fields[name] = t.clone()
                t._a[:, :2] += 1
        return fields
