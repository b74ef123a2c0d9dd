"""nn.WeightNorm(module, outputDim=0): weight normalisation (Salimans & Kingma 2016) of a module
with a ``weight``: w = g * v / ||v||, norms taken per slice along the 0-based ``outputDim``.
The learnable parameters are v, g (and the module's bias); forward writes w into the module's
weight.  Torch7's reset draws v ~ N(0, sqrt(2 / fan_in)), sets g = ||v|| and zeroes the bias.
A t7 file holds ``outputDim`` 1-based; the t7 hooks convert."""
import math

import numpy as np

from ..cuda.device import contiguous
from ..errors import TorchValueError
from ..storage import STORAGE_TYPES
from ..tensor import Tensor
from .Container import Container


class WeightNorm(Container):
    t7_index_fields = ("outputDim",)

    def __init__(self, module, outputDim=0):
        super().__init__()
        if module.__dict__.get("weight") is None:
            raise TorchValueError("nn.WeightNorm: the module needs a weight")
        if module.__dict__.get("bias") is not None:
            self.bias = module.bias
            self.gradBias = module.gradBias
        self.gradWeight = module.gradWeight
        self.weight = module.weight
        self.outputDim = 0 if outputDim is None else outputDim
        size = list(self.weight._size)
        d = self.outputDim
        self.otherDims = int(np.prod([s for i, s in enumerate(size) if i != d]))
        LongStorage = STORAGE_TYPES["torch.LongStorage"]
        self.viewIn = LongStorage([size[d], self.otherDims])
        self.viewOut = LongStorage([size[d]] + size[:d] + size[d + 1:])
        n = size[d]
        self.v = Tensor(n, self.otherDims)
        self.g = Tensor(n)
        self._norm = Tensor(n)
        self._scale = Tensor(n)
        self.gradG = Tensor(n).zero()
        self.gradV = Tensor(n, self.otherDims)
        self.modules = [module]
        self.resetInit()

    def _permute_in(self, a):
        return np.moveaxis(a, self.outputDim, 0)

    def _permute_out(self, a):
        return np.moveaxis(a, 0, self.outputDim)

    def _view_out(self):
        return tuple(int(s) for s in self.viewOut.tolist()) if hasattr(self.viewOut, "tolist") else \
            tuple(int(self.viewOut[i]) for i in range(len(self.viewOut)))

    def resetInit(self, inputSize=None, outputSize=None):
        self.v.normal(0, math.sqrt(2 / self.otherDims))
        self.g._a[...] = np.sqrt((self.v._a.astype(np.float64) ** 2).sum(axis=1))
        if self.__dict__.get("bias") is not None:
            self.bias.zero()
        return self

    def updateOutput(self, input):
        v = self.v._a
        self._norm._a[...] = np.sqrt((v * v).sum(axis=1) + 10e-5)
        self._scale._a[...] = self.g._a / self._norm._a
        w = v * self._scale._a[:, None]
        self.weight._a[...] = self._permute_out(w.reshape(self._view_out()))
        self.output = self.modules[0].updateOutput(input)
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput = self.modules[0].updateGradInput(input, gradOutput)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        self.modules[0].accGradParameters(input, gradOutput, scale)
        n = self.v._size[0]
        gw = contiguous(self._permute_in(self.gradWeight._a)).reshape(n, -1)
        v, norm, sc = self.v._a, self._norm._a[:, None], self._scale._a[:, None]
        self.gradG._a[...] = (gw * v / norm).sum(axis=1)
        self.gradV._a[...] = gw * sc - v * sc / norm * self.gradG._a[:, None]
        # Torch7 leaves the module's gradWeight holding gradV (in the weight's layout)
        self.gradWeight._a[...] = self._permute_out(self.gradV._a.reshape(self._view_out()))

    def zeroGradParameters(self):
        self.modules[0].zeroGradParameters()
        self.gradV.zero()
        self.gradG.zero()

    def updateParameters(self, learningRate):
        self.modules[0].updateParameters(learningRate)
        self.g._a[...] -= learningRate * self.gradG._a
        self.v._a[...] -= learningRate * self.gradV._a

    def parameters(self):
        if self.__dict__.get("bias") is not None:
            return [self.v, self.g, self.bias], [self.gradV, self.gradG, self.gradBias]
        return [self.v, self.g], [self.gradV, self.gradG]

    def __tostring__(self):
        return "nn.WeightNorm [%s]" % self.modules[0]
