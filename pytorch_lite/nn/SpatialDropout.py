"""nn.SpatialDropout(p=0.5): in training, zeroes whole feature maps with probability p (one
Bernoulli draw per map, kept in `noise`); in evaluate mode, scales the input by 1-p (Torch7 does
not rescale while training)."""
import numpy as np

from ..errors import TorchRuntimeError, TorchValueError
from ..tensor import Tensor
from .Module import Module
from . import utils
from . import _spatial as S


class SpatialDropout(Module):
    def __init__(self, p=0.5, stochasticInference=False):
        super().__init__()
        self.p = p
        self.train = True
        self.stochastic_inference = stochasticInference
        self.noise = Tensor()

    def updateOutput(self, input):
        S.check_tensor(self, input, (3, 4), "a 3D (nfeat x h x w) or 4D (nbatch x nfeat x h x w) tensor")
        x = S.arr(input)
        y = S.out(self.output, input._size)
        y[...] = x
        if self.train or S.get(self, "stochastic_inference", False):
            nsize = input._size[:-2] + (1, 1)
            if not isinstance(self.noise, Tensor) or type(self.noise) is not type(input):
                self.noise = input.new()
            self.noise.resize(*nsize)
            if hasattr(self.noise, "bernoulli"):
                self.noise.bernoulli(1 - self.p)
            else:  # no THRandom stream available: numpy draws
                self.noise._a[...] = np.random.random_sample(nsize) < 1 - self.p
            y *= self.noise._a
        else:
            y *= 1 - self.p
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        if not self.train:
            raise TorchRuntimeError("%s: backprop only defined while training" % self.typename)
        S.check_grad(self, gradOutput, input._size)
        if self.noise._size != input._size[:-2] + (1, 1):
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
