"""nn.Narrow(dimension, offset, length=1): a copy of input.narrow(dimension, offset, length).

0-based dimension and offset; a negative dimension counts from the end; a negative length
leaves that many elements (minus one) at the end: length -1 keeps everything from offset on.
A negative offset is Torch7's sentinel: the slice then starts at the first element and leaves
out ``length`` elements at the end (nn.Narrow(1, -1, 7) of 10 rows is rows 0..2)."""
from .Module import Module


class Narrow(Module):
    t7_index_fields = ("dimension", "index")

    def __init__(self, dimension, offset, length=1):
        super().__init__()
        self.dimension = dimension
        self.index = offset
        self.length = length

    def _args(self, input):
        d = self.dimension + input.dim() if self.dimension < 0 else self.dimension
        n = input.size(d)
        off = self.index
        length = n - off + self.length + 1 if self.length < 0 else self.length
        if off < 0:
            off, length = 0, n - length
        return d, off, length

    def updateOutput(self, input):
        d, off, length = self._args(input)
        out = input.narrow(d, off, length)
        self.output.resizeAs(out).copy(out)
        return self.output

    def updateGradInput(self, input, gradOutput):
        d, off, length = self._args(input)
        self.gradInput.resizeAs(input).zero()
        self.gradInput.narrow(d, off, length).copy(gradOutput)
        return self.gradInput
