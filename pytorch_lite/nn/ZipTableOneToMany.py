"""nn.ZipTableOneToMany(): {v, {a, b, c}} -> {{v, a}, {v, b}, {v, c}}; v's gradient is the sum
of the gradients of its copies."""
from .Module import Module
from . import utils


class ZipTableOneToMany(Module):
    def __init__(self):
        super().__init__()
        self.output = []
        self.gradInput = []
        self.gradInputEl = None

    def updateOutput(self, input):
        if not utils.is_table(input) or len(input) != 2 or not utils.is_table(input[1]):
            utils.bad_input(self, "a table {element, {table}}", input)
        el, tab = input
        self.output = [[el, t] for t in tab]
        return self.output

    def updateGradInput(self, input, gradOutput):
        el, tab = input
        g = el.new().resizeAs(el).zero()
        for go in gradOutput:
            g._a[...] += go[0]._a.reshape(g._a.shape)
        self.gradInputEl = g
        self.gradInput = [g, [go[1] for go in gradOutput]]
        return self.gradInput

    def clearState(self):
        self.output, self.gradInput, self.gradInputEl = [], [], None
        return self
