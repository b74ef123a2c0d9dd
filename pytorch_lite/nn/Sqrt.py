"""nn.Sqrt(b=0): y = sqrt(x + b)."""
import numpy as np

from .Module import Module
from . import utils


class Sqrt(Module):
    def __init__(self, b=0):
        super().__init__()
        self.eps = b
    def updateOutput(self, input):
        x = input._a
        self.output.resizeAs(input)
        y = self.output._a
        np.sqrt(x + x.dtype.type(self.eps), out=y)
        return self.output

    def updateGradInput(self, input, gradOutput):
        utils.check_grad(self, input, gradOutput)
        x = input._a
        y = self.output._a
        g = gradOutput._a.reshape(x.shape)
        self.gradInput.resizeAs(input)
        gi = self.gradInput._a
        with np.errstate(divide="ignore", invalid="ignore"):
            np.copyto(gi, np.where(y == 0, 0, g * 0.5 / y))
        return self.gradInput
