"""nn.MulConstant(constant, ip=False): y = constant * x."""
import numpy as np

from .Module import Module
from . import utils


class MulConstant(Module):
    # Torch7 fields that may be nil (absent from a t7 file): their defaults
    inplace = False

    def __init__(self, constant_scalar, ip=False):
        super().__init__()
        self.constant_scalar = constant_scalar
        self.inplace = bool(ip)

    def updateOutput(self, input):
        if self.inplace:
            input._a[...] *= self.constant_scalar
            self.output.set(input)
        else:
            self.output.resizeAs(input)
            np.multiply(input._a, input.dtype.type(self.constant_scalar), out=self.output._a)
        return self.output

    def updateGradInput(self, input, gradOutput):
        utils.check_grad(self, input, gradOutput)
        if self.gradInput is None:
            return None
        if self.inplace:
            gradOutput._a[...] *= self.constant_scalar
            self.gradInput.set(gradOutput)
            input._a[...] /= self.constant_scalar  # restore the input, as Torch7 does
        else:
            self.gradInput.resizeAs(gradOutput)
            np.multiply(gradOutput._a, gradOutput.dtype.type(self.constant_scalar), out=self.gradInput._a)
        return self.gradInput
