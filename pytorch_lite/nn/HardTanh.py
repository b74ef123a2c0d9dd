"""nn.HardTanh(min_value=-1, max_value=1, inplace=False): clamp, gradient 1 strictly inside."""
import numpy as np

from ..errors import TorchValueError
from .Module import Module
from ._pointwise import zero_grad_where
from . import utils


class HardTanh(Module):
    # Torch7 fields that may be nil (absent from a t7 file): their defaults
    inplace = False

    def __init__(self, min_value=-1, max_value=1, inplace=False):
        super().__init__()
        self.min_val = min_value
        self.max_val = max_value
        self.inplace = bool(inplace)
        if self.max_val <= self.min_val:
            raise TorchValueError("%s: max_value must be larger than min_value" % self.typename)

    def updateOutput(self, input):
        x = input._a
        if self.inplace:
            np.clip(x, self.min_val, self.max_val, out=x)
            self.output.set(input)
        else:
            self.output.resizeAs(input)
            np.clip(x, self.min_val, self.max_val, out=self.output._a)
        return self.output

    def updateGradInput(self, input, gradOutput):
        utils.check_grad(self, input, gradOutput)
        x = input._a
        g = gradOutput._a.reshape(x.shape)
        return zero_grad_where(self, input, gradOutput, g, (x <= self.min_val) | (x >= self.max_val))
