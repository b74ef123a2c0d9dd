"""nn.SoftSign(): y = x / (1 + |x|)."""
import numpy as np

from .Module import Module
from . import utils


class SoftSign(Module):
    def updateOutput(self, input):
        x = input._a
        self.output.resizeAs(input)
        y = self.output._a
        np.divide(x, np.abs(x) + 1, out=y)
        return self.output

    def updateGradInput(self, input, gradOutput):
        utils.check_grad(self, input, gradOutput)
        x = input._a
        self.output._a
        g = gradOutput._a.reshape(x.shape)
        self.gradInput.resizeAs(input)
        gi = self.gradInput._a
        t = np.abs(x) + 1
        np.divide(g, t * t, out=gi)
        return self.gradInput
