"""The softmax axis shared by SoftMax / LogSoftMax / SoftMin: THNN normalises over the feature
dimension: the only one of a 1D input, dim 1 of a batch (2D), dim 0 of a 3D map, dim 1 of 4D.
The base class those three share is below."""
import numpy as np

from .Module import Module
from . import utils


def softmax_axis(module, input):
    d = input.dim() if hasattr(input, "dim") else -1
    if d == 1 or d == 3:
        return 0
    if d == 2 or d == 4:
        return 1
    utils.bad_input(module, "a 1D, 2D, 3D or 4D tensor", input)


class FeatureAxisModule(Module):
    """SoftMax, SoftMin and LogSoftMax: a subclass defines fw(x, y, ax) (the output from the input
    x over axis ax) and bw(y, g, ax, gi) (gradInput from the output y and gradOutput g)."""
    typename = None  # no Torch7 class of its own

    def updateOutput(self, input):
        ax = softmax_axis(self, input)
        x = input._a
        self.output.resizeAs(input)
        self.fw(x, self.output._a, ax)
        return self.output

    def updateGradInput(self, input, gradOutput):
        utils.check_grad(self, input, gradOutput)
        ax = softmax_axis(self, input)
        y = self.output._a
        g = gradOutput._a.reshape(y.shape)
        self.gradInput.resizeAs(input)
        self.bw(y, g, ax, self.gradInput._a)
        return self.gradInput


def softmax(x, y, ax):
    """y := exp(x - max) / sum exp(x - max) over axis ax."""
    np.exp(x - x.max(axis=ax, keepdims=True), out=y)
    y *= 1 / y.sum(axis=ax, keepdims=True)
