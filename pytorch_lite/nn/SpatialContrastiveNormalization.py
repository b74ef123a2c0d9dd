"""nn.SpatialContrastiveNormalization(nInputPlane=1, kernel=ones(9, 9), threshold=1e-4,
thresval=threshold): SpatialSubtractiveNormalization followed by SpatialDivisiveNormalization
with the same kernel (Torch7's `normalizer`, an nn.Sequential of the two)."""
from .Module import Module
from .Sequential import Sequential
from . import _spatial as S


class SpatialContrastiveNormalization(Module):
    def __init__(self, nInputPlane=1, kernel=None, threshold=None, thresval=None):
        super().__init__()
        from . import SpatialSubtractiveNormalization, SpatialDivisiveNormalization
        S.set_kernel(self, nInputPlane, kernel)
        self.threshold = threshold if threshold is not None else 1e-4
        self.thresval = thresval if thresval is not None else self.threshold
        S.check_kernel(self)
        self.normalizer = Sequential()
        self.normalizer.add(SpatialSubtractiveNormalization(self.nInputPlane, self.kernel))
        # Torch7's modules share (and normalise in place) this one kernel tensor
        self.normalizer.add(SpatialDivisiveNormalization(self.nInputPlane, self.kernel, self.threshold, self.thresval))

    def updateOutput(self, input):
        self.output = self.normalizer.forward(input)
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput = self.normalizer.backward(input, gradOutput)
        return self.gradInput
