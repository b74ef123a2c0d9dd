"""nn.SpatialAdaptiveAveragePooling(W, H): average pooling to a fixed W x H output
(window i spans floor(i*n/o) .. ceil((i+1)*n/o))."""
from .Module import Module
from . import _spatial as S


class SpatialAdaptiveAveragePooling(Module):
    def __init__(self, W, H):
        super().__init__()
        self.W, self.H = W, H

    def _sizes(self, input):
        x = S.planes(self, input, S.PLANES_2D)
        return x, input._size[:-2] + (self.H, self.W)

    def updateOutput(self, input):
        x, osize = self._sizes(input)
        y = S.out(self.output, osize).reshape((x.shape[0], self.H, self.W))
        S.kernels("pool", input).adaptive_avg_pool_forward(x, y)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        g, gi = S.pool_grad(self, input, gradOutput)
        S.kernels("pool", input).adaptive_avg_pool_backward(g, gi)
        return self.gradInput
