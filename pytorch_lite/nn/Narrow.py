"""nn.Narrow(dimension, offset, length=1): a copy of input.narrow(dimension, offset, length).

0-based dimension and offset; negatives count from the end; a negative length leaves that
many elements (minus one) at the end: length -1 keeps everything from offset on."""
from .Module import Module
from .Container import shift_fields


class Narrow(Module):
    def __init__(self, dimension, offset, length=1):
        super().__init__()
        self.dimension = dimension
        self.index = offset
        self.length = length

    def _args(self, input):
        d = self.dimension + input.dim() if self.dimension < 0 else self.dimension
        n = input.size(d)
        off = self.index + n if self.index < 0 else self.index
        length = n - off + self.length + 1 if self.length < 0 else self.length
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

    @classmethod
    def _t7_fields_in(cls, fields):
        for k in ("dimension", "index"):
            v = fields.get(k)
            if isinstance(v, (int, float)) and v > 0:
                fields[k] = int(v) - 1
        return fields

    def _t7_fields_out(self, fields):
        for k in ("dimension", "index"):
            v = fields.get(k)
            if isinstance(v, (int, float)) and v >= 0:
                fields[k] = int(v) + 1
        return fields
