"""nn.CMulTable(): elementwise product of a table of tensors."""
from .Module import Module
from . import utils


class CMulTable(Module):
    def __init__(self):
        super().__init__()
        self.gradInput = []

    def updateOutput(self, input):
        self.output.resizeAs(input[0]).copy(input[0])
        o = self.output._a
        for t in input[1:]:
            o *= t._a.reshape(o.shape)
        return self.output

    def updateGradInput(self, input, gradOutput):
        for i, g in enumerate(utils.table_grads(self, input)):
            a = gradOutput._a.reshape(g._a.shape).copy()
            for j, t in enumerate(input):
                if j != i:
                    a *= t._a.reshape(a.shape)
            g._a[...] = a
        return self.gradInput

