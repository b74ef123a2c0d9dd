"""nn.CMul(*size): y = w .* x with a learnable weight of the given size; inputs with more
elements are a batch (first dim), the weight broadcast over it; a size-1 weight dim broadcasts."""
import math

import numpy as np

from ..storage import LongStorage
from ..tensor import Tensor
from .Module import Module
from . import utils


def _size_arg(args):
    if len(args) == 1 and isinstance(args[0], (LongStorage, list, tuple)):
        return [int(v) for v in args[0]]
    return [int(v) for v in args]


class CMul(Module):
    _param = "weight"

    def __init__(self, *size):
        super().__init__()
        size = _size_arg(size)
        self.size = LongStorage(size)
        self.weight = Tensor(*size)
        self.gradWeight = Tensor(*size)
        self.output.resize(*size)
        self.reset()

    def reset(self, stdv=None):
        stdv = stdv * math.sqrt(3) if stdv is not None else 1.0 / math.sqrt(self.weight.nElement())
        utils.uniform_(self.weight, -stdv, stdv)
        return self

    def _param_like(self, input):
        """The parameter viewed so it broadcasts against input's array."""
        p = getattr(self, self._param)._a
        x = input._a
        if not isinstance(input, Tensor):
            utils.bad_input(self, "a tensor", input)
        if x.size == p.size:
            return p.reshape(x.shape)
        if p.ndim == x.ndim:  # same rank: numpy broadcasting over the size-1 dims
            try:
                np.broadcast_shapes(p.shape, x.shape)
                return p
            except ValueError:
                pass
        if x.ndim >= 1 and x.shape[0] and (x.size // x.shape[0]) % p.size == 0 and p.size:
            n = x.size // x.shape[0]
            if n == p.size:
                return p.reshape((1,) + x.shape[1:])
            rest = p.reshape((1,) + p.shape) if p.ndim == x.ndim - 1 else None
            if rest is not None:
                try:
                    np.broadcast_shapes(rest.shape, x.shape)
                    return rest
                except ValueError:
                    pass
        utils.bad_input(self, "an input that %s of size %s broadcasts over"
                        % (self._param, "x".join(map(str, p.shape))), input)

    def updateOutput(self, input):
        w = self._param_like(input)
        self.output.resizeAs(input)
        np.multiply(input._a, w, out=self.output._a)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        utils.check_grad(self, input, gradOutput)
        w = self._param_like(input)
        self.gradInput.resizeAs(input)
        np.multiply(gradOutput._a.reshape(input._a.shape), w, out=self.gradInput._a)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        x = input._a
        g = x * gradOutput._a.reshape(x.shape)
        _acc_broadcast(self.gradWeight._a, g, self._param_like(input).shape, scale)


def _acc_broadcast(gp, g, bshape, scale):
    """gp += scale * g summed down to the broadcast shape bshape (which has g's rank)."""
    axes = tuple(i for i, (a, b) in enumerate(zip(bshape, g.shape)) if a == 1 and b != 1)
    s = g.sum(axis=axes, keepdims=True) if axes else g
    gp += scale * s.reshape(gp.shape)
