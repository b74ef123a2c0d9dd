"""cudnn.RNN(inputSize, hiddenSize, numLayers, batchFirst=False, dropout=0, rememberStates=False):
cuDNN's multi-layer recurrent network over a whole sequence, input seqLength x batch x inputSize
(batch x seqLength x inputSize when batchFirst), output seqLength x batch x hiddenSize*directions.

`mode` picks the cell ('CUDNN_RNN_RELU', 'CUDNN_RNN_TANH', 'CUDNN_LSTM', 'CUDNN_GRU'; the
subclasses RNNReLU, RNNTanh, LSTM, GRU, BLSTM, BGRU set it) and `bidirectional` the directions.
Optional fields hiddenInput/cellInput (numLayers*directions x batch x hiddenSize) start the
recurrence, hiddenOutput/cellOutput receive its end, gradHiddenOutput/gradCellOutput are gradients
with respect to those ends, gradHiddenInput/gradCellInput the gradients of the starts;
rememberStates starts each forward from the previous one's end.

All parameters live in one flat `weight`, laid out as cuDNN lays them: for each layer, for each
direction, the matrices of its linear layers (the input ones, hiddenSize x layer input, then the
recurrent ones, hiddenSize x hiddenSize), then their biases (hiddenSize each, input ones first).
Linear layer order: LSTM input, forget, cell, output gates; GRU reset, update, new-memory gates.
weights()/biases() give views of them, per (layer*directions + direction) and linear layer.
"""
import math

from ...errors import TorchValueError
from ...tensor import Tensor, TENSOR_TYPES
from ...cuda.device import array_module as _xp
from ..Module import Module
from .. import utils

LINEAR_LAYERS = {"CUDNN_LSTM": 8, "CUDNN_GRU": 6, "CUDNN_RNN_RELU": 2, "CUDNN_RNN_TANH": 2}


def _new_tensor():
    """cudnn's RNN keeps its tensors on the device from the start (a CudaTensor where one can be
    made, else the default type, for a module only read from a file)."""
    from ... import cuda
    try:
        if cuda.getDeviceCount() > 0:
            return TENSOR_TYPES["torch.CudaTensor"]()
    except Exception:   # noqa: BLE001 - no device layer: the default type
        pass
    return Tensor()


def _sigmoid(xp, a):
    return 1 / (1 + xp.exp(-a))


class RNN(Module):
    typename = "cudnn.RNN"
    mode = "CUDNN_RNN_RELU"
    bidirectional = "CUDNN_UNIDIRECTIONAL"
    numDirections = 1
    inputMode = "CUDNN_LINEAR_INPUT"
    batchFirst = False
    rememberStates = False
    dropout = 0

    def __init__(self, inputSize, hiddenSize, numLayers, batchFirst=False, dropout=0, rememberStates=False):
        super().__init__()
        self.datatype = "CUDNN_DATA_FLOAT"
        d = self.__dict__   # a subclass sets its mode and directions first; all are fields, as cudnn's
        d.setdefault("mode", "CUDNN_RNN_RELU")
        d.setdefault("bidirectional", "CUDNN_UNIDIRECTIONAL")
        d.setdefault("numDirections", 1)
        d["inputMode"] = "CUDNN_LINEAR_INPUT"
        self.inputSize, self.hiddenSize, self.numLayers = inputSize, hiddenSize, numLayers
        self.seqLength = self.miniBatch = 1
        self.dropout = dropout or 0
        self.seed = 0x01234567
        self.batchFirst = bool(batchFirst)
        self.rememberStates = bool(rememberStates)
        self.sync, self.inputPacked = True, False
        for name in ("gradInput", "output", "weight", "gradWeight", "reserve", "hiddenOutput", "cellOutput",
                     "gradHiddenInput", "gradCellInput"):
            setattr(self, name, _new_tensor())
        self.training()
        self.reset()

    # -- the flat parameter layout ------------------------------------------------------------
    def _layout(self):
        """([per pseudo-layer: [(offset, rows, cols) of each matrix]], [... [offset of each bias]], size)."""
        n, H, D = self._linear(), self.hiddenSize, int(self.numDirections)
        mats, biases, off = [], [], 0
        for layer in range(self.numLayers):
            cols_in = self.inputSize if layer == 0 else H * D
            for _ in range(D):
                m = []
                for lin in range(n):
                    cols = cols_in if lin < n // 2 else H
                    m.append((off, H, cols))
                    off += H * cols
                b = []
                for _ in range(n):
                    b.append(off)
                    off += H
                mats.append(m)
                biases.append(b)
        return mats, biases, off

    def _linear(self):
        n = LINEAR_LAYERS.get(self.mode)
        if n is None:
            raise TorchValueError("%s: unknown mode %r" % (self.typename, self.mode))
        if self.inputMode != "CUDNN_LINEAR_INPUT":
            raise TorchValueError("%s: only inputMode CUDNN_LINEAR_INPUT is supported" % self.typename)
        return n

    def reset(self, stdv=None):
        stdv = stdv if stdv is not None else 1.0 / math.sqrt(self.hiddenSize)
        self.weight.resize(self._layout()[2])
        utils.uniform_(self.weight, -stdv, stdv)
        self.gradWeight.resizeAs(self.weight).zero()
        return self

    def weights(self):
        mats = self._layout()[0]
        return [[self.weight.narrow(0, off, r * c) for off, r, c in layer] for layer in mats]

    def biases(self):
        return [[self.weight.narrow(0, off, self.hiddenSize) for off in layer] for layer in self._layout()[1]]

    def _params(self, w, p):
        """(W stacked: gates*H x in, R: gates*H x H, bW, bR) of pseudo-layer p, views of array w."""
        mats, biases, _ = self._layout()
        m, b = mats[p], biases[p]
        half, H = len(m) // 2, self.hiddenSize
        W = w[m[0][0]:m[half - 1][0] + H * m[half - 1][2]].reshape(half * H, m[0][2])
        R = w[m[half][0]:m[-1][0] + H * H].reshape(half * H, H)
        return W, R, w[b[0]:b[0] + half * H], w[b[half]:b[half] + half * H]

    # -- forward --------------------------------------------------------------------------------
    def _states(self, name, L, B, xp, dtype):
        t = self.__dict__.get(name)
        H = self.hiddenSize
        if isinstance(t, Tensor) and t.nElement():
            if list(t.size()) != [L, B, H]:
                raise TorchValueError("%s: %s should be %dx%dx%d" % (self.typename, name, L, B, H))
            return xp.ascontiguousarray(t._a).astype(dtype, copy=False)
        return xp.zeros((L, B, H), dtype=dtype)

    def _packed(self, input):
        """(data, batch sizes per step) of a packed sequence {data, sizes} (packPaddedSequence's),
        or None for a tensor."""
        if isinstance(input, Tensor):
            return None
        items = input
        if hasattr(input, "items") and not isinstance(input, (list, tuple)):   # a Lua table
            items = [v for _, v in sorted(input.items())]
        items = list(items) if isinstance(items, (list, tuple)) else []
        sizes = items[1] if len(items) == 2 else None
        if hasattr(sizes, "items") and not isinstance(sizes, (list, tuple)):
            sizes = [v for _, v in sorted(sizes.items())]
        if not (len(items) == 2 and isinstance(items[0], Tensor) and items[0].dim() == 2
                and isinstance(sizes, (list, tuple)) and sizes):
            utils.bad_input(self, "a 3D tensor (seqLength x batch x inputSize) or a packed sequence "
                                  "{data (sum of lengths x inputSize), batch sizes per step}", input)
        sizes = [int(v) for v in sizes]
        if any(b > a for a, b in zip(sizes, sizes[1:])) or sum(sizes) != items[0].size(0) or sizes[-1] < 1:
            raise TorchValueError("%s: the batch sizes of a packed sequence decrease and add up to its rows"
                                  % self.typename)
        return items[0], sizes

    @staticmethod
    def _unpack(xp, data, sizes):
        """A packed (rows x features) array as zero-padded T x B x features, and the T x B x 1 mask."""
        out = xp.zeros((len(sizes), sizes[0], data.shape[1]), dtype=data.dtype)
        mask = xp.zeros((len(sizes), sizes[0], 1), dtype=bool)
        off = 0
        for t, b in enumerate(sizes):
            out[t, :b] = data[off:off + b]
            mask[t, :b] = True
            off += b
        return out, mask

    @staticmethod
    def _pack(xp, padded, sizes):
        return xp.concatenate([padded[t, :b] for t, b in enumerate(sizes)], axis=0)

    def updateOutput(self, input):
        if self.dropout and self.train is not False and self.numLayers > 1:
            raise TorchValueError("%s: dropout between layers is not supported" % self.typename)
        packed = self._packed(input)
        if packed is not None:   # batchFirst does not apply to a packed sequence (cudnn's rule)
            data, sizes = packed
            xp = _xp(data._a)
            xa, mask = self._unpack(xp, xp.ascontiguousarray(data._a), sizes)
        else:
            if input.dim() != 3:
                utils.bad_input(self, "a 3D tensor (seqLength x batch x inputSize)", input)
            x = input.transpose(0, 1) if self.batchFirst else input
            xp = _xp(input._a)
            xa, mask, sizes = xp.ascontiguousarray(x._a), None, None
        T, B, I = xa.shape
        self.inputPacked = packed is not None
        if I != self.inputSize:
            utils.bad_input(self, "inputs of inputSize %d" % self.inputSize, input)
        w = self.weight._a
        D, H, L = int(self.numDirections), self.hiddenSize, self.numLayers * int(self.numDirections)
        if self.rememberStates and self.hiddenOutput.nElement() == L * B * H:
            h0 = xp.ascontiguousarray(self.hiddenOutput._a)
            c0 = xp.ascontiguousarray(self.cellOutput._a) if self.cellOutput.nElement() else xp.zeros_like(h0)
        else:
            h0 = self._states("hiddenInput", L, B, xp, xa.dtype)
            c0 = self._states("cellInput", L, B, xp, xa.dtype)
        hy, cy = xp.zeros((L, B, H), xa.dtype), xp.zeros((L, B, H), xa.dtype)
        self._cache = []
        layer_in = xa
        for layer in range(self.numLayers):
            outs = []
            for d in range(D):
                p = layer * D + d
                W, R, bW, bR = self._params(w, p)
                steps = self._run(xp, layer_in, W, R, bW, bR, h0[p], c0[p], d == 1, mask)
                hs, cs = steps[0], steps[1]
                hy[p], cy[p] = hs[-1] if d == 0 else hs[0], cs[-1] if d == 0 else cs[0]
                outs.append(hs[1:] if d == 0 else hs[:-1])
                self._cache.append((layer_in, steps))
            layer_in = outs[0] if D == 1 else xp.concatenate(outs, axis=2)
        self.miniBatch, self.seqLength = B, T
        self._mask, self._sizes = mask, sizes
        if mask is not None:
            y = self._pack(xp, layer_in, sizes)
        else:
            y = layer_in.transpose(1, 0, 2) if self.batchFirst else layer_in
        self.output.resize(*y.shape)
        self.output._a[...] = y
        for name, a in (("hiddenOutput", hy), ("cellOutput", cy)):
            t = self.__dict__[name]
            t.resize(*a.shape)
            t._a[...] = a
        return self.output

    def _run(self, xp, x, W, R, bW, bR, h0, c0, reverse, mask=None):
        """One direction of one layer: (hs, cs, gates) with hs/cs T+1 states in time order (the
        start at index 0 going forward, at index T going backward) and the per-step activations."""
        T, B, _ = x.shape
        H = self.hiddenSize
        Wx = (x.reshape(T * B, -1) @ W.T + bW).reshape(T, B, -1)
        hs, cs = xp.zeros((T + 1, B, H), x.dtype), xp.zeros((T + 1, B, H), x.dtype)
        gates = xp.zeros((T, B, 4 * H), x.dtype)   # LSTM: i, f, c, o; GRU: r, z, n, R_n h + b_Rn
        order = range(T - 1, -1, -1) if reverse else range(T)
        prev = T if reverse else 0
        hs[prev], cs[prev] = h0, c0
        for t in order:
            cur = t if reverse else t + 1
            h = hs[prev]
            Rh = h @ R.T + bR
            a = Wx[t]
            if self.mode == "CUDNN_RNN_RELU":
                hs[cur] = xp.maximum(a + Rh, 0)
            elif self.mode == "CUDNN_RNN_TANH":
                hs[cur] = xp.tanh(a + Rh)
            elif self.mode == "CUDNN_LSTM":
                g = a + Rh
                i, f, c, o = (_sigmoid(xp, g[:, :H]), _sigmoid(xp, g[:, H:2 * H]), xp.tanh(g[:, 2 * H:3 * H]),
                              _sigmoid(xp, g[:, 3 * H:]))
                gates[t] = xp.concatenate([i, f, c, o], axis=1)
                cs[cur] = f * cs[prev] + i * c
                hs[cur] = o * xp.tanh(cs[cur])
            else:   # GRU: the new memory sees r * (R_n h + b_Rn)
                r = _sigmoid(xp, a[:, :H] + Rh[:, :H])
                z = _sigmoid(xp, a[:, H:2 * H] + Rh[:, H:2 * H])
                n = xp.tanh(a[:, 2 * H:] + r * Rh[:, 2 * H:])
                gates[t] = xp.concatenate([r, z, n, Rh[:, 2 * H:]], axis=1)
                hs[cur] = (1 - z) * n + z * h
            if mask is not None:   # a sequence not running at step t keeps its state
                hs[cur] = xp.where(mask[t], hs[cur], hs[prev])
                cs[cur] = xp.where(mask[t], cs[cur], cs[prev])
            prev = cur
        return hs, cs, gates

    # -- backward -------------------------------------------------------------------------------
    def updateGradInput(self, input, gradOutput):
        cache = self.__dict__.get("_cache")
        if not cache:
            self.updateOutput(input)
            cache = self._cache
        D, H, L = int(self.numDirections), self.hiddenSize, self.numLayers * int(self.numDirections)
        mask, sizes = self.__dict__.get("_mask"), self.__dict__.get("_sizes")
        if not isinstance(gradOutput, Tensor) or (mask is not None
                                                  and list(gradOutput.size()) != [sum(sizes), H * D]):
            utils.bad_input(self, "a gradOutput of the output's size", gradOutput)
        xp = _xp(gradOutput._a)
        if mask is not None:
            dy = self._unpack(xp, xp.ascontiguousarray(gradOutput._a), sizes)[0]
        else:
            go = gradOutput.transpose(0, 1) if self.batchFirst else gradOutput
            dy = xp.ascontiguousarray(go._a)
        T, B = dy.shape[0], dy.shape[1]
        if list(dy.shape) != [T, B, H * D] or T != self.seqLength or B != self.miniBatch:
            utils.bad_input(self, "a gradOutput of the output's size", gradOutput)
        w = self.weight._a
        dhy = self._states("gradHiddenOutput", L, B, xp, dy.dtype)
        dcy = self._states("gradCellOutput", L, B, xp, dy.dtype)
        dw = xp.zeros(w.shape, dtype=w.dtype)
        dh0, dc0 = xp.zeros((L, B, H), dy.dtype), xp.zeros((L, B, H), dy.dtype)
        mats, biases, _ = self._layout()
        for layer in range(self.numLayers - 1, -1, -1):
            dx = None
            for d in range(D):
                p = layer * D + d
                x, (hs, cs, gates) = cache[p]
                W, R, bW, bR = self._params(w, p)
                dWx, dRh_all, dh0[p], dc0[p] = self._back(xp, dy[:, :, d * H:(d + 1) * H], hs, cs, gates, R,
                                                          dhy[p], dcy[p], d == 1, mask)
                G = dWx.shape[2]
                dW, dR, dbW, dbR = self._params(dw, p)
                dW += dWx.reshape(T * B, G).T @ x.reshape(T * B, -1)
                start = slice(1, T + 1) if d == 1 else slice(0, T)   # the state each step read
                dR += dRh_all.reshape(T * B, G).T @ hs[start].reshape(T * B, H)
                dbW += dWx.sum(axis=(0, 1))
                dbR += dRh_all.sum(axis=(0, 1))
                part = (dWx.reshape(T * B, G) @ W).reshape(T, B, -1)
                dx = part if dx is None else dx + part
            dy = dx
        self._dweight = dw
        gi = self._pack(xp, dy, sizes) if mask is not None else dy.transpose(1, 0, 2) if self.batchFirst else dy
        self.gradInput.resize(*gi.shape)
        self.gradInput._a[...] = gi
        for name, a in (("gradHiddenInput", dh0), ("gradCellInput", dc0)):
            t = self.__dict__[name]
            t.resize(*a.shape)
            t._a[...] = a
        return self.gradInput

    def _back(self, xp, dy, hs, cs, gates, R, dh_end, dc_end, reverse, mask=None):
        """Backpropagation through time of one direction: (d pre-activations of the input side
        T x B x G, of the recurrent side, d start state h, d start state c)."""
        T, B, H = dy.shape
        G = R.shape[0]
        dWx, dRh = xp.zeros((T, B, G), dy.dtype), xp.zeros((T, B, G), dy.dtype)
        dh, dc = dh_end.copy(), dc_end.copy()
        order = range(T) if reverse else range(T - 1, -1, -1)
        for t in order:
            cur, prev = (t, t + 1) if reverse else (t + 1, t)
            dh = dh + dy[t]
            dh_in, dc_in = dh, dc
            dh, dc = self._back_step(xp, dh, dc, hs, cs, cur, prev, gates[t], R, dWx, dRh, t)
            if mask is not None:   # a sequence not running at step t passed its state through
                m = mask[t]
                dWx[t] *= m
                dRh[t] *= m
                dh = xp.where(m, dh, dh_in)
                dc = xp.where(m, dc, dc_in)
        return dWx, dRh, dh, dc

    def _back_step(self, xp, dh, dc, hs, cs, cur, prev, g, R, dWx, dRh, t):
        """One step back: fills dWx[t], dRh[t]; returns the gradients of the state it read."""
        H = self.hiddenSize
        h, hp = hs[cur], hs[prev]
        if self.mode == "CUDNN_RNN_RELU":
            dWx[t] = dRh[t] = dh * (h > 0)
        elif self.mode == "CUDNN_RNN_TANH":
            dWx[t] = dRh[t] = dh * (1 - h * h)
        elif self.mode == "CUDNN_LSTM":
            i, f, c, o = g[:, :H], g[:, H:2 * H], g[:, 2 * H:3 * H], g[:, 3 * H:]
            tc = xp.tanh(cs[cur])
            dct = dc + dh * o * (1 - tc * tc)
            dWx[t] = dRh[t] = xp.concatenate([dct * c * i * (1 - i), dct * cs[prev] * f * (1 - f),
                                              dct * i * (1 - c * c), dh * tc * o * (1 - o)], axis=1)
            dc = dct * f
        else:   # GRU: h = (1 - z) n + z h_prev, n = tanh(W_n x + b_Wn + r (R_n h_prev + b_Rn))
            r, z, n, Rn = g[:, :H], g[:, H:2 * H], g[:, 2 * H:3 * H], g[:, 3 * H:]
            dn = dh * (1 - z) * (1 - n * n)
            dz = dh * (hp - n) * z * (1 - z)
            dr = dn * Rn * r * (1 - r)
            dWx[t] = xp.concatenate([dr, dz, dn], axis=1)
            dRh[t] = xp.concatenate([dr, dz, dn * r], axis=1)
            return dh * z + dRh[t] @ R, dc
        return dRh[t] @ R, dc

    def accGradParameters(self, input, gradOutput, scale=1):
        dw = self.__dict__.get("_dweight")
        if dw is None:
            self.updateGradInput(input, gradOutput)
            dw = self._dweight
        self.gradWeight.resizeAs(self.weight)
        self.gradWeight._a[...] += scale * dw

    # cuDNN's descriptors: nothing to describe here, the calls are accepted (scripts make them
    # after changing mode or sizes by hand; the layout is read from the fields every time)
    def resetWeightDescriptor(self):
        return self

    resetRNNDescriptor = resetDropoutDescriptor = resetInputDescriptor = resetOutputDescriptor = \
        resetHiddenDescriptors = resetCellDescriptors = clearDesc = resetWeightDescriptor

    def setSync(self, sync):
        self.sync = sync

    def resetStates(self):
        for name in ("hiddenInput", "cellInput", "gradHiddenOutput", "gradCellOutput"):
            self.__dict__.pop(name, None)
        self.hiddenOutput.zero()
        self.cellOutput.zero()

    # the forward's per-step states (_cache) and the weight gradient between updateGradInput and
    # accGradParameters (_dweight) are arrays of this run, not fields: never written nor converted
    _RUN_STATE = ("_cache", "_dweight", "_mask", "_sizes")

    def clearState(self):
        for k in self._RUN_STATE:
            self.__dict__.pop(k, None)
        return super().clearState()

    def type(self, typename=None, tensorCache=None):
        if typename is not None:
            for k in self._RUN_STATE:
                self.__dict__.pop(k, None)
        return super().type(typename, tensorCache)

    def _t7_fields_out(self, fields):
        for k in self._RUN_STATE:
            fields.pop(k, None)
        return super()._t7_fields_out(fields)

    def __tostring__(self):
        return "%s(%d -> %d, %d layers, %s%s)" % (self.typename, self.inputSize, self.hiddenSize, self.numLayers,
                                                  self.mode, ", bidirectional" if int(self.numDirections) == 2
                                                  else "")
