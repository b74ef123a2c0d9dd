"""nn.SpatialClassifier([classifier]): applies a classifier made for K-vectors (default an empty
nn.Sequential to add() to) at every pixel of a K x H x W map, as one batch of H*W vectors; the
output is N x H x W (or, with spatialOutput = false, the classifier's (H*W) x N output)."""
import numpy as np

from ..errors import TorchValueError
from ..nn.Container import Container
from .. import nn
from ..tensor import Tensor


class SpatialClassifier(Container):
    typename = "nn.SpatialClassifier"

    def __init__(self, classifier=None):
        super().__init__()
        self.classifier = classifier if classifier is not None else nn.Sequential()
        self.spatialOutput = True
        self.modules = [self.classifier]

    def add(self, module):
        self.classifier.add(module)
        return self

    @staticmethod
    def _pixels(t, name):
        if t.dim() != 3:
            raise TorchValueError("<nn.SpatialClassifier> %s should be 3D: KxHxW" % name)
        k, h, w = t._size
        flat = t.new().resize(h * w, k)
        flat._a[...] = np.asarray(t._a).reshape(k, h * w).T
        return flat

    def _grad_rows(self, input, gradOutput):
        if not self.spatialOutput:
            return gradOutput
        return self._pixels(gradOutput, "gradOutput")

    def updateOutput(self, input):
        rows = self._pixels(input, "input")
        out = self.classifier.updateOutput(rows)
        if self.spatialOutput:
            n = out._size[1]
            self.output = out.new().resize(n, *input._size[1:])
            self.output._a[...] = np.asarray(out._a).T.reshape(n, *input._size[1:])
        else:
            self.output = out
        return self.output

    def updateGradInput(self, input, gradOutput):
        g = self.classifier.updateGradInput(self._pixels(input, "input"), self._grad_rows(input, gradOutput))
        self.gradInput = g.new().resize(*input._size)
        self.gradInput._a[...] = np.asarray(g._a).T.reshape(input._size)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        self.classifier.accGradParameters(self._pixels(input, "input"), self._grad_rows(input, gradOutput), scale)
