"""nn.PReLU(nOutputPlane=0): y = x if x > 0 else a * x with a learnable slope a, one shared
(nOutputPlane = 0) or one per channel (the feature dim: dim 0 of a 1D/3D input, dim 1 of a
2D/4D batch), initialised to 0.25."""
import numpy as np

from ..tensor import Tensor
from .Module import Module
from . import utils


class PReLU(Module):
    def __init__(self, nOutputPlane=0):
        super().__init__()
        self.nOutputPlane = nOutputPlane or 0
        self.weight = Tensor(self.nOutputPlane or 1).fill(0.25)
        self.gradWeight = Tensor(self.nOutputPlane or 1)

    def _slope(self, input):
        """The slope broadcast against input's array."""
        w = self.weight._a
        if not isinstance(input, Tensor):
            utils.bad_input(self, "a tensor", input)
        if self.nOutputPlane == 0:
            return w[0]
        nd = input.dim()
        if nd not in (1, 2, 3, 4):
            utils.bad_input(self, "a 1D, 2D, 3D or 4D tensor", input)
        cdim = (nd + 1) % 2
        if input._size[cdim] != self.nOutputPlane:
            utils.bad_input(self, "%d input planes in dim %d (wrong number of input planes)"
                            % (self.nOutputPlane, cdim), input)
        shape = [1] * nd
        shape[cdim] = self.nOutputPlane
        return w.reshape(shape)

    def updateOutput(self, input):
        w = self._slope(input)
        x = input._a
        self.output.resizeAs(input)
        np.copyto(self.output._a, np.where(x > 0, x, w * x))
        return self.output

    def updateGradInput(self, input, gradOutput):
        utils.check_grad(self, input, gradOutput)
        w = self._slope(input)
        x = input._a
        g = gradOutput._a.reshape(x.shape)
        self.gradInput.resizeAs(input)
        np.copyto(self.gradInput._a, np.where(x > 0, g, w * g))
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        self._slope(input)
        x = input._a
        contrib = np.where(x > 0, 0, x * gradOutput._a.reshape(x.shape))
        gw = self.gradWeight._a
        if self.nOutputPlane == 0:
            gw[0] += scale * contrib.sum()
        else:
            cdim = (input.dim() + 1) % 2
            axes = tuple(a for a in range(x.ndim) if a != cdim)
            gw += scale * contrib.sum(axis=axes)

    def clearState(self):
        utils.clear(self, "gradWeightBuf", "gradWeightBuf2")
        return super().clearState()
