"""nn.LogSigmoid(): y = -log(1 + exp(-x))."""
import numpy as np

from .Module import Module
from . import utils


class LogSigmoid(Module):
    def updateOutput(self, input):
        x = input._a
        self.output.resizeAs(input)
        y = self.output._a
        # the stable form THNN uses: max trick around 0
        m = np.maximum(0, -x)
        z = np.exp(-m) + np.exp(-x - m)
        np.negative(m + np.log(z), out=y)
        return self.output

    def updateGradInput(self, input, gradOutput):
        utils.check_grad(self, input, gradOutput)
        x = input._a
        self.output._a
        g = gradOutput._a.reshape(x.shape)
        self.gradInput.resizeAs(input)
        gi = self.gradInput._a
        m = np.maximum(0, -x)
        z = np.exp(-m) + np.exp(-x - m)
        np.multiply(g, np.exp(-x - m) / z, out=gi)
        return self.gradInput
