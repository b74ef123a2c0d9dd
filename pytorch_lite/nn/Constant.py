"""nn.Constant(value, nInputDim=None): outputs a constant (a number or a tensor) whatever the
input; with nInputDim, an input with more dims is a batch and the constant is repeated for each
of its input.size(0) samples.  gradInput is zeros."""
import numpy as np

from ..errors import TorchTypeError
from ..tensor import Tensor
from .Module import Module


class Constant(Module):
    nInputDim = None

    def __init__(self, value, nInputDim=None):
        if isinstance(value, (int, float)):
            value = Tensor([float(value)])
        if not isinstance(value, Tensor):
            raise TorchTypeError("nn.Constant: expecting number or tensor at arg 1")
        self.value = value
        self.nInputDim = nInputDim
        super().__init__()

    def updateOutput(self, input):
        v = self.value
        if type(self.output) is not type(v):
            self.output = v.new()
        if self.nInputDim is not None and input.dim() > self.nInputDim:
            self.output.resize(input.size(0), *v._size)
            self.output._a[...] = v._a[None]
        else:
            self.output.resize(*v._size)
            self.output._a[...] = v._a
        return self.output

    def updateGradInput(self, input, gradOutput):
        if type(self.gradInput) is not type(input):
            self.gradInput = input.new()
        self.gradInput.resizeAs(input).zero()
        return self.gradInput
