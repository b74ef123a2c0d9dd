"""nn.Max(dimension=0, nInputDims=None): maximum over a dimension (0-based); the gradient goes
to the (first) argmax.  ``_indices`` holds 0-based positions (Torch7's are 1-based)."""
import numpy as np

from ..tensor import LongTensor, TENSOR_TYPES
from .Sum import Sum


class Max(Sum):
    t7_index_fields = ("dimension", "_indices")
    _reduce = staticmethod(np.argmax)

    def __init__(self, dimension=0, nInputDims=None):
        super().__init__(dimension, nInputDims)
        self.__dict__.pop("sizeAverage", None)
        self.__dict__.pop("squeeze", None)

    def updateOutput(self, input):
        d = self._dim(input)
        x = input._a
        idx = np.expand_dims(self._reduce(x, axis=d), d)
        vals = np.take_along_axis(x, idx, d)
        if self.__dict__.get("_indices") is None:   # a CudaLongTensor for a Cuda input, as cunn's
            self._indices = TENSOR_TYPES["torch.CudaLongTensor"]() if input.is_cuda else LongTensor()
        self._indices.resize(*idx.shape)
        self._indices._a[...] = idx
        shape = vals.shape if input.dim() == 1 else x.shape[:d] + x.shape[d + 1:]
        self.output.resize(*shape)
        self.output._a[...] = vals.reshape(shape)
        return self.output

    def updateGradInput(self, input, gradOutput):
        d = self._dim(input)
        input._a
        self.gradInput.resizeAs(input).zero()
        idx = self._indices._a
        np.put_along_axis(self.gradInput._a, idx, gradOutput._a.reshape(idx.shape), d)
        return self.gradInput

    def type(self, typename=None, tensorCache=None):
        if typename is not None:
            self._indices = None
        return super().type(typename, tensorCache)

    def clearState(self):
        from . import utils
        utils.clear(self, "_indices")
        return super().clearState()
