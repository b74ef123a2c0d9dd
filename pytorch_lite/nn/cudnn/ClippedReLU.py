"""cudnn.ClippedReLU(ceiling, inplace=False): min(max(x, 0), ceiling) (cuDNN's
CUDNN_ACTIVATION_CLIPPED_RELU); the gradient passes where 0 < x < ceiling."""
import numpy as np

from ...errors import TorchValueError
from ..Module import Module
from .._pointwise import zero_grad_where
from .. import utils


class ClippedReLU(Module):
    typename = "cudnn.ClippedReLU"
    inplace = False

    def __init__(self, ceiling=None, inplace=False):
        super().__init__()
        if ceiling is None:
            raise TorchValueError("cudnn.ClippedReLU: no ceiling was given")
        self.ceiling = ceiling
        self.inplace = bool(inplace)

    def updateOutput(self, input):
        x = input._a
        if self.inplace:
            np.clip(x, 0, self.ceiling, out=x)
            self.output.set(input)
        else:
            self.output.resizeAs(input)
            np.clip(x, 0, self.ceiling, out=self.output._a)
        return self.output

    def updateGradInput(self, input, gradOutput):
        utils.check_grad(self, input, gradOutput)
        # in place the input already holds the output: the same test, as cuDNN's backward reads y
        x = input._a
        g = gradOutput._a.reshape(x.shape)
        return zero_grad_where(self, input, gradOutput, g, (x <= 0) | (x >= self.ceiling))

    def __tostring__(self):
        return "%s(0, %g)" % (self.typename, self.ceiling)
