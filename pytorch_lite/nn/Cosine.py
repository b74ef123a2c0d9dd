"""nn.Cosine(inputSize, outputSize): y_j = <w_j, x> / (||w_j|| ||x||), the cosine similarity of
the input with each row of the outputSize x inputSize weight (norms get +1e-12, as in Torch7)."""
import math

import numpy as np

from ..tensor import Tensor
from .Module import Module
from . import utils

_EPS = 1e-12


class Cosine(Module):
    def __init__(self, inputSize, outputSize):
        super().__init__()
        self.weight = Tensor(outputSize, inputSize)
        self.gradWeight = Tensor(outputSize, inputSize)
        self.reset()

    def reset(self, stdv=None):
        stdv = stdv * math.sqrt(3) if stdv is not None else 1.0 / math.sqrt(self.weight.size(0))
        utils.uniform_(self.weight, -stdv, stdv)
        return self

    def _parts(self, input):
        n_in = self.weight._size[1]
        if not isinstance(input, Tensor) or input.dim() not in (1, 2) or input._size[-1] != n_in:
            utils.bad_input(self, "a vector of size %d or a matrix nFrame x %d" % (n_in, n_in), input)
        x = input._a.reshape(-1, n_in)
        w = self.weight._a
        wn = np.sqrt((w * w).sum(1)) + _EPS     # outputSize
        xn = np.sqrt((x * x).sum(1)) + _EPS     # N
        return x, w, wn, xn

    def updateOutput(self, input):
        x, w, wn, xn = self._parts(input)
        y = (x @ w.T) / wn[None, :] / xn[:, None]
        if input.dim() == 1:
            y = y[0]
        self.output.resize(*y.shape)
        self.output._a[...] = y
        return self.output

    def _grad(self, gradOutput):
        n_out = self.weight._size[0]
        if not isinstance(gradOutput, Tensor) or gradOutput.nElement() != self.output.nElement():
            utils.bad_input(self, "a gradOutput of the output's size (%s)" % utils.shape_str(self.output),
                            gradOutput)
        return gradOutput._a.reshape(-1, n_out), self.output._a.reshape(-1, n_out)

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        x, w, wn, xn = self._parts(input)
        g, y = self._grad(gradOutput)
        # dy_j/dx = w_j / (|w_j| |x|) - y_j x / |x|^2
        gi = ((g / wn[None, :]) @ w - (g * y).sum(1)[:, None] * x / xn[:, None]) / xn[:, None]
        self.gradInput.resizeAs(input)
        self.gradInput._a[...] = gi.reshape(input._a.shape)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        x, w, wn, xn = self._parts(input)
        g, y = self._grad(gradOutput)
        # dy_j/dw_j = x / (|w_j| |x|) - y_j w_j / |w_j|^2
        gw = (g.T @ (x / xn[:, None]) - (g * y).sum(0)[:, None] * w / wn[:, None]) / wn[:, None]
        self.gradWeight._a[...] += scale * gw
