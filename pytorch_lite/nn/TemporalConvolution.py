"""nn.TemporalConvolution(inputFrameSize, outputFrameSize, kW, dW=1): 1-D convolution over a
sequence of frames, input nInputFrame x inputFrameSize (or batch x nInputFrame x inputFrameSize).
Each output frame is weight (outputFrameSize x kW*inputFrameSize) times kW consecutive input
frames read as one vector: a strided window view and one GEMM, no copy of the input."""

import numpy as np

from ..tensor import Tensor
from .Module import Module
from . import utils
from . import _spatial as S
from ..cuda.device import array_module as _xp


class TemporalConvolution(Module):
    def __init__(self, inputFrameSize, outputFrameSize, kW, dW=1):
        super().__init__()
        self.inputFrameSize = inputFrameSize
        self.outputFrameSize = outputFrameSize
        self.kW = kW
        self.dW = dW
        self.weight = Tensor(outputFrameSize, inputFrameSize * kW)
        self.bias = Tensor(outputFrameSize)
        self.gradWeight = Tensor(outputFrameSize, inputFrameSize * kW)
        self.gradBias = Tensor(outputFrameSize)
        self.reset()

    def reset(self, stdv=None):
        return S.reset_uniform(self, stdv, self.kW * self.inputFrameSize)

    def _windows(self, input):
        F = self.inputFrameSize
        expected = "a 2D (nInputFrame x %d) or 3D (batch x nInputFrame x %d) tensor with nInputFrame >= %d" % (
            F, F, self.kW)
        S.check_tensor(self, input, (2, 3), expected)
        T = input._size[-2]
        if input._size[-1] != F or T < self.kW:
            utils.bad_input(self, expected, input)
        if input.dtype != self.weight.dtype:
            utils.bad_input(self, "a %s input (the module's type)" % self.weight.typename, input)
        x = S.arr(input)
        batch = input.dim() == 3
        if not batch:
            x = x.reshape((1,) + x.shape)
        oT = (T - self.kW) // self.dW + 1
        it = x.itemsize
        shape, strides = (x.shape[0], oT, self.kW * F), (x.strides[0], self.dW * F * it, it)
        if type(x) is np.ndarray:
            win = np.lib.stride_tricks.as_strided(x, shape, strides, writeable=False)
        else:   # a Cuda tensor: CuPy's as_strided (a view of the device memory, no writeable flag)
            win = _xp(x).lib.stride_tricks.as_strided(x, shape, strides)
        return x, win, batch, oT

    def updateOutput(self, input):
        x, win, batch, oT = self._windows(input)
        shape = (x.shape[0], oT, self.outputFrameSize)
        y = S.out(self.output, shape if batch else shape[1:]).reshape(shape)
        np.matmul(win, self.weight._a.T, out=y)
        y += self.bias._a
        return self.output

    def _grad(self, gradOutput, batch, N, oT):
        shape = (N, oT, self.outputFrameSize)
        S.check_grad(self, gradOutput, shape if batch else shape[1:])
        return S.arr(gradOutput).reshape(shape)

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        x, win, batch, oT = self._windows(input)
        g = self._grad(gradOutput, batch, x.shape[0], oT)
        gi = S.out(self.gradInput, input._size).reshape(x.shape)
        gi[...] = 0
        cols = g @ self.weight._a  # (N, oT, kW*F)
        F, dW = self.inputFrameSize, self.dW
        for k in range(self.kW):
            gi[:, k:k + (oT - 1) * dW + 1:dW, :] += cols[:, :, k * F:(k + 1) * F]
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        x, win, batch, oT = self._windows(input)
        g = self._grad(gradOutput, batch, x.shape[0], oT)
        g2 = g.reshape(-1, self.outputFrameSize)
        self.gradWeight._a[...] += scale * (g2.T @ win.reshape(-1, win.shape[2]))
        self.gradBias._a[...] += scale * g2.sum(0)
