"""nn.SpatialConvolutionMap(connTable, kW, kH, dW=1, dH=1): a valid 2-D cross-correlation in which
row k of connTable (input plane, output plane; 0-based) connects one input plane to one output
plane through its own kH x kW kernel weight[k]; each output plane gets a bias.  3D (nPlane x H x W)
or 4D batch input.  connTable and connTableRev are 1-based in t7 files (the hooks convert).
The tables live in nn.tables (full, oneToOne, random)."""
import math

import numpy as np

from ..errors import TorchValueError
from ..tensor import Tensor
from .Module import Module
from . import utils
from . import _nd
from . import _spatial as S
from . import tables  # noqa: F401  (makes nn.tables available)
from ..cuda.device import array_module as _xp, to_host


def _pairs(connTable):
    c = to_host(connTable._a).astype(np.float64, copy=False)   # :cuda() moves the table too
    if c.ndim != 2 or c.shape[1] != 2 or not np.array_equal(c, np.round(c)) or (c.size and c.min() < 0):
        raise TorchValueError("connection table must be a K x 2 tensor of 0-based plane indices")
    c = c.astype(np.int64)
    return c[:, 0], c[:, 1]


def table_rev(connTable):
    """Torch7's reverse lookup (nOutputPlane x fanin x 2: input plane, kernel row) when every output
    plane has the same fan-in, else an empty table (Torch7 fills each row from its last slot)."""
    ins, outs = _pairs(connTable)
    n = int(outs.max()) + 1 if outs.size else 0
    if not n or len(outs) % n:
        return []
    fanin = len(outs) // n
    rev = np.zeros((n, fanin, 2))
    for o in range(n):
        rows = np.nonzero(outs == o)[0][:fanin]
        if len(rows) != fanin:
            return []
        rev[o, ::-1, 0] = ins[rows]
        rev[o, ::-1, 1] = rows
    return Tensor(rev)


def dense(module, weight, nIn, dtype):
    """The connections as one dense nOutputPlane x nIn x kH x kW kernel (absent pairs are zero)."""
    ins, outs = _pairs(module.connTable)
    w = _xp(weight).zeros((module.nOutputPlane, nIn) + weight.shape[1:], dtype)   # where weight lives
    np.add.at(w, (outs, ins), weight)
    return w


def init_map(module, conMatrix, kW, kH, dW, dH):
    module.kW, module.kH = kW, kH
    module.dW, module.dH = dW or 1, dH or 1
    module.connTable = conMatrix
    ins, outs = _pairs(conMatrix)
    module.nInputPlane = int(ins.max()) + 1
    module.nOutputPlane = int(outs.max()) + 1
    K = conMatrix._size[0]
    module.weight = Tensor(K, kH, kW)
    module.bias = Tensor(module.nOutputPlane)
    module.gradWeight = Tensor(K, kH, kW)
    module.gradBias = Tensor(module.nOutputPlane)


def reset_map(module, stdv):
    if stdv is not None:
        stdv = stdv * math.sqrt(3)
        utils.uniform_(module.weight, -stdv, stdv)
        utils.uniform_(module.bias, -stdv, stdv)
        return module
    _, outs = _pairs(module.connTable)
    ninp = np.bincount(outs, minlength=module.nOutputPlane)
    area = module.kW * module.kH
    for k, o in enumerate(outs):
        s = 1 / math.sqrt(area * ninp[o])
        utils.uniform_(module.weight.select(0, k), -s, s)
    with np.errstate(divide="ignore"):
        for k in range(module.nOutputPlane):
            s = 1 / math.sqrt(area * ninp[k]) if ninp[k] else math.inf
            utils.uniform_(module.bias.narrow(0, k, 1), -s, s)
    return module


def scatter_grad_weight(module, gw_dense, scale):
    ins, outs = _pairs(module.connTable)
    module.gradWeight._a[...] += scale * gw_dense[outs, ins]


class ConnectionMap:
    """What SpatialConvolutionMap and SpatialFullConvolutionMap share: Torch7's reset over each
    output plane's fan-in, and gradOutput checked against the output size (`_osize`)."""

    def reset(self, stdv=None):
        return reset_map(self, stdv)

    def _g(self, input, gradOutput):
        osize = self._osize(input)
        S.check_grad(self, gradOutput, osize)
        return S.arr(gradOutput).reshape((-1,) + osize[-3:])


class SpatialConvolutionMap(ConnectionMap, Module):
    t7_index_fields = ("connTable", "connTableRev")

    def __init__(self, conMatrix, kW, kH, dW=1, dH=1):
        super().__init__()
        init_map(self, conMatrix, kW, kH, dW, dH)
        self.connTableRev = table_rev(conMatrix)
        self.reset()

    def _x(self, input):
        what = "a 3D (nPlane x H x W) or 4D (batch x nPlane x H x W) tensor with nPlane >= %d" % self.nInputPlane
        S.check_tensor(self, input, (3, 4), what)
        C, H, W = input._size[-3:]
        if C < self.nInputPlane or H < self.kH or W < self.kW:
            utils.bad_input(self, what + " of at least the kernel size", input)
        x = S.arr(input)
        if input.dim() == 3:
            return x[None, :self.nInputPlane]
        # Torch7's kernel steps from sample to sample by nInputPlane planes, not by the input's
        # own plane count: with more planes than the table uses, sample m reads planes
        # m*nInputPlane ... of the flat input, and so do we
        B = x.shape[0]
        return x.reshape(-1, H, W)[:B * self.nInputPlane].reshape(B, self.nInputPlane, H, W)

    def _osize(self, input):
        H, W = input._size[-2:]
        return input._size[:-3] + (self.nOutputPlane, (H - self.kH) // self.dH + 1, (W - self.kW) // self.dW + 1)

    def updateOutput(self, input):
        x = self._x(input)
        w = dense(self, self.weight._a, x.shape[1], x.dtype)
        y = _nd.conv_forward(x, w, (self.dH, self.dW), (0, 0), (1, 1))
        y += self.bias._a[None, :, None, None]
        S.out(self.output, self._osize(input))[...] = y.reshape(self._osize(input))
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        x = self._x(input)
        g = self._g(input, gradOutput)
        w = dense(self, self.weight._a, x.shape[1], x.dtype)
        gi = _nd.conv_backward_input(g, w, x.shape[2:], (self.dH, self.dW), (0, 0), (1, 1))
        out = S.out(self.gradInput, input._size)
        out[...] = 0
        H, W = input._size[-2:]
        flat = out.reshape(-1, H, W)   # the planes the forward read (see _x), the others stay 0
        flat[:gi.shape[0] * gi.shape[1]] = gi.reshape(-1, H, W)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        x = self._x(input)
        g = self._g(input, gradOutput)
        gw = _nd.conv_backward_weight(x, g, (self.kH, self.kW), (self.dH, self.dW), (0, 0), (1, 1))
        scatter_grad_weight(self, gw, scale)
        self.gradBias._a[...] += scale * g.sum(axis=(0, 2, 3))

    def decayParameters(self, decay):
        self.weight._a[...] *= 1 - decay
        self.bias._a[...] *= 1 - decay
