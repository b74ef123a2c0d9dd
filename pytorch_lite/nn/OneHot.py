"""nn.OneHot(outputSize): a tensor of 0-based class indices (or one number) -> one-hot rows:
an extra last dim of size outputSize holding 1 at the index (Torch7's indices are 1-based)."""
import numpy as np

from ..errors import TorchIndexError
from ..tensor import Tensor
from .Module import Module
from . import utils
from ..cuda.device import array_module as _xp


class OneHot(Module):
    def __init__(self, outputSize):
        super().__init__()
        self.outputSize = outputSize

    def updateOutput(self, input):
        if isinstance(input, (int, float)):
            idx = np.array(int(input))
        elif isinstance(input, Tensor):
            idx = input._a.astype(np.int64)
        else:
            utils.bad_input(self, "a number or a tensor of 0-based indices", input)
        n = self.outputSize
        if idx.size and (idx.min() < 0 or idx.max() >= n):
            bad = idx[(idx < 0) | (idx >= n)].reshape(-1)[0]
            raise TorchIndexError("nn.OneHot: index %d out of range for outputSize %d (0-based)" % (bad, n))
        self.output.resize(*(idx.shape + (n,))).zero()
        out = self.output._a
        np.put_along_axis(out, _xp(out).asarray(idx)[..., None], 1, axis=-1)   # indices where the output lives
        return self.output

    def updateGradInput(self, input, gradOutput):
        if not isinstance(input, Tensor):
            return 0
        self.gradInput.resize(*input._size).zero()
        return self.gradInput

    def clearState(self):
        self.__dict__.pop("_single", None)
        self.__dict__.pop("_input", None)
        return self

    def type(self, typename=None, tensorCache=None):
        if typename is not None:
            self.clearState()
        return super().type(typename, tensorCache)
