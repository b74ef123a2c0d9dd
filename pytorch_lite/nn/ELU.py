"""nn.ELU(alpha=1, inplace=False): y = x if x > 0 else alpha * (exp(x) - 1)."""
import numpy as np

from .Module import Module
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
        if self.inplace:
            np.copyto(x, y)
            self.output.set(input)
        else:
            self.output.resizeAs(input)
            np.copyto(self.output._a, y)
        return self.output

    def updateGradInput(self, input, gradOutput):
        utils.check_grad(self, input, gradOutput)
        y = self.output._a
        g = gradOutput._a.reshape(y.shape)
        gi = np.where(y <= 0, g * (y + y.dtype.type(self.alpha)), g)
        if self.inplace:
            np.copyto(g, gi)
            self.gradInput.set(gradOutput)
        else:
            self.gradInput.resizeAs(input)
            np.copyto(self.gradInput._a, gi)
        return self.gradInput

    def __tostring__(self):
        return "%s (alpha:%f)" % (self.typename, self.alpha)
