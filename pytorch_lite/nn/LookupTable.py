"""nn.LookupTable(nIndex, nOutput, paddingValue=None, maxNorm=None, normType=None): rows of a
learnable nIndex x nOutput table picked by a vector (or a batch matrix) of 0-based indices.

paddingValue: an index whose row gets no gradient (None: none).  maxNorm: rows referenced in a
forward are first rescaled in place to a normType-norm (default 2) of at most maxNorm.  In a t7
file indices are 1-based and paddingValue 0 means none; the t7 hooks convert."""
import numpy as np

from ..errors import TorchValueError
from ..tensor import Tensor, TENSOR_TYPES
from .. import _nn
from ..cuda._kernels import table_for   # the CUDA twin of _nn for a Cuda weight on a GPU
from ..cuda.device import array_module as _xp, to_host
from .Module import Module
from . import utils
from ..cuda.device import array_module as _xp


class LookupTable(Module):
    paddingValue = None
    maxNorm = None
    normType = None
    shouldScaleGradByFreq = False
    copiedInput = False
    __version = 4

    def __init__(self, nIndex, nOutput, paddingValue=None, maxNorm=None, normType=None):
        super().__init__()
        self.weight = Tensor(nIndex, nOutput)
        self.gradWeight = Tensor(nIndex, nOutput).zero()
        self.paddingValue = paddingValue
        self.maxNorm = maxNorm
        self.normType = normType
        self.shouldScaleGradByFreq = False
        self._count = TENSOR_TYPES["torch.IntTensor"]()
        self._input = TENSOR_TYPES["torch.LongTensor"]()
        self.copiedInput = False
        self.reset()

    def accUpdateOnly(self):
        self.gradWeight = None
        return self

    def setPadding(self, paddingValue):
        self.paddingValue = paddingValue
        return self

    def setMaxNorm(self, maxNorm):
        self.maxNorm = maxNorm
        return self

    def setNormType(self, normType):
        self.normType = normType
        return self

    def scaleGradByFreq(self):
        self.shouldScaleGradByFreq = True
        return self

    def reset(self, stdv=None):
        self.weight.normal(0, 1 if stdv is None else stdv)
        return self

    def _indices(self, input):
        if not isinstance(input, Tensor) or input.dim() not in (1, 2):
            utils.bad_input(self, "a vector or a matrix of 0-based indices", input)
        a = to_host(input._a)   # indices are checked on the host (Cuda ones copied over: small)
        idx = np.ascontiguousarray(a, np.int64).reshape(-1)
        if a.dtype.kind == "f" and not np.array_equal(idx, a.reshape(-1)):
            raise TorchValueError("%s: indices must be whole numbers" % self.typename)
        n = self.weight._size[0]
        if idx.size and (idx.min() < 0 or idx.max() >= n):
            bad = idx[(idx < 0) | (idx >= n)][0]
            raise TorchValueError("%s: input needs to be in the range 0 <= input < %d, got %d"
                                  % (self.typename, n, bad))
        return idx

    def renorm(self, input):
        if self.maxNorm is None:
            return
        idx = self._indices(input)
        self._input = TENSOR_TYPES["torch.LongTensor"](np.sort(idx).reshape(input._a.shape))
        rows = np.unique(idx)
        table_for(_nn, self.weight._a).lookup_renorm(rows, self.weight._a, float(self.maxNorm), float(self.normType or 2))

    def updateOutput(self, input):
        idx = self._indices(input)
        self.renorm(input)
        self.copiedInput = False
        w = self.weight._a
        out = np.take(w, idx, axis=0)
        self.output = self.output if isinstance(self.output, Tensor) else self.weight.new()
        self.output.resize(*(input._size + (w.shape[1],)))
        self.output._a[...] = out.reshape(self.output._a.shape)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        if type(self.gradInput) is not type(input):
            self.gradInput = input.new()
        if self.gradInput._size != input._size:
            self.gradInput.resizeAs(input).zero()
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        idx = self._indices(input)
        gw = self.gradWeight
        g = _xp(gw._a).ascontiguousarray(gradOutput._a, gw._a.dtype).reshape(idx.size, gw._size[1])
        if self.shouldScaleGradByFreq:
            count = np.zeros(gw._size[0], np.int32)
        else:
            count = np.zeros(0, np.int32)
        pad = -1 if self.paddingValue is None else int(self.paddingValue)
        table_for(_nn, gw._a).lookup_acc_grad(idx, g, gw._a, count, bool(self.shouldScaleGradByFreq), pad, float(scale))

    def accUpdateGradParameters(self, input, gradOutput, lr):
        gw = self.gradWeight
        self.gradWeight = self.weight
        try:
            self.accGradParameters(input, gradOutput, -lr)
        finally:
            self.gradWeight = gw

    sharedAccUpdateGradParameters = accUpdateGradParameters

    def type(self, typename=None, tensorCache=None):
        r = super().type(typename, tensorCache)
        if typename is not None:
            self._count = TENSOR_TYPES["torch.IntTensor"]()
            self._input = TENSOR_TYPES["torch.LongTensor"]()
        return r

    def clearState(self):
        utils.clear(self, "_count", "_input", "_gradOutput")
        return super().clearState()

    # t7: paddingValue is a 1-based index there, 0 meaning none
    @classmethod
    def _t7_fields_in(cls, fields):
        pv = fields.get("paddingValue")
        fields["paddingValue"] = None if not pv else int(pv) - 1
        return fields

    def _t7_fields_out(self, fields):
        pv = fields.get("paddingValue")
        fields["paddingValue"] = 0 if pv is None else int(pv) + 1
        for k in ("maxNorm", "normType"):
            if fields.get(k) is None:
                fields.pop(k, None)
        return fields
