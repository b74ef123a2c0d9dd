"""nn.TemporalSubSampling(inputFrameSize, kW, dW=1): per feature, a learnable weight times the
sum over kW consecutive frames (stride dW), plus a learnable bias; input nFrame x
inputFrameSize or batch x nFrame x inputFrameSize."""

import numpy as np

from ..tensor import Tensor
from .Module import Module
from . import utils
from . import _spatial as S
from ..cuda.device import array_module as _xp


class TemporalSubSampling(Module):
    def __init__(self, inputFrameSize, kW, dW=1):
        super().__init__()
        self.inputFrameSize = inputFrameSize
        self.kW, self.dW = kW, dW
        self.weight = Tensor(inputFrameSize)
        self.bias = Tensor(inputFrameSize)
        self.gradWeight = Tensor(inputFrameSize)
        self.gradBias = Tensor(inputFrameSize)
        self.reset()

    def reset(self, stdv=None):
        return S.reset_uniform(self, stdv, self.kW)

    def _x(self, input):
        f = self.inputFrameSize
        expected = "a 2D (nFrame x %d) or 3D (batch x nFrame x %d) tensor" % (f, f)
        S.check_tensor(self, input, (2, 3), expected)
        if input._size[-1] != f or input._size[-2] < self.kW:
            utils.bad_input(self, expected + " of at least %d frames" % self.kW, input)
        x = S.arr(input)
        x = x.reshape((-1,) + x.shape[-2:])
        n = (x.shape[1] - self.kW) // self.dW + 1
        return x, n

    def _sums(self, x, n):
        xp = _xp(x)   # numpy, or CuPy for a Cuda tensor
        c = xp.concatenate([xp.zeros((x.shape[0], 1, x.shape[2]), x.dtype), xp.cumsum(x, axis=1)], axis=1)
        starts = np.arange(n) * self.dW
        return c[:, starts + self.kW] - c[:, starts]

    def updateOutput(self, input):
        x, n = self._x(input)
        y = self._sums(x, n) * self.weight._a + self.bias._a
        shape = input._size[:-2] + (n, self.inputFrameSize)
        S.out(self.output, shape)[...] = y.reshape(shape)
        return self.output

    def updateGradInput(self, input, gradOutput):
        x, n = self._x(input)
        S.check_grad(self, gradOutput, self.output._size)
        g = S.arr(gradOutput).reshape(x.shape[0], n, -1) * self.weight._a
        gi = _xp(x).zeros(x.shape, x.dtype)
        for k in range(self.kW):
            gi[:, k:k + self.dW * (n - 1) + 1:self.dW] += g
        S.out(self.gradInput, input._size)[...] = gi.reshape(input._size)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        x, n = self._x(input)
        g = S.arr(gradOutput).reshape(x.shape[0], n, -1)
        self.gradWeight._a[...] += scale * (g * self._sums(x, n)).sum(axis=(0, 1))
        self.gradBias._a[...] += scale * g.sum(axis=(0, 1))
