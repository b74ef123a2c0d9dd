"""nn.CAddTensorTable(): {t, {a, b, ...}} -> {a + t, b + t, ...}; t's gradient is the sum of
the gradients."""
from .Module import Module
from . import utils


class CAddTensorTable(Module):
    def __init__(self):
        super().__init__()
        self.output = []
        self.gradInput = []

    def updateOutput(self, input):
        if not utils.is_table(input) or len(input) != 2 or not utils.is_table(input[1]):
            utils.bad_input(self, "a table {tensor, {tensors}}", input)
        t, tab = input
        out = []
        for i, x in enumerate(tab):
            o = self.output[i] if i < len(self.output) and type(self.output[i]) is type(x) else x.new()
            o.resizeAs(x)
            o._a[...] = x._a + t._a.reshape(x._a.shape)
            out.append(o)
        self.output = out
        return self.output

    def updateGradInput(self, input, gradOutput):
        t, tab = input
        g = t.new().resizeAs(t).zero()
        for go in gradOutput:
            g._a[...] += go._a.reshape(g._a.shape)
        self.gradInput = [g, list(gradOutput)]
        return self.gradInput

    def clearState(self):
        self.output, self.gradInput = [], []
        return self
