"""nn.JoinTable(dimension, nInputDims=None): concatenates a table of tensors along dimension
(0-based; with nInputDims, batched inputs shift it by one)."""

from ..storage import LongStorage
from .Module import Module
from . import utils


class JoinTable(Module):
    t7_index_fields = ("dimension",)
    # Torch7 fields that may be nil (absent from a t7 file): their defaults
    nInputDims = None

    def __init__(self, dimension, nInputDims=None):
        super().__init__()
        self.dimension = dimension
        self.nInputDims = nInputDims
        self.gradInput = []
        # Torch7's updateOutput resizes this buffer without creating it: a JoinTable we write
        # must carry it, or the model fails to run in Torch7
        self.size = LongStorage()

    def _dim(self, input):
        d = self.dimension
        if d < 0:
            d += input[0].dim()
        elif self.nInputDims is not None and input[0].dim() == self.nInputDims + 1:
            d += 1
        return d

    def updateOutput(self, input):
        if not isinstance(input, (list, tuple)) or not input:
            utils.bad_input(self, "a table of tensors", input)
        d = self._dim(input)
        size = list(input[0]._size)
        for t in input[1:]:
            if t.dim() != len(size) or any(a != b for k, (a, b) in enumerate(zip(t._size, size)) if k != d):
                utils.bad_input(self, "tensors of sizes matching %s except in dimension %d"
                                % ("x".join(map(str, input[0]._size)), d), t)
            size[d] += t._size[d]
        self.output.resize(*size)
        off = 0
        for t in input:
            self.output.narrow(d, off, t._size[d]).copy(t)
            off += t._size[d]
        return self.output

    def updateGradInput(self, input, gradOutput):
        d = self._dim(input)
        gi = list(self.gradInput) if isinstance(self.gradInput, list) else []
        off = 0
        for i, t in enumerate(input):
            if i >= len(gi) or type(gi[i]) is not type(t):
                gi[i:i + 1] = [t.new()]
            gi[i].resizeAs(t).copy(gradOutput.narrow(d, off, t._size[d]))
            off += t._size[d]
        del gi[len(input):]
        self.gradInput = gi
        return gi

    def type(self, typename=None, tensorCache=None):
        if typename is not None:
            self.gradInput = []
        return super().type(typename, tensorCache)
