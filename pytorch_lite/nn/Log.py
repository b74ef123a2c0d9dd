"""nn.Log(): y = log(x)."""
import numpy as np

from .Module import Module
from . import utils


class Log(Module):
    def updateOutput(self, input):
        x = input._a
        self.output.resizeAs(input)
        y = self.output._a
        np.log(x, out=y)
        return self.output

    def updateGradInput(self, input, gradOutput):
        utils.check_grad(self, input, gradOutput)
        x = input._a
        self.output._a
        g = gradOutput._a.reshape(x.shape)
        self.gradInput.resizeAs(input)
        gi = self.gradInput._a
        np.divide(g, x, out=gi)
        return self.gradInput
