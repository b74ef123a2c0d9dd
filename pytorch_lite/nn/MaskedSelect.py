"""nn.MaskedSelect(): input {tensor, mask} -> tensor:maskedSelect(mask), a 1D tensor of the
elements where the ByteTensor mask is non-zero.  gradInput is {gradient scattered back into
the tensor's shape, zeros for the mask}."""
import numpy as np

from ..tensor import Tensor, TENSOR_TYPES
from .Module import Module
from . import utils


class MaskedSelect(Module):
    def __init__(self):
        super().__init__()
        self._maskIndices = TENSOR_TYPES["torch.LongTensor"]()
        self._maskIndexBuffer = TENSOR_TYPES["torch.LongTensor"]()
        self._maskIndexBufferCPU = TENSOR_TYPES["torch.FloatTensor"]()
        self._gradBuffer = Tensor()
        self._gradMask = TENSOR_TYPES["torch.ByteTensor"]()

    def _unpack(self, input):
        if not utils.is_table(input) or len(input) != 2 or not all(isinstance(t, Tensor) for t in input):
            utils.bad_input(self, "a table {tensor, mask}", input)
        x, mask = input
        if mask.nElement() != x.nElement():
            utils.bad_input(self, "a mask with as many elements as the tensor (%s)" % utils.shape_str(x), mask)
        return x, mask._a.reshape(x._a.shape) != 0

    def updateOutput(self, input):
        x, m = self._unpack(input)
        sel = x._a[m]
        if type(self.output) is not type(x):
            self.output = x.new()
        self.output.resize(sel.size)
        if sel.size:
            self.output._a[...] = sel
        return self.output

    def updateGradInput(self, input, gradOutput):
        x, m = self._unpack(input)
        if type(self._gradBuffer) is not type(x):
            self._gradBuffer = x.new()
        self._gradBuffer.resizeAs(x).zero()
        if m.any():
            self._gradBuffer._a[m] = gradOutput._a.reshape(-1)
        self._gradMask.resize(*input[1]._size).zero()
        self.gradInput = [self._gradBuffer, self._gradMask]
        return self.gradInput

    def type(self, typename=None, tensorCache=None):
        if typename is None:
            return super().type()
        mask_fields = {k: self.__dict__.pop(k) for k in ("_maskIndices", "_maskIndexBuffer", "_gradMask")}
        r = super().type(typename, tensorCache)
        self.__dict__.update(mask_fields)
        return r

    def clearState(self):
        utils.clear(self, "output", "_maskIndices", "_maskIndexBuffer", "_maskIndexBufferCPU", "_gradBuffer",
                    "_gradMask")
        self.gradInput = Tensor()
        return self
