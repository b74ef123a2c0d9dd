"""nn.Sum(dimension=0, nInputDims=None, sizeAverage=False, squeeze=True): sum over a dimension
(0-based; negatives count from the end; with nInputDims, batched inputs shift it by one)."""
import numpy as np

from .Module import Module
from . import utils


class Sum(Module):
    t7_index_fields = ("dimension",)
    # Torch7 fields that may be nil (absent from a t7 file): their defaults
    nInputDims = None
    sizeAverage = False
    squeeze = True

    def __init__(self, dimension=0, nInputDims=None, sizeAverage=False, squeeze=True):
        super().__init__()
        self.dimension = dimension
        self.nInputDims = nInputDims
        self.sizeAverage = sizeAverage
        self.squeeze = True if squeeze is None else squeeze

    def _dim(self, input):
        d = self.dimension
        if d < 0:
            d += input.dim()
        elif self.nInputDims is not None and input.dim() == self.nInputDims + 1:
            d += 1
        if not 0 <= d < input.dim():
            utils.bad_input(self, "a tensor with a dimension %d" % self.dimension, input)
        return d

    def updateOutput(self, input):
        d = self._dim(input)
        x = input._a
        r = x.sum(axis=d, keepdims=True)
        if self.sizeAverage:
            r = r / x.shape[d]
        if self.squeeze and input.dim() > 1:
            r = r.reshape(x.shape[:d] + x.shape[d + 1:])
        self.output.resize(*r.shape)
        np.copyto(self.output._a, r)
        return self.output

    def updateGradInput(self, input, gradOutput):
        d = self._dim(input)
        x = input._a
        keep = x.shape[:d] + (1,) + x.shape[d + 1:]
        g = gradOutput._a.reshape(keep)
        if self.sizeAverage:
            g = g / x.shape[d]
        self.gradInput.resizeAs(input)
        np.copyto(self.gradInput._a, np.broadcast_to(g, x.shape))
        return self.gradInput
