"""nn.CSubTable(): input[0] - input[1]."""
import numpy as np

from .Module import Module
from . import utils


class CSubTable(Module):
    def __init__(self):
        super().__init__()
        self.gradInput = []

    def updateOutput(self, input):
        self.output.resizeAs(input[0])
        np.subtract(input[0]._a, input[1]._a.reshape(input[0]._a.shape), out=self.output._a)
        return self.output

    def updateGradInput(self, input, gradOutput):
        g0, g1 = utils.table_grads(self, input)
        g0.copy(gradOutput)
        np.negative(gradOutput._a.reshape(g1._a.shape), out=g1._a)
        return self.gradInput

