"""nn.Padding(dim, pad, nInputDim=None, value=0, index=0): inserts |pad| entries of ``value``
along dim (0-based; one more when the input has more than nInputDim dims).  pad < 0 pads before
position ``index``, pad > 0 after it counting from the end (index 0: at the very start / end)."""
import numpy as np

from .Module import Module
from ..storage import LongStorage
from ..tensor import Tensor
from . import utils


class Padding(Module):
    t7_index_fields = ("dim", "index")
    # Torch7 fields that may be nil (absent from a t7 file): their defaults
    nInputDim = None
    value = 0
    index = 0

    def __init__(self, dim, pad, nInputDim=None, value=0, index=0):
        super().__init__()
        self.value = 0 if value is None else value
        self.index = 0 if index is None else index
        self.dim = dim
        self.pad = pad
        self.nInputDim = nInputDim
        self.outputSize = LongStorage()

    def _where(self, input):
        """(dim, position in the output where the input's slice starting at `split` is shifted)."""
        if not isinstance(input, Tensor):
            utils.bad_input(self, "a tensor", input)
        dim = self.dim
        if self.nInputDim is not None and input.dim() != self.nInputDim:
            dim += 1
        if not 0 <= dim < input.dim():
            utils.bad_input(self, "a tensor with a dimension %d" % dim, input)
        n = input._size[dim]
        # Torch7's 1-based index arithmetic, on 0-based split points
        split = n - self.index if self.pad > 0 else self.index
        if not 0 <= split <= n:
            utils.bad_input(self, "index %d within dimension %d (size %d)" % (self.index, dim, n), input)
        return dim, split, abs(self.pad)

    def updateOutput(self, input):
        dim, split, pad = self._where(input)
        size = list(input._size)
        size[dim] += pad
        self.outputSize = LongStorage(size)
        self.output.resize(*size).fill(self.value)
        x, y = input._a, self.output._a
        sl = [slice(None)] * x.ndim
        sl[dim] = slice(0, split)
        y[tuple(sl)] = x[tuple(sl)]
        src = list(sl)
        src[dim] = slice(split, None)
        dst = list(sl)
        dst[dim] = slice(split + pad, None)
        y[tuple(dst)] = x[tuple(src)]
        return self.output

    def updateGradInput(self, input, gradOutput):
        dim, split, pad = self._where(input)
        size = list(input._size)
        size[dim] += pad
        if not isinstance(gradOutput, Tensor) or list(gradOutput._size) != size:
            utils.bad_input(self, "a gradOutput of size %s" % "x".join(map(str, size)), gradOutput)
        self.gradInput.resizeAs(input)
        x, g = self.gradInput._a, gradOutput._a
        n = input._size[dim]
        keep = np.r_[0:split, split + pad:n + pad]
        x[...] = np.take(g, keep, axis=dim)
        return self.gradInput
