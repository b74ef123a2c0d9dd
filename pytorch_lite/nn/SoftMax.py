"""nn.SoftMax(): exp(x_i - max) / sum_j exp(x_j - max) over the feature dimension."""
import numpy as np

from .Module import Module
from ._softmax import softmax_axis
from . import utils


class SoftMax(Module):
    def updateOutput(self, input):
        ax = softmax_axis(self, input)
        x = input._a
        self.output.resizeAs(input)
        y = self.output._a
        np.exp(x - x.max(axis=ax, keepdims=True), out=y)
        y *= 1 / y.sum(axis=ax, keepdims=True)
        return self.output

    def updateGradInput(self, input, gradOutput):
        utils.check_grad(self, input, gradOutput)
        ax = softmax_axis(self, input)
        y = self.output._a
        g = gradOutput._a.reshape(y.shape)
        self.gradInput.resizeAs(input)
        np.multiply(y, g - (g * y).sum(axis=ax, keepdims=True), out=self.gradInput._a)
        return self.gradInput
