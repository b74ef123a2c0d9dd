"""nn.CMaxTable(): elementwise maximum of a table of tensors; the gradient goes to the (first) winner."""
import numpy as np

from .Module import Module
from . import utils


class CMaxTable(Module):
    t7_index_fields = ("maxIdx",)
    _pick = staticmethod(np.argmax)  # CMinTable picks with argmin

    def __init__(self):
        super().__init__()
        self.gradInput = []

    def updateOutput(self, input):
        stack = np.stack([t._a.reshape(input[0]._a.shape) for t in input])
        idx = self._pick(stack, axis=0)
        self.maxIdx = input[0].new(*input[0]._size).copy(idx.astype(stack.dtype))
        self.output.resizeAs(input[0])
        self.output._a[...] = np.take_along_axis(stack, idx[None], 0)[0]
        return self.output

    def updateGradInput(self, input, gradOutput):
        idx = self.maxIdx._a
        g = gradOutput._a.reshape(idx.shape)
        for i, gi in enumerate(utils.table_grads(self, input)):
            gi._a[...] = np.where(idx == i, g, 0).reshape(gi._a.shape)
        return self.gradInput
