"""nn.Sigmoid(): y = 1 / (1 + exp(-x))."""
import numpy as np

from .Module import Module
from . import utils


class Sigmoid(Module):
    def updateOutput(self, input):
        x = input._a
        self.output.resizeAs(input)
        y = self.output._a
        np.divide(1, 1 + np.exp(-x), out=y)
        return self.output

    def updateGradInput(self, input, gradOutput):
        utils.check_grad(self, input, gradOutput)
        x = input._a
        y = self.output._a
        g = gradOutput._a.reshape(x.shape)
        self.gradInput.resizeAs(input)
        gi = self.gradInput._a
        np.multiply(g, (1 - y) * y, out=gi)
        return self.gradInput
