"""nn.WhiteNoise(mean=0, stdev=0.1): in training, adds Gaussian noise N(mean, stdev) to the
input (drawn from the global generator into ``noise``); in evaluate mode, the identity."""
from ..tensor import Tensor
from .Module import Module
from . import utils


class WhiteNoise(Module):
    def __init__(self, mean=0, stdev=0.1):
        super().__init__()
        self.mean = mean
        self.stdev = stdev
        self.noise = Tensor()
        self.train = True

    def updateOutput(self, input):
        self.output.resizeAs(input).copy(input)
        if self.train:
            if type(self.noise) is not type(input):
                self.noise = input.new()
            self.noise.resizeAs(input).normal(self.mean, self.stdev)
            self.output._a[...] += self.noise._a
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput.resizeAs(gradOutput).copy(gradOutput)
        return self.gradInput

    def clearState(self):
        utils.clear(self, "noise")
        return super().clearState()

    def __tostring__(self):
        return "%s mean: %f, std: %f" % (self.typename, self.mean, self.stdev)  # as WhiteNoise.lua prints
