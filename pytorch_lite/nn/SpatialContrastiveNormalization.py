"""nn.SpatialContrastiveNormalization(nInputPlane=1, kernel=ones(9, 9), threshold=1e-4,
thresval=threshold): SpatialSubtractiveNormalization followed by SpatialDivisiveNormalization
with the same kernel (Torch7's `normalizer`, an nn.Sequential of the two)."""
from ..errors import TorchValueError
from ..tensor import Tensor
from .Module import Module
from .Sequential import Sequential


class SpatialContrastiveNormalization(Module):
    def __init__(self, nInputPlane=1, kernel=None, threshold=None, thresval=None):
        super().__init__()
        from . import SpatialSubtractiveNormalization, SpatialDivisiveNormalization
        self.nInputPlane = nInputPlane or 1
        self.kernel = kernel if kernel is not None else Tensor(9, 9).fill(1)
        self.threshold = threshold if threshold is not None else 1e-4
        self.thresval = thresval if thresval is not None else self.threshold
        k = self.kernel
        kdim = k.dim() if isinstance(k, Tensor) else 0
        if kdim not in (1, 2):
            raise TorchValueError("<SpatialContrastiveNormalization> averaging kernel must be 2D or 1D")
        if k._size[0] % 2 == 0 or (kdim == 2 and k._size[1] % 2 == 0):
            raise TorchValueError("<SpatialContrastiveNormalization> averaging kernel must have ODD dimensions")
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
