"""nn.WeightedEuclidean(inputSize, outputSize): y_j = ||c_j .* (x - w_j)||, nn.Euclidean with a
learnable diagonal scale c_j per centre (diagCov, initialised to ones)."""


from ..tensor import Tensor
from .Euclidean import Euclidean


class WeightedEuclidean(Euclidean):
    def __init__(self, inputSize, outputSize):
        self.diagCov = Tensor(inputSize, outputSize)
        self.gradDiagCov = Tensor(inputSize, outputSize)
        super().__init__(inputSize, outputSize)
        del self.fastBackward  # Torch7's WeightedEuclidean has no such field (nil: recompute)

    def reset(self, stdv=None):
        super().reset(stdv)
        self.diagCov.fill(1)
        return self

    def _scaled(self, d):
        return d * self.diagCov._a[None]

    def _weights2(self):
        c = self.diagCov._a[None]
        return c * c

    def parameters(self):
        return [self.weight, self.diagCov], [self.gradWeight, self.gradDiagCov]

    def accGradParameters(self, input, gradOutput, scale=1):
        d = self._diff(input)
        r = self._ratio(input, gradOutput)
        c = self.diagCov._a[None]
        self.gradWeight._a[...] -= scale * (d * r * c * c).sum(0)
        self.gradDiagCov._a[...] += scale * (d * d * c * r).sum(0)

    def accUpdateGradParameters(self, input, gradOutput, lr):
        gw, gc = self.gradWeight, self.gradDiagCov
        self.gradWeight, self.gradDiagCov = self.weight, self.diagCov
        try:
            self.accGradParameters(input, gradOutput, -lr)
        finally:
            self.gradWeight, self.gradDiagCov = gw, gc
