"""nn.Mul(): y = w * x with one learnable scalar w."""
import math

import numpy as np

from ..tensor import Tensor
from .Module import Module
from . import utils


class Mul(Module):
    def __init__(self, inputSize=None):
        super().__init__()
        self.weight = Tensor(1)
        self.gradWeight = Tensor(1)
        self.reset()

    def reset(self, stdv=None):
        stdv = stdv * math.sqrt(3) if stdv is not None else 1.0
        utils.uniform_(self.weight, -stdv, stdv)
        return self

    def updateOutput(self, input):
        if not isinstance(input, Tensor):
            utils.bad_input(self, "a tensor", input)
        self.output.resizeAs(input)
        np.multiply(input._a, self.weight._a[0], out=self.output._a)
        return self.output

    def updateGradInput(self, input, gradOutput):
        utils.check_grad(self, input, gradOutput)
        self.gradInput.resizeAs(input)
        np.multiply(gradOutput._a.reshape(input._a.shape), self.weight._a[0], out=self.gradInput._a)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        x = input._a.reshape(-1)
        g = gradOutput._a.reshape(-1)
        self.gradWeight._a[0] += scale * float(np.dot(x, g))
