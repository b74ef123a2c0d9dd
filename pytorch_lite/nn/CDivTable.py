"""nn.CDivTable(): input[0] / input[1]."""
import numpy as np

from .Module import Module
from . import utils


class CDivTable(Module):
    def __init__(self):
        super().__init__()
        self.gradInput = []

    def updateOutput(self, input):
        self.output.resizeAs(input[0])
        np.divide(input[0]._a, input[1]._a.reshape(input[0]._a.shape), out=self.output._a)
        return self.output

    def updateGradInput(self, input, gradOutput):
        g0, g1 = utils.table_grads(self, input)
        b = input[1]._a.reshape(g0._a.shape)
        np.divide(gradOutput._a.reshape(b.shape), b, out=g0._a)
        g1._a[...] = (-g0._a / b * input[0]._a).reshape(g1._a.shape)
        return self.gradInput

