"""nn.ELU(alpha=1, inplace=False): y = x if x > 0 else alpha * (exp(x) - 1)."""
import numpy as np

from .Module import Module
from ._pointwise import write_result
from . import utils


class ELU(Module):
    # Torch7 fields that may be nil (absent from a t7 file): their defaults
    inplace = False

    def __init__(self, alpha=1, inplace=False):
        super().__init__()
        self.alpha = alpha
        self.inplace = bool(inplace)

    def updateOutput(self, input):
        x = input._a
        y = np.where(x <= 0, np.expm1(np.minimum(x, 0)) * x.dtype.type(self.alpha), x)
        return write_result(self, "output", input, x, input, y)

    def updateGradInput(self, input, gradOutput):
        utils.check_grad(self, input, gradOutput)
        y = self.output._a
        g = gradOutput._a.reshape(y.shape)
        gi = np.where(y <= 0, g * (y + y.dtype.type(self.alpha)), g)
        return write_result(self, "gradInput", gradOutput, g, input, gi)

    def __tostring__(self):
        return "%s (alpha:%f)" % (self.typename, self.alpha)
