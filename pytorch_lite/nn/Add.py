"""nn.Add(inputSize, scalar=False): y = x + b, a learnable bias per element (or one scalar)."""
import math

import numpy as np

from ..tensor import Tensor
from .Module import Module
from . import utils


class Add(Module):
    # Torch7 fields that may be nil (absent from a t7 file): their defaults
    scalar = None  # Torch7 leaves it nil for a per-element bias

    def __init__(self, inputSize, scalar=False):
        super().__init__()
        size = 1 if scalar else inputSize
        self.scalar = scalar
        self.bias = Tensor(size)
        self.gradBias = Tensor(size)
        self._ones = Tensor(1).fill(1)
        self.reset()

    def reset(self, stdv=None):
        stdv = stdv * math.sqrt(3) if stdv is not None else 1.0 / math.sqrt(self.bias.size(0))
        utils.uniform_(self.bias, -stdv, stdv)
        return self

    def _bias_like(self, input):
        """The bias shaped to broadcast over input (one row per batch entry when sizes differ)."""
        b = self.bias._a
        if self.scalar:
            return b[0]
        x = input._a
        if input.nElement() == b.size and input.dim() == 1:
            return b
        if x.ndim == 0 or x[0].size != b.size:
            utils.bad_input(self, "a tensor of %d elements or a batch of them" % b.size, input)
        return b.reshape((1,) + x.shape[1:]) if input.nElement() != b.size else b.reshape(x.shape)

    def updateOutput(self, input):
        b = self._bias_like(input)
        self.output.resizeAs(input)
        np.add(input._a, b, out=self.output._a)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is not None:
            self.gradInput.resizeAs(gradOutput).copy(gradOutput)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        g = gradOutput._a
        gb = self.gradBias._a
        if gb.size == 1:
            gb += scale * g.sum()
        elif g.size == gb.size:
            gb += scale * g.reshape(gb.shape)
        else:
            gb += scale * g.reshape(g.shape[0], -1).sum(0)
