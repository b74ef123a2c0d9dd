"""nn.SpatialLogSoftMax(): log of the softmax over the feature planes at every pixel of a 3D
(C x H x W) or 4D (batch x C x H x W) input (also 1D/2D, as THNN's LogSoftMax kernel)."""
import numpy as np

from .Module import Module
from ._softmax import softmax_axis
from . import utils


class SpatialLogSoftMax(Module):
    def updateOutput(self, input):
        ax = softmax_axis(self, input)
        x = input._a
        m = x.max(axis=ax, keepdims=True)
        z = x - m
        self.output.resizeAs(input)
        self.output._a[...] = z - np.log(np.exp(z).sum(axis=ax, keepdims=True))
        return self.output

    def updateGradInput(self, input, gradOutput):
        utils.check_grad(self, input, gradOutput)
        ax = softmax_axis(self, input)
        y = self.output._a
        g = gradOutput._a.reshape(y.shape)
        self.gradInput.resizeAs(input)
        self.gradInput._a[...] = g - np.exp(y) * g.sum(axis=ax, keepdims=True)
        return self.gradInput
