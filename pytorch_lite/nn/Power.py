"""nn.Power(p): y = x^p."""
import numpy as np

from .Module import Module
from . import utils


class Power(Module):
    def __init__(self, p):
        super().__init__()
        self.pow = p
        if p is None:
            raise ValueError('nn.Power(p): p must be a number')
    def updateOutput(self, input):
        x = input._a
        self.output.resizeAs(input)
        y = self.output._a
        np.power(x, x.dtype.type(self.pow), out=y)
        return self.output

    def updateGradInput(self, input, gradOutput):
        utils.check_grad(self, input, gradOutput)
        x = input._a
        self.output._a
        g = gradOutput._a.reshape(x.shape)
        self.gradInput.resizeAs(input)
        gi = self.gradInput._a
        np.multiply(np.power(x, x.dtype.type(self.pow - 1)) * x.dtype.type(self.pow), g, out=gi)
        return self.gradInput
