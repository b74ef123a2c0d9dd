"""nn.TanhShrink(): y = x - tanh(x)."""
import numpy as np

from .Module import Module
from . import utils


class TanhShrink(Module):
    def updateOutput(self, input):
        x = input._a
        self.output.resizeAs(input)
        np.subtract(x, np.tanh(x), out=self.output._a)
        return self.output

    def updateGradInput(self, input, gradOutput):
        utils.check_grad(self, input, gradOutput)
        t = np.tanh(input._a)
        self.gradInput.resizeAs(input)
        np.multiply(gradOutput._a.reshape(t.shape), t * t, out=self.gradInput._a)
        return self.gradInput
