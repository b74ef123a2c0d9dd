"""nn.Index(dimension): input {t, index} -> t.index(dimension, index) (dimension and the indices
0-based in Python); the index gets a zero gradient."""
import numpy as np

from ..cuda.device import to_host
from ..tensor import Tensor, TENSOR_TYPES
from .Module import Module
from . import utils


class Index(Module):
    t7_index_fields = ("dimension",)

    def __init__(self, dimension):
        super().__init__()
        self.dimension = dimension
        self.gradInput = [self.gradInput, TENSOR_TYPES["torch.LongTensor"]()]

    def _check(self, input):
        if not (utils.is_table(input) and len(input) == 2 and all(isinstance(t, Tensor) for t in input)
                and input[1].dim() == 1 and 0 <= self.dimension < input[0].dim()):
            utils.bad_input(self, "a table {tensor, 1D index tensor} indexed along dimension %d" % self.dimension,
                            input)
        idx = to_host(input[1]._a).astype(np.int64, copy=False)   # checked on the host (CuPy takes host indices)
        n = input[0]._size[self.dimension]
        if idx.size and (idx.min() < 0 or idx.max() >= n):
            utils.bad_input(self, "indices in [0, %d)" % n, input)
        return idx

    def updateOutput(self, input):
        idx = self._check(input)
        out = np.take(input[0]._a, idx, axis=self.dimension)
        self.output.resize(*out.shape)
        self.output._a[...] = out
        return self.output

    def updateGradInput(self, input, gradOutput):
        idx = self._check(input)
        gi = self.gradInput[0]
        gi.resizeAs(input[0]).zero()
        shape = list(input[0]._size)
        shape[self.dimension] = idx.size   # the output's shape (not self.output: clearState may have emptied it)
        g = np.moveaxis(gradOutput._a.reshape(shape), self.dimension, 0)
        np.add.at(np.moveaxis(gi._a, self.dimension, 0), idx, g)
        self.gradInput[1].resize(*input[1]._size).zero()
        return self.gradInput

    def clearState(self):
        # gradInput stays a {tensor, indices} table (Torch7 empties the two tensors)
        for t in list(self.gradInput) + [self.output]:
            t.set()
        return self
