"""nn.HardShrink(lambda=0.5): x where |x| > lambda, else 0."""
import numpy as np

from .Module import Module
from . import utils


class HardShrink(Module):
    def __init__(self, lam=0.5):
        super().__init__()
        setattr(self, "lambda", lam)  # Torch7's field name
    def updateOutput(self, input):
        x = input._a
        self.output.resizeAs(input)
        y = self.output._a
        np.copyto(y, np.where((x > self.__dict__["lambda"]) | (x < -self.__dict__["lambda"]), x, 0))
        return self.output

    def updateGradInput(self, input, gradOutput):
        utils.check_grad(self, input, gradOutput)
        x = input._a
        self.output._a
        g = gradOutput._a.reshape(x.shape)
        self.gradInput.resizeAs(input)
        gi = self.gradInput._a
        np.copyto(gi, np.where((x > self.__dict__["lambda"]) | (x < -self.__dict__["lambda"]), g, 0))
        return self.gradInput
