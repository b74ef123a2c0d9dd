"""nn.SoftPlus(beta=1, threshold=20): y = log(1 + exp(beta x)) / beta (linear beyond threshold)."""
import numpy as np

from .Module import Module
from . import utils


class SoftPlus(Module):
    def __init__(self, beta=1, threshold=20):
        super().__init__()
        self.beta = beta
        self.threshold = threshold
    def updateOutput(self, input):
        x = input._a
        self.output.resizeAs(input)
        y = self.output._a
        bx = x * x.dtype.type(self.beta)
        big = bx > self.threshold
        with np.errstate(over="ignore"):
            np.copyto(y, np.where(big, x, np.log1p(np.exp(np.where(big, 0, bx))) / x.dtype.type(self.beta)))
        return self.output

    def updateGradInput(self, input, gradOutput):
        utils.check_grad(self, input, gradOutput)
        x = input._a
        y = self.output._a
        g = gradOutput._a.reshape(x.shape)
        self.gradInput.resizeAs(input)
        gi = self.gradInput._a
        by = y * y.dtype.type(self.beta)
        big = by > self.threshold
        z = np.exp(np.where(big, 0, by))
        np.copyto(gi, np.where(big, g, g * (z - 1) / z))
        return self.gradInput
