"""nn.SplitTable(dimension, nInputDims=None): the table of slices input.select(dimension, i)."""
from .Module import Module


class SplitTable(Module):
    t7_index_fields = ("dimension",)
    # Torch7 fields that may be nil (absent from a t7 file): their defaults
    nInputDims = None

    def __init__(self, dimension, nInputDims=None):
        super().__init__()
        self.dimension = dimension
        self.nInputDims = nInputDims

    def _dim(self, input):
        d = self.dimension
        if d < 0:
            d += input.dim()
        elif self.nInputDims is not None and input.dim() == self.nInputDims + 1:
            d += 1
        return d

    def updateOutput(self, input):
        d = self._dim(input)
        self.output = [input.select(d, i) for i in range(input.size(d))]
        return self.output

    def updateGradInput(self, input, gradOutput):
        d = self._dim(input)
        gi = self.gradInput.resizeAs(input)
        arr, lead = gi._a, (slice(None),) * d
        part = input._size[:d] + input._size[d + 1:]
        for i, g in enumerate(gradOutput):
            if type(g) is type(gi) and g._size == part:   # the common case: one array assignment
                arr[lead + (i,)] = g._a
            else:                                         # other shapes/types: copy's rules
                gi.select(d, i).copy(g)
        return gi
