"""nn.NarrowTable(offset, length=1): the sub-table input[offset:offset+length] (0-based)."""
from .Module import Module
from .SelectTable import zero_like
from . import utils


class NarrowTable(Module):
    t7_index_fields = ("offset",)

    def __init__(self, offset, length=1):
        super().__init__()
        self.offset = offset
        self.length = length
        self.output = []
        self.gradInput = []

    def updateOutput(self, input):
        if self.offset + self.length > len(input):
            utils.bad_input(self, "a table of at least %d elements" % (self.offset + self.length), input)
        self.output = list(input[self.offset:self.offset + self.length])
        return self.output

    def updateGradInput(self, input, gradOutput):
        gi = [zero_like(t) for t in input]
        for j in range(len(gradOutput)):
            gi[self.offset + j] = utils.recursive_copy(None, gradOutput[j])
        self.gradInput = gi
        return gi
