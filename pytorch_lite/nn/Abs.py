"""nn.Abs(): y = |x|."""
import numpy as np

from .Module import Module
from . import utils


class Abs(Module):
    def updateOutput(self, input):
        x = input._a
        self.output.resizeAs(input)
        y = self.output._a
        np.abs(x, out=y)
        return self.output

    def updateGradInput(self, input, gradOutput):
        utils.check_grad(self, input, gradOutput)
        x = input._a
        self.output._a
        g = gradOutput._a.reshape(x.shape)
        self.gradInput.resizeAs(input)
        gi = self.gradInput._a
        np.copyto(gi, np.where(x >= 0, g, -g))
        return self.gradInput
