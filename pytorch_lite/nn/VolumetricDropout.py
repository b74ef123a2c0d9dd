"""nn.VolumetricDropout(p=0.5): SpatialDropout for 4D (nfeat x t x h x w) or 5D (batch x ...)
inputs: in training one Bernoulli draw per feature volume (kept in `noise`) zeroes whole
volumes; in evaluate mode the input is scaled by 1-p."""
import numpy as np

from ..errors import TorchRuntimeError, TorchValueError
from ..tensor import Tensor
from .Module import Module
from . import utils
from . import _spatial as S


class VolumetricDropout(Module):
    def __init__(self, p=0.5, stochasticInference=False):
        super().__init__()
        self.p = p
        self.train = True
        self.stochastic_inference = stochasticInference
        self.noise = Tensor()

    def updateOutput(self, input):
        S.check_tensor(self, input, (4, 5), "a 4D (nfeat x t x h x w) or 5D (nbatch x nfeat x t x h x w) tensor")
        y = S.out(self.output, input._size)
        y[...] = S.arr(input)
        if self.train or S.get(self, "stochastic_inference", False):
            nsize = input._size[:-3] + (1, 1, 1)
            if type(self.noise) is not type(input):
                self.noise = input.new()
            self.noise.resize(*nsize).bernoulli(1 - self.p)
            y *= self.noise._a
        else:
            y *= 1 - self.p
        return self.output

    def updateGradInput(self, input, gradOutput):
        if not self.train:
            raise TorchRuntimeError("%s: backprop only defined while training" % self.typename)
        S.check_grad(self, gradOutput, input._size)
        if self.noise._size != input._size[:-3] + (1, 1, 1):
            raise TorchValueError("%s: updateGradInput needs a forward on this input first" % self.typename)
        gi = S.out(self.gradInput, input._size)
        np.multiply(S.arr(gradOutput), self.noise._a, out=gi)
        return self.gradInput

    def setp(self, p):
        self.p = p

    def clearState(self):
        utils.clear(self, "noise")
        return super().clearState()

    def __tostring__(self):
        return "%s(%f)" % (self.typename, self.p)
