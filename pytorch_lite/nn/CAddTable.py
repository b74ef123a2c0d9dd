"""nn.CAddTable(ip=False): elementwise sum of a table of tensors."""
from .. import _pointwise as kernels
from .Module import Module
from . import utils


class CAddTable(Module):
    # Torch7 fields that may be nil (absent from a t7 file): their defaults
    inplace = False

    def __init__(self, ip=False):
        super().__init__()
        self.gradInput = []
        self.inplace = bool(ip)
    def updateOutput(self, input):
        if not self.inplace and len(input) == 2:   # the common pair: one pass in C (copy and sum's bits)
            o = self.output.resizeAs(input[0])._a
            if kernels.add(input[0]._a, input[1]._a.reshape(o.shape), o):
                return self.output
        if self.inplace:
            self.output.set(input[0])
        else:
            self.output.resizeAs(input[0]).copy(input[0])
        o = self.output._a
        for t in input[1:]:
            o += t._a.reshape(o.shape)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.inplace:
            self.gradInput = [gradOutput for _ in input]
            return self.gradInput
        go = gradOutput._a
        for g in utils.table_grads(self, input):
            if type(g) is type(gradOutput) and g._size == gradOutput._size:
                g._a[...] = go      # the common case, one array assignment
            else:
                g.copy(gradOutput)  # another type or shape: copy's rules
        return self.gradInput

