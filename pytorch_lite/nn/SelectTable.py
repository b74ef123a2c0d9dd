"""nn.SelectTable(index): input[index] of a table (0-based; negatives count from the end)."""
from ..tensor import Tensor
from .Module import Module
from . import utils


def zero_like(t):
    if isinstance(t, Tensor):
        return t.new().resizeAs(t).zero()
    return [zero_like(e) for e in t]


class SelectTable(Module):
    t7_index_fields = ("index",)

    def __init__(self, index):
        super().__init__()
        self.index = index
        self.gradInput = []

    def _i(self, input):
        n = len(input)
        i = self.index + n if self.index < 0 else self.index
        if not 0 <= i < n:
            utils.bad_input(self, "a table with an element %d" % self.index, input)
        return i

    def updateOutput(self, input):
        self.output = input[self._i(input)]
        return self.output

    def updateGradInput(self, input, gradOutput):
        k = self._i(input)
        self.gradInput = [utils.recursive_copy(None, gradOutput) if i == k else zero_like(t)
                          for i, t in enumerate(input)]
        return self.gradInput

    def clearState(self):
        # output is one of the input's tensors: drop the reference rather than emptying it
        self.output = []
        self.gradInput = []
        return self

    def type(self, typename=None, tensorCache=None):
        if typename is not None:
            self.gradInput = []
            self.output = []
        return super().type(typename, tensorCache)
