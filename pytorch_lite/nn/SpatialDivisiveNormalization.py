"""nn.SpatialDivisiveNormalization(nInputPlane=1, kernel=ones(9, 9), threshold=1e-4,
thresval=threshold): divides every pixel by the kernel-weighted standard deviation of its
neighbourhood over all planes (renormalised near the borders by `coef`, the estimator applied to
ones), the deviation first raised to thresval where it is not above threshold.  Built from nn
modules exactly as Torch7 builds it (meanestimator, stdestimator, normalizer, divider,
thresholder), so construction draws the same random numbers and t7 files match field for field.
A 1D kernel k stands for the separable kernel k k^T.  The kernel is normalised in place."""
from ..tensor import Tensor
from .Module import Module
from . import _spatial as S


class SpatialDivisiveNormalization(S.LocalNormalization, Module):
    _estimators = ("meanestimator", "stdestimator")

    def __init__(self, nInputPlane=1, kernel=None, threshold=None, thresval=None):
        super().__init__()
        from . import CDivTable, Threshold
        S.set_kernel(self, nInputPlane, kernel)
        self.threshold = threshold if threshold is not None else 1e-4
        self.thresval = thresval if thresval is not None else self.threshold
        kdim = S.check_kernel(self)
        k, n = self.kernel, self.nInputPlane
        self.meanestimator = S.local_estimator(k, n)
        self.stdestimator = S.local_estimator(k, n, square=True)
        # a 1D kernel is applied twice (rows, then columns)
        k.div(float(k.sum()) * (n if kdim == 2 else n ** 0.5))
        S.set_estimator_kernel(self.meanestimator, k, n)
        S.set_estimator_kernel(self.stdestimator, k, n)
        self.normalizer = CDivTable()
        self.divider = CDivTable()
        self.thresholder = Threshold(self.threshold, self.thresval)
        self.coef = Tensor(1, 1, 1)

    def updateOutput(self, input):
        self._check(input)
        self.localstds = self.stdestimator.updateOutput(input)
        coef = self.coef
        if coef.dim() != self.localstds.dim() or coef._size != self.localstds._size:
            ones = self.__dict__.get("ones")
            if not isinstance(ones, Tensor) or type(ones) is not type(input):
                ones = self.ones = input.new()
            if input.dim() == 4:
                ones.resize(*input._size[1:]).fill(1)
                c = self.meanestimator.updateOutput(ones)
                _coef = self.__dict__.get("_coef")
                if not isinstance(_coef, Tensor) or type(_coef) is not type(input):
                    _coef = self._coef = input.new()
                _coef.resizeAs(c).copy(c)
                self.coef = _coef.view(1, *_coef._size).expandAs(self.localstds)
            else:
                ones.resizeAs(input).fill(1)
                self.coef = self.meanestimator.updateOutput(ones).clone()
        self.adjustedstds = self.divider.updateOutput([self.localstds, self.coef])
        self.thresholdedstds = self.thresholder.updateOutput(self.adjustedstds)
        self.output = self.normalizer.updateOutput([input, self.thresholdedstds])
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput = self.gradInput if type(self.gradInput) is type(input) else input.new()
        self.gradInput.resizeAs(input).zero()
        gradnorm = self.normalizer.updateGradInput([input, self.thresholdedstds], gradOutput)
        gradadj = self.thresholder.updateGradInput(self.adjustedstds, gradnorm[1])
        graddiv = self.divider.updateGradInput([self.localstds, self.coef], gradadj)
        self.gradInput.add(self.stdestimator.updateGradInput(input, graddiv[0]))
        self.gradInput.add(gradnorm[0])
        return self.gradInput
