"""nn.LeakyReLU(negval=0.01, ip=False): y = x if x > 0 else negval * x."""
import numpy as np

from ..errors import TorchTypeError
from .Module import Module
from . import utils


class LeakyReLU(Module):
    # Torch7 fields that may be nil (absent from a t7 file): their defaults
    inplace = False

    def __init__(self, negval=None, ip=False):
        super().__init__()
        if negval is not None and not isinstance(negval, (int, float)):
            raise TorchTypeError("nn.LeakyReLU(value): the slope must be a number")
        self.negval = 1 / 100 if negval is None else negval
        self.inplace = bool(ip)

    def updateOutput(self, input):
        x = input._a
        if self.inplace:
            np.multiply(x, self.negval, out=x, where=~(x > 0))
            self.output.set(input)
        else:
            self.output.resizeAs(input)
            np.copyto(self.output._a, np.where(x > 0, x, x * x.dtype.type(self.negval)))
        return self.output

    def updateGradInput(self, input, gradOutput):
        utils.check_grad(self, input, gradOutput)
        x = input._a
        g = gradOutput._a.reshape(x.shape)
        if self.inplace:
            np.multiply(g, self.negval, out=g, where=~(x > 0))
            self.gradInput.set(gradOutput)
        else:
            self.gradInput.resizeAs(input)
            np.copyto(self.gradInput._a, np.where(x > 0, g, g * x.dtype.type(self.negval)))
        return self.gradInput
