"""nn.LinearWeightNorm(inputSize, outputSize, bias=True, eps=1e-16): a Linear layer whose weight is
reparameterised as weight = g * v / ||v|| row by row (Salimans & Kingma); the parameters are v,
g (outputSize x 1) and bias.  reset draws v ~ N(0, 1/sqrt(inputSize)), sets g to v's row norms
and draws the bias, as Torch7 does.  accGradParameters follows Torch7's formulas (it overwrites
gradG and transforms the accumulated gradV, so accumulate over one backward between zeroings).
Row norms are clamped below at eps.  ``LinearWeightNorm.fromLinear(linear)`` and ``toLinear()``
convert from and to an nn.Linear computing the same function."""
import math

import numpy as np

from ..tensor import Tensor
from .Linear import Linear
from .Module import Module
from . import utils


class LinearWeightNorm(Linear):
    eps = 1e-16   # absent from files written before Torch7 had it

    def __init__(self, inputSize, outputSize, bias=True, eps=None):
        Module.__init__(self)
        self.eps = 1e-16 if eps is None else eps
        self.outputSize = outputSize
        self.inputSize = inputSize
        self.v = Tensor(outputSize, inputSize)
        self.gradV = Tensor(outputSize, inputSize)
        self.weight = Tensor(outputSize, inputSize)
        self.dirty = True
        self.g = Tensor(outputSize, 1).zero()
        self.gradG = Tensor(outputSize, 1)
        self.norm = Tensor(outputSize, 1)
        self.scale = Tensor(outputSize, 1)
        if bias:
            self.bias = Tensor(outputSize)
            self.gradBias = Tensor(outputSize)
        self.reset()

    def parameters(self):
        if self.__dict__.get("bias") is not None:
            return [self.v, self.g, self.bias], [self.gradV, self.gradG, self.gradBias]
        return [self.v, self.g], [self.gradV, self.gradG]

    def reset(self, stdv=None):
        stdv = stdv * math.sqrt(3) if stdv is not None else 1 / math.sqrt(self.inputSize)
        self.v.normal(0, stdv)
        self.g._a[...] = np.sqrt((self.v._a.astype(np.float64, copy=False) ** 2).sum(axis=1, keepdims=True))
        if self.__dict__.get("bias") is not None:
            utils.uniform_(self.bias, -stdv, stdv)
        self.dirty = True
        return self

    def _buf(self, name, shape):
        t = self.__dict__.get(name)
        if not isinstance(t, Tensor) or type(t) is not type(self.v):
            t = self.__dict__[name] = self.v.new()
        if t._size != tuple(shape):
            t.resize(*shape)
        return t._a

    def _weights(self):
        v = self.v._a
        norm = self._buf("norm", (self.outputSize, 1))
        norm[...] = np.maximum(np.sqrt((v.astype(np.float64) ** 2).sum(axis=1, keepdims=True)), self.eps)
        scale = self._buf("scale", (self.outputSize, 1))
        scale[...] = self.g._a / norm
        w = self._buf("weight", v.shape)
        w[...] = v * scale
        self.dirty = False
        return w

    def updateOutput(self, input):
        if not isinstance(input, Tensor) or input.dim() not in (1, 2) or input._size[-1] != self.inputSize:
            utils.bad_input(self, "a vector of size %d or a batch matrix (n x %d)" % ((self.inputSize,) * 2), input)
        w = self._weights()  # Torch7 recomputes whenever `self.training` (a method, so always)
        y = input._a @ w.T
        b = self.__dict__.get("bias")
        if b is not None:
            y = y + b._a
        self.output.resize(*y.shape)
        self.output._a[...] = y
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        gi = gradOutput._a @ self.weight._a
        self.gradInput.resizeAs(input)
        self.gradInput._a[...] = gi.reshape(input._a.shape)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        x = input._a
        go = gradOutput._a
        gv = self.gradV._a
        if x.ndim == 1:
            gv += scale * np.outer(go, x)
        else:
            gv += scale * go.T @ x
        if self.__dict__.get("bias") is not None:
            self.gradBias._a[...] += scale * (go if go.ndim == 1 else go.sum(axis=0))
        v, s, norm = self.v._a, self.scale._a, self.norm._a
        self.gradG._a[...] = (gv * v / norm).sum(axis=1, keepdims=True)
        gv *= s
        gv -= v * s / norm * self.gradG._a
        self.weight._a[...] = v * s / norm * self.gradG._a  # Torch7 reuses weight as a buffer
        self.dirty = True

    def zeroGradParameters(self):
        Module.zeroGradParameters(self)

    def updateWeightMatrix(self):
        self._weights()

    def initFromWeight(self, weight=None):
        """g and v such that the weight is ``weight`` (default: the current weight matrix)."""
        w = (self.weight if weight is None else weight)._a.astype(np.float64, copy=False)
        self.g._a[...] = np.maximum(np.sqrt((w ** 2).sum(axis=1, keepdims=True)), self.eps)
        self.v._a[...] = w
        self.dirty = True
        return self

    @staticmethod
    def fromLinear(linear):
        has_bias = isinstance(linear.__dict__.get("bias"), Tensor)
        out, inp = linear.weight.size(0), linear.weight.size(1)
        module = LinearWeightNorm(inp, out, has_bias)
        module.weight.copy(linear.weight)
        module.initFromWeight()
        if has_bias:
            module.bias.copy(linear.bias)
        return module

    def toLinear(self):
        self.updateWeightMatrix()
        has_bias = isinstance(self.__dict__.get("bias"), Tensor)
        module = Linear(self.inputSize, self.outputSize, has_bias)
        module.weight.copy(self.weight)
        if has_bias:
            module.bias.copy(self.bias)
        return module

    def updateParameters(self, learningRate):
        Module.updateParameters(self, learningRate)
        self.dirty = True

    def defaultAccUpdateGradParameters(self, input, gradOutput, lr):
        d = self.__dict__
        saved = d.get("gradV"), d.get("gradG"), d.get("gradBias")
        d["gradV"], d["gradG"], d["gradBias"] = d.get("v"), d.get("g"), d.get("bias")
        try:
            self.accGradParameters(input, gradOutput, -lr)
        finally:
            d["gradV"], d["gradG"], d["gradBias"] = saved

    accUpdateGradParameters = defaultAccUpdateGradParameters

    def clearState(self):
        utils.clear(self, "weight", "norm", "scale")
        self.dirty = True
        return Module.clearState(self)

    def __tostring__(self):
        return "%s(%d -> %d)%s" % (self.typename, self.inputSize, self.outputSize,
                                   "" if self.__dict__.get("bias") is not None else " without bias")
