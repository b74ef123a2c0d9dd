"""nn.SpatialDivisiveNormalization(nInputPlane=1, kernel=ones(9, 9), threshold=1e-4,
thresval=threshold): divides every pixel by the kernel-weighted standard deviation of its
neighbourhood over all planes (renormalised near the borders by `coef`, the estimator applied to
ones), the deviation first raised to thresval where it is not above threshold.  Built from nn
modules exactly as Torch7 builds it (meanestimator, stdestimator, normalizer, divider,
thresholder), so construction draws the same random numbers and t7 files match field for field.
A 1D kernel k stands for the separable kernel k k^T.  The kernel is normalised in place."""
from ..errors import TorchValueError
from ..tensor import Tensor
from .Module import Module
from .Sequential import Sequential


class SpatialDivisiveNormalization(Module):
    def __init__(self, nInputPlane=1, kernel=None, threshold=None, thresval=None):
        super().__init__()
        from . import (SpatialZeroPadding, SpatialConvolution, SpatialConvolutionMap, Replicate, Square, Sqrt,
                       CDivTable, Threshold, tables)
        self.nInputPlane = nInputPlane or 1
        self.kernel = kernel if kernel is not None else Tensor(9, 9).fill(1)
        self.threshold = threshold if threshold is not None else 1e-4
        self.thresval = thresval if thresval is not None else self.threshold
        k = self.kernel
        kdim = k.dim() if isinstance(k, Tensor) else 0
        if kdim not in (1, 2):
            raise TorchValueError("<SpatialDivisiveNormalization> averaging kernel must be 2D or 1D")
        if k._size[0] % 2 == 0 or (kdim == 2 and k._size[1] % 2 == 0):
            raise TorchValueError("<SpatialDivisiveNormalization> averaging kernel must have ODD dimensions")
        n = self.nInputPlane
        padH = k._size[0] // 2
        padW = k._size[1] // 2 if kdim == 2 else padH

        def estimator(square):
            seq = Sequential()
            if square:
                seq.add(Square())
            seq.add(SpatialZeroPadding(padW, padW, padH, padH))
            if kdim == 2:
                seq.add(SpatialConvolution(n, 1, k._size[1], k._size[0]))
            else:
                seq.add(SpatialConvolutionMap(tables.oneToOne(n), k._size[0], 1))
                seq.add(SpatialConvolution(n, 1, 1, k._size[0]))
            seq.add(Replicate(n, 0, 3))
            if square:
                seq.add(Sqrt())
            return seq

        self.meanestimator = estimator(False)
        self.stdestimator = estimator(True)
        mean, std = self.meanestimator.modules, self.stdestimator.modules
        if kdim == 2:
            k.div(float(k.sum()) * n)
            for i in range(n):
                mean[1].weight.select(0, 0).select(0, i).copy(k)
                std[2].weight.select(0, 0).select(0, i).copy(k)
            mean[1].bias.zero()
            std[2].bias.zero()
        else:
            k.div(float(k.sum()) * n ** 0.5)
            for i in range(n):
                mean[1].weight.select(0, i).copy(k.view(1, -1))
                mean[2].weight.select(0, 0).select(0, i).copy(k.view(-1, 1))
                std[2].weight.select(0, i).copy(k.view(1, -1))
                std[3].weight.select(0, 0).select(0, i).copy(k.view(-1, 1))
            for m in (mean[1], mean[2], std[2], std[3]):
                m.bias.zero()
        self.normalizer = CDivTable()
        self.divider = CDivTable()
        self.thresholder = Threshold(self.threshold, self.thresval)
        self.coef = Tensor(1, 1, 1)

    def _check(self, input):
        from . import utils
        n = self.nInputPlane
        if not isinstance(input, Tensor) or input.dim() not in (3, 4) or input._size[-3] != n:
            utils.bad_input(self, "a 3D (%d x H x W) or 4D (batch x %d x H x W) tensor" % (n, n), input)

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

    def clearState(self):
        for name in ("ones", "_coef"):
            t = self.__dict__.get(name)
            if isinstance(t, Tensor):
                t.set()
        self.meanestimator.clearState()
        self.stdestimator.clearState()
        return super().clearState()
