"""nn.SpatialSubtractiveNormalization(nInputPlane=1, kernel=ones(9, 9)): subtracts from every
pixel the kernel-weighted mean of its neighbourhood over all planes; near the borders the mean
is renormalised by the kernel mass that falls inside the image (`coef`, the estimator applied to
ones).  Built from nn modules exactly as Torch7 builds it (meanestimator, subtractor, divider), so
construction draws the same random numbers and t7 files match field for field.  A 1D kernel k
stands for the separable kernel k k^T.  The kernel is normalised in place (divided by its sum
times nInputPlane, 1D or 2D alike, as Torch7 does)."""
from ..errors import TorchValueError
from ..storage import LongStorage
from ..tensor import Tensor
from .Module import Module
from . import _spatial as S


class SpatialSubtractiveNormalization(S.LocalNormalization, Module):
    _estimators = ("meanestimator",)

    def __init__(self, nInputPlane=1, kernel=None):
        super().__init__()
        from . import CSubTable, CDivTable
        S.set_kernel(self, nInputPlane, kernel)
        S.check_kernel(self)
        k, n = self.kernel, self.nInputPlane
        k.div(float(k.sum()) * n)
        self.meanestimator = S.local_estimator(k, n)
        S.set_estimator_kernel(self.meanestimator, k, n)
        self.subtractor = CSubTable()
        self.divider = CDivTable()
        self.coef = Tensor(1, 1, 1)

    def _coefficients(self, input):
        """coef: the estimator applied to ones, shaped like localsums (expanded over a batch).
        Recomputed when the input size (kept in `_inpsz`, as the Torch7 that made the fixtures
        keeps it) or the tensor type changes."""
        inpsz = self.__dict__.get("_inpsz")
        if (isinstance(inpsz, LongStorage) and tuple(int(v) for v in inpsz) == input._size
                and isinstance(self.coef, Tensor) and type(self.coef) is type(input)
                and self.coef._size == input._size[:-3] + (input._size[-3], 1) + input._size[-2:]):
            return
        self._inpsz = LongStorage(list(input._size))
        ones = self.__dict__.get("ones")
        if not isinstance(ones, Tensor) or type(ones) is not type(input):
            ones = self.ones = input.new()
        _coef = self.__dict__.get("_coef")
        if not isinstance(_coef, Tensor) or type(_coef) is not type(input):
            _coef = self._coef = input.new()
        if input.dim() == 4:
            ones.resize(*input._size[1:]).fill(1)
            c = self.meanestimator.updateOutput(ones)
            _coef.resizeAs(c).copy(c)
            self.coef = _coef.view(1, *_coef._size).expand(input._size[0], *_coef._size)
        else:
            ones.resizeAs(input).fill(1)
            c = self.meanestimator.updateOutput(ones)
            _coef.resizeAs(c).copy(c)
            self.coef = _coef

    def updateOutput(self, input):
        self._check(input)
        self._coefficients(input)
        self.localsums = self.meanestimator.updateOutput(input)
        self.adjustedsums = self.divider.updateOutput([self.localsums, self.coef])
        self.output = self.subtractor.updateOutput([input, self.adjustedsums])
        return self.output

    def updateGradInput(self, input, gradOutput):
        self._check(input)
        if self.gradInput is None:
            return None
        if not isinstance(self.__dict__.get("adjustedsums"), Tensor):
            raise TorchValueError("%s: updateGradInput needs a forward on this input first" % self.typename)
        self.gradInput = self.gradInput if type(self.gradInput) is type(input) else input.new()
        self.gradInput.resizeAs(input).zero()
        gradsub = self.subtractor.updateGradInput([input, self.adjustedsums], gradOutput)
        graddiv = self.divider.updateGradInput([self.localsums, self.coef], gradsub[1])
        self.gradInput.add(self.meanestimator.updateGradInput(input, graddiv[0]))
        self.gradInput.add(gradsub[0])
        return self.gradInput
