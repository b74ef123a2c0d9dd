"""nn.Select(dimension, index): a copy of input.select(dimension, index) (0-based; negatives
count from the end)."""
from .Module import Module
from . import utils


class Select(Module):
    t7_index_fields = ("dimension", "index")

    def __init__(self, dimension, index):
        super().__init__()
        self.dimension = dimension
        self.index = index

    def _args(self, input):
        if not 0 <= (self.dimension + input.dim() if self.dimension < 0 else self.dimension) < input.dim():
            utils.bad_input(self, "a tensor with a dimension %d" % self.dimension, input)
        d = self.dimension + input.dim() if self.dimension < 0 else self.dimension
        i = self.index + input.size(d) if self.index < 0 else self.index
        return d, i

    def updateOutput(self, input):
        d, i = self._args(input)
        out = input.select(d, i)
        self.output.resizeAs(out).copy(out)
        return self.output

    def updateGradInput(self, input, gradOutput):
        d, i = self._args(input)
        self.gradInput.resizeAs(input).zero()
        self.gradInput.select(d, i).copy(gradOutput)
        return self.gradInput
