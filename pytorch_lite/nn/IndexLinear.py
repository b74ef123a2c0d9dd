"""nn.IndexLinear(inputSize, outputSize, doGradInput=False, keysOffset=0, weight=None, bias=None,
normalize=False): a Linear layer over sparse (key, value) input, weight stored row per key
(inputSize x outputSize, plus 4 leading columns with normalize: max-abs value, its inverse, an
update scale and a per-feature bias).  Keys are 0-based here (1-based in Torch7; row = key +
keysOffset in both, so t7 files store `offset` = keysOffset - 1 and 1-based key buffers).

Input: {keys, values} (one sample), {[keys...], [values...]} (a batch) or {keys, values, sizes}
(a flat batch).  As THNN's IndexLinear.c: weights start at zero (no reset in the constructor);
in training mode with normalize the forward updates the max-abs columns; accGradParameters keeps
a dense per-key gradient for each call in `running` and updateParameters applies them all (with
sparse weight decay) until zeroGradParameters; accUpdateGradParameters updates in place.
Repeated keys are applied in input order, as THNN's sequential loops do."""
import math

import numpy as np

from ..errors import TorchIndexError, TorchRuntimeError, TorchValueError
from ..tensor import Tensor, LongTensor
from .Module import Module
from . import utils
from ..cuda.device import array_module as _xp, to_host


def _rounds(rows):
    """Positions split into rounds of distinct rows: round r holds every row's r-th occurrence
    (in order), so applying rounds one after another equals a sequential loop."""
    n = rows.size
    if n == 0:
        return []
    order = np.argsort(rows, kind="stable")
    sr = rows[order]
    first = np.r_[True, sr[1:] != sr[:-1]]
    start = np.maximum.accumulate(np.where(first, np.arange(n), 0))
    rank = np.empty(n, np.int64)
    rank[order] = np.arange(n) - start
    if rank.max() == 0:
        return [np.arange(n)]
    by_rank = np.argsort(rank, kind="stable")
    return np.split(by_rank, np.cumsum(np.bincount(rank))[:-1])


class IndexLinear(Module):
    isFlat = None
    noBatch = None

    def __init__(self, inputSize, outputSize, doGradInput=False, keysOffset=None, weight=None, bias=None,
                 normalize=False):
        super().__init__()
        self.normalize = 4 if normalize else 0
        self.weight = weight if weight is not None else Tensor(inputSize, outputSize + self.normalize).zero()
        self.bias = bias if bias is not None else Tensor(outputSize).zero()
        self.inputSize = self.weight._size[0]
        self.outputSize = self.weight._size[1] - self.normalize
        self.gradWeight = Tensor()
        self.gradBias = Tensor(self.outputSize).zero()
        self.gradWeightBuffer = Tensor()
        self.valuesBuffer = Tensor()
        self.normalizedValues = Tensor()
        self.running = {"cumSumSizes": [], "keys": [], "gradWeight": [], "counter": 1}
        self.sizesCache = []
        self.cumSumSizesCache = []
        self.weightDecay = 0
        self.doGradInput = doGradInput or False
        self.offset = keysOffset if keysOffset is not None else 0

    def reset(self, stdv=None):
        stdv = stdv * math.sqrt(3) if stdv is not None else 1 / math.sqrt(self.weight._size[1])
        utils.uniform_(self.weight, -stdv, stdv)
        utils.uniform_(self.bias, -stdv, stdv).mul(0.000001)
        if self.normalize:
            self.weight.narrow(1, 0, self.normalize).zero()
        return self

    # -- input --------------------------------------------------------------------------------
    def _flatten(self, input):
        """Sets keys/values/sizes/cumSumSizes (the current running slot) from the input."""
        bad = "{keys, values}, {{keys...}, {values...}} or {keys, values, sizes} (1D keys and values)"
        if not isinstance(input, (list, tuple)) or len(input) not in (2, 3):
            utils.bad_input(self, bad, input)
        if len(input) == 3:
            k, v, s = input
            if not (isinstance(k, Tensor) and isinstance(v, Tensor)) or k.dim() != 1 or k.nElement() != v.nElement():
                utils.bad_input(self, bad, input)
            sizes = np.asarray(to_host(s._a) if isinstance(s, Tensor) else [s], np.int64).reshape(-1)
            lk, lv = [k], [v]
            self.isFlat, self.noBatch = True, False
        else:
            k, v = input
            if isinstance(k, (list, tuple)) and isinstance(v, (list, tuple)) and len(k) == len(v):
                lk, lv = list(k), list(v)
                self.isFlat, self.noBatch = False, False
            elif isinstance(k, Tensor) and isinstance(v, Tensor):
                lk, lv = [k], [v]
                self.isFlat, self.noBatch = False, True
            else:
                utils.bad_input(self, bad, input)
            for a, b in zip(lk, lv):
                if not (isinstance(a, Tensor) and isinstance(b, Tensor)) or a.dim() != 1 or b.dim() != 1 \
                        or a._size != b._size:
                    utils.bad_input(self, bad, input)
            sizes = np.array([a._size[0] for a in lk], np.int64)
            self.lkeys, self.lvalues = lk, lv
        # keys and sizes are kept on the host (LongTensors: the bookkeeping), values where the weight lives
        keys = np.concatenate([to_host(a._a).astype(np.int64, copy=False).reshape(-1) for a in lk]) \
            if lk else np.zeros(0, np.int64)
        xp = _xp(self.weight._a)
        vals = xp.concatenate([xp.asarray(a._a).reshape(-1) for a in lv]) if lv else xp.zeros(0)
        if sizes.sum() != keys.size or (sizes < 0).any():
            raise TorchValueError("%s: the sizes (sum %d) must add up to the number of keys (%d)"
                                  % (self.typename, int(sizes.sum()), keys.size))
        rows = keys + self.offset
        if keys.size and (rows.min() < 0 or rows.max() >= self.inputSize):
            raise TorchIndexError("%s: key out of range (keys + offset must lie in [0, %d), got %d)"
                                  % (self.typename, self.inputSize, int(rows.min() if rows.min() < 0 else rows.max())))
        run = self.running
        c = run["counter"]
        while len(run["keys"]) < c:
            run["keys"].append(LongTensor())
        self.keys = run["keys"][c - 1]
        self.keys.set(LongTensor._from_array(keys.copy()))
        vt = type(self.weight)
        if type(self.__dict__.get("values")) is not vt:
            self.values = vt()
        self.values.set(vt._from_array(xp.ascontiguousarray(vals, dtype=self.weight._a.dtype)))
        self.sizes = LongTensor._from_array(sizes.copy())
        self.cumSumSizes = LongTensor._from_array(np.cumsum(sizes))
        while len(run["cumSumSizes"]) < c:
            run["cumSumSizes"].append(None)
        run["cumSumSizes"][c - 1] = self.cumSumSizes

    def _layout(self):
        """(rows, values, sample of each key, sizes) as numpy arrays for the current input."""
        keys = self.keys._a.astype(np.int64, copy=False).reshape(-1)
        sizes = self.sizes._a.astype(np.int64, copy=False).reshape(-1)
        return keys + self.offset, self.values._a.reshape(-1), np.repeat(np.arange(sizes.size), sizes), sizes

    def _weights(self):
        w = self.weight
        if not w.isContiguous() or not self.bias.isContiguous():
            raise TorchValueError("%s: weight and bias must be contiguous" % self.typename)
        return w._a, self.bias._a.reshape(-1)

    # -- forward / backward ---------------------------------------------------------------------
    def updateOutput(self, input):
        self._flatten(input)
        rows, vals, sample, sizes = self._layout()
        W, b = self._weights()
        nz, od = self.normalize, self.outputSize
        if nz:
            nv = np.empty_like(vals)
            if self.train:
                xp = _xp(W)
                for idx in _rounds(rows):
                    r, v = xp.asarray(rows[idx]), vals[idx]
                    a = np.abs(v)
                    up = a > W[r, 0]
                    W[r[up], 0] = a[up]
                    W[r[up], 1] = 1 / a[up]
                    W[r, 2] = 1
                    nv[idx] = np.where(a > W[r, 0], np.sign(v), v * W[r, 1]) + W[r, 3]
            else:
                nv[:] = np.where(np.abs(vals) > W[rows, 0], np.sign(vals), vals * W[rows, 1]) + W[rows, 3]
            self.normalizedValues.set(type(self.weight)._from_array(nv))
            x = nv
        else:
            x = vals
        B = sizes.size
        out = _xp(W).empty((B, od), W.dtype)
        out[:] = b
        full = sizes > 0
        if type(W) is not np.ndarray:   # a Cuda weight: one scatter-add (CuPy has no insert; any order)
            np.add.at(out, _xp(W).asarray(sample), x[:, None] * W[rows, nz:])
        elif full.any():
            starts = (np.cumsum(sizes) - sizes)[full]
            contrib = x[:, None] * W[rows, nz:]
            if od == 1:
                out[full] += np.add.reduceat(contrib, starts, axis=0)
            else:
                # THNN adds each key's row to the bias in turn
                ext = np.insert(contrib, starts, b, axis=0)
                out[full] = np.add.reduceat(ext, starts + np.arange(starts.size), axis=0)
        if type(self.output) is not type(self.weight):
            self.output = self.weight.new()
        self.output.set(type(self.weight)._from_array(out.reshape(od) if self.noBatch else out))
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput = []
        if self.doGradInput and self.normalize > 0:
            raise TorchRuntimeError("updateGradInput is not implemented in max-normalize mode")
        ini = self.weight._size[0]
        if self.doGradInput:
            g = gradOutput._a
            W = self.weight._a
            gi = (W @ g)[None] if g.ndim == 1 else g @ W.T
            idx = np.arange(ini, dtype=np.int64)
            T = type(gradOutput)
            if self.isFlat:
                self.gradInput = [LongTensor._from_array(np.tile(idx, (gi.shape[0], 1))), T._from_array(gi.copy())]
            else:
                self.gradInput = [[LongTensor._from_array(idx.copy()) for _ in range(gi.shape[0])],
                                  [T._from_array(gi[i].copy()) for i in range(gi.shape[0])]]
        if self.noBatch and self.gradInput:
            if self.isFlat:
                self.gradInput = [self.gradInput[0].resize(ini), self.gradInput[1].resize(ini)]
            else:
                self.gradInput = [self.gradInput[0][0], self.gradInput[1][0]]
        return self.gradInput

    def _grad2d(self, gradOutput, B):
        g = gradOutput._a
        if g.size != B * self.outputSize:
            utils.bad_input(self, "a gradOutput of %d x %d" % (B, self.outputSize), gradOutput)
        return g.reshape(B, self.outputSize)

    def _x(self):
        return (self.normalizedValues if self.normalize else self.values)._a.reshape(-1)

    def accGradParameters(self, input, gradOutput, scale=1):
        rows, vals, sample, sizes = self._layout()
        g = self._grad2d(gradOutput, sizes.size)
        x, od = self._x(), self.outputSize
        gs = g[sample]
        if self.normalize:
            second = (gs[:, 0] * scale * x)[:, None] if od == 1 else (x * scale)[:, None] * gs
            gw = np.concatenate([gs * scale, second], axis=1)
        else:
            gw = (gs[:, 0] * scale * x)[:, None] if od == 1 else (x * scale)[:, None] * gs
        run, c = self.running, self.running["counter"]
        while len(run["gradWeight"]) < c:
            run["gradWeight"].append(type(self.weight)())
        run["gradWeight"][c - 1].set(type(self.weight)._from_array(_xp(gw).ascontiguousarray(gw, self.weight._a.dtype)))
        if type(self.gradBias) is not type(self.weight):
            self.gradBias = self.gradBias.type(self.weight.type())
        gb = self.gradBias._a.reshape(-1)
        for j in range(sizes.size):
            gb += g[j] * scale
        run["counter"] = c + 1

    def updateParameters(self, learningRate):
        run = self.running
        c = run["counter"]
        if c <= 1:
            return
        if c == 2:
            self.updateKeys = run["keys"][0]
            self.gradWeight = run["gradWeight"][0]
        else:
            keys = [np.asarray(run["keys"][i]._a, np.int64).reshape(-1) for i in range(c - 1)]
            gws = [run["gradWeight"][i]._a for i in range(c - 1)]
            self.updateKeysBuffer = LongTensor._from_array(np.concatenate(keys))
            self.gradWeightBuffer = type(self.weight)._from_array(np.concatenate(gws, axis=0))
            self.gradWeight = self.gradWeightBuffer
            self.updateKeys = self.updateKeysBuffer
        W, b = self._weights()
        lr, wd, od, nz = learningRate, self.weightDecay or 0, self.outputSize, self.normalize
        b -= lr * self.gradBias._a.reshape(-1)
        rows = self.updateKeys._a.astype(np.int64, copy=False).reshape(-1) + self.offset
        gw = self.gradWeight._a.reshape(rows.size, -1)
        for idx in _rounds(rows):
            r, G = rows[idx], gw[idx]
            if od == 1 and nz:
                l = lr * W[r, 2]
                W[r, 3] -= W[r, 4] * G[:, 0] * l
                W[r, 4] -= G[:, 1] * l - wd * W[r, 2] * W[r, 4]  # THNN's sign, kept
            elif od == 1:
                W[r, 0] -= G[:, 0] * lr + wd * W[r, 0] if wd else G[:, 0] * lr
            else:
                l, w = lr, wd
                if nz:
                    l = lr * W[r, 2]
                    w = wd * W[r, 2]
                    for k in range(od):
                        W[r, 3] -= G[:, k] * W[r, 4 + k] * l
                    G = G[:, od:]
                cols = W[r, nz:]
                if wd:
                    cols -= cols * (w[:, None] if nz else w)
                cols -= G * (l[:, None] if nz else l)
                W[r, nz:] = cols

    def accUpdateGradParameters(self, input, gradOutput, lr):
        rows, vals, sample, sizes = self._layout()
        g = self._grad2d(gradOutput, sizes.size)
        W, b = self._weights()
        x, od, nz, wd, scale = self._x(), self.outputSize, self.normalize, self.weightDecay or 0, lr
        for j in range(sizes.size):
            b -= g[j] * scale
        gs = g[sample]
        for idx in _rounds(rows):
            r, v, G = rows[idx], x[idx], gs[idx]
            if od == 1 and nz:
                val = G[:, 0] * scale
                W[r, 3] -= W[r, 4] * val * W[r, 2]
                W[r, 4] -= (val * v - wd * W[r, 4]) * W[r, 2]
            elif od == 1:
                val = G[:, 0] * scale
                W[r, 0] -= val * v + W[r, 0] * wd if wd else val * v
            else:
                val, w = v * scale, _xp(W).full(r.size, wd, W.dtype)
                if nz:
                    w2 = W[r, 2]
                    val, w = val * w2, w * w2
                    for k in range(od):
                        W[r, 3] -= W[r, 4 + k] * scale * G[:, k] * w2
                cols = W[r, nz:]
                if wd:
                    cols -= w[:, None] * cols
                cols -= val[:, None] * G
                W[r, nz:] = cols
        if od == 1 and nz:
            W[rows, 2] = 0

    def zeroGradParameters(self):
        self.gradBias.zero()
        self.running["counter"] = 1

    def parameters(self):
        # as Torch7: the "gradient" of weight is the running table of dense per-key gradients
        return [self.weight, self.bias], [self.running, self.gradBias]

    def clearState(self):
        self.running["keys"] = []
        self.running["gradWeight"] = []
        for name in ("keys", "zerokeys", "updateKeys", "values", "sizes", "updateKeysBuffer"):
            self.__dict__.pop(name, None)
        self.lkeys = []
        self.lvalues = []
        self.gradWeightBuffer = self.gradWeightBuffer.new()
        self.valuesBuffer = self.valuesBuffer.new()
        return super().clearState()

    # -- t7: Torch7 keeps 1-based keys and offset = keysOffset - 1 -----------------------------------
    _KEY_FIELDS = ("keys", "updateKeys", "updateKeysBuffer", "lkeys")

    @classmethod
    def _shift_keys(cls, fields, by):
        memo = {}

        def sh(t):
            if isinstance(t, LongTensor):
                if id(t) not in memo:
                    memo[id(t)] = LongTensor._from_array(t._a.astype(np.int64, copy=False) + by) if t.nElement() else t
                return memo[id(t)]
            if isinstance(t, list):
                return [sh(v) for v in t]
            return t

        for name in cls._KEY_FIELDS:
            if name in fields:
                fields[name] = sh(fields[name])
        run = fields.get("running")
        if isinstance(run, dict) and "keys" in run:
            run = dict(run)
            run["keys"] = sh(run["keys"])
            fields["running"] = run
        if "offset" in fields:
            fields["offset"] = fields["offset"] - by
        return fields

    @classmethod
    def _t7_fields_in(cls, fields):
        return cls._shift_keys(fields, -1)

    def _t7_fields_out(self, fields):
        return self._shift_keys(fields, 1)
