"""nn.Euclidean(inputSize, outputSize): y_j = ||x - w_j||, the distance from the input to each of
outputSize learnable centres (the columns of the inputSize x outputSize weight)."""
import math

import numpy as np

from ..tensor import Tensor
from .Module import Module
from . import utils

# Torch7 adds this to y before dividing in backward, so a zero distance gives no NaN
_EPS = 1e-7


class Euclidean(Module):
    # Torch7 fields that may be nil (absent from a t7 file): their defaults
    fastBackward = None

    def __init__(self, inputSize, outputSize):
        super().__init__()
        self.weight = Tensor(inputSize, outputSize)
        self.gradWeight = Tensor(inputSize, outputSize)
        self.fastBackward = True
        self.reset()

    def reset(self, stdv=None):
        stdv = stdv * math.sqrt(3) if stdv is not None else 1.0 / math.sqrt(self.weight.size(0))
        utils.uniform_(self.weight, -stdv, stdv)
        return self

    def _diff(self, input):
        """x - w as an N x inputSize x outputSize array (N = 1 for a vector input)."""
        n_in = self.weight._size[0]
        if not isinstance(input, Tensor) or input.dim() not in (1, 2) or input._size[-1] != n_in:
            utils.bad_input(self, "a vector of size %d or a matrix nFrame x %d" % (n_in, n_in), input)
        x = input._a.reshape(-1, n_in)
        return x[:, :, None] - self.weight._a[None]

    def _scaled(self, d):
        return d

    def updateOutput(self, input):
        d = self._scaled(self._diff(input))
        y = np.sqrt(np.einsum("nij,nij->nj", d, d))
        if input.dim() == 1:
            y = y[0]
        self.output.resize(*y.shape)
        self.output._a[...] = y
        return self.output

    def _ratio(self, input, gradOutput):
        """gradOutput / (y + eps) as N x 1 x outputSize."""
        n_out = self.weight._size[1]
        if not isinstance(gradOutput, Tensor) or gradOutput.nElement() != self.output.nElement():
            utils.bad_input(self, "a gradOutput of the output's size (%s)" % utils.shape_str(self.output),
                            gradOutput)
        if not self.fastBackward:  # nil (WeightedEuclidean): recompute the forward
            self.updateOutput(input)
        return (gradOutput._a.reshape(-1, n_out) / (self.output._a.reshape(-1, n_out) + _EPS))[:, None, :]

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        d = self._diff(input)
        r = self._ratio(input, gradOutput)
        self.gradInput.resizeAs(input)
        self.gradInput._a[...] = (d * r * self._weights2()).sum(2).reshape(input._a.shape)
        return self.gradInput

    def _weights2(self):
        return 1.0

    def accGradParameters(self, input, gradOutput, scale=1):
        d = self._diff(input)
        r = self._ratio(input, gradOutput)
        self.gradWeight._a[...] -= scale * (d * r * self._weights2()).sum(0)
