"""nn.Dropout(p=0.5, v1=False, inplace=False): zeroes inputs with probability p in training.

Version 2 (the default) scales kept inputs by 1/(1-p) while training; v1 scales by (1-p) while
evaluating.  The mask comes from the global generator (bernoulli), as Torch7's does."""

from ..errors import TorchValueError
from ..tensor import Tensor
from .Module import Module
from . import utils


class Dropout(Module):
    # Torch7 fields that may be nil (absent from a t7 file): their defaults
    stochastic_inference = False
    v2 = None  # files from before Dropout v2 lack it: v1 behaviour
    inplace = False

    def __init__(self, p=0.5, v1=False, inplace=False, stochasticInference=False):
        super().__init__()
        self.p = 0.5 if p is None else p
        self.train = True
        self.inplace = inplace
        self.stochastic_inference = stochasticInference
        self.v2 = not v1
        if self.p >= 1 or self.p < 0:
            raise TorchValueError("<Dropout> illegal percentage, must be 0 <= p < 1")
        self.noise = Tensor()

    def updateOutput(self, input):
        if self.inplace:
            self.output.set(input)
        else:
            self.output.resizeAs(input).copy(input)
        if self.p > 0:
            if self.train or self.stochastic_inference:
                self.noise.resizeAs(input)
                self.noise.bernoulli(1 - self.p)
                if self.v2:
                    self.noise._a[...] /= (1 - self.p)
                self.output._a[...] *= self.noise._a
            elif not self.v2:
                self.output._a[...] *= (1 - self.p)
        return self.output

    def updateGradInput(self, input, gradOutput):
        utils.check_grad(self, input, gradOutput)
        if self.inplace:
            self.gradInput.set(gradOutput)
        else:
            self.gradInput.resizeAs(gradOutput).copy(gradOutput)
        if self.train:
            if self.p > 0:
                self.gradInput._a[...] *= self.noise._a.reshape(self.gradInput._a.shape)
        elif not self.v2 and self.p > 0:
            self.gradInput._a[...] *= (1 - self.p)
        return self.gradInput

    def setp(self, p):
        self.p = p
        return self

    def clearState(self):
        if self.noise is not None:
            self.noise.set()
        return super().clearState()

    def __tostring__(self):
        return "%s(%f)" % (self.typename, self.p)
