"""nn.LogSoftMax(): x_i - log sum_j exp(x_j) over the feature dimension (max-shifted)."""
import numpy as np

from .Module import Module
from ._softmax import softmax_axis
from . import utils


class LogSoftMax(Module):
    def updateOutput(self, input):
        ax = softmax_axis(self, input)
        x = input._a
        self.output.resizeAs(input)
        m = x.max(axis=ax, keepdims=True)
        logsum = m + np.log(np.exp(x - m).sum(axis=ax, keepdims=True))
        np.subtract(x, logsum, out=self.output._a)
        return self.output

    def updateGradInput(self, input, gradOutput):
        utils.check_grad(self, input, gradOutput)
        ax = softmax_axis(self, input)
        y = self.output._a
        g = gradOutput._a.reshape(y.shape)
        self.gradInput.resizeAs(input)
        np.subtract(g, np.exp(y) * g.sum(axis=ax, keepdims=True), out=self.gradInput._a)
        return self.gradInput
