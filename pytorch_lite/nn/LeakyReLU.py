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
        return self._leak("output", input, x, x, input)

    def updateGradInput(self, input, gradOutput):
        utils.check_grad(self, input, gradOutput)
        x = input._a
        return self._leak("gradInput", gradOutput, gradOutput._a.reshape(x.shape), x, input)

    def _leak(self, field, src, a, x, like):
        """self.<field> := a where x > 0, else a * negval: in place over a (src's array), the
        field becoming src; otherwise into the field resized as `like`."""
        t = getattr(self, field)
        if self.inplace:
            np.multiply(a, self.negval, out=a, where=~(x > 0))
            t.set(src)
        else:
            t.resizeAs(like)
            np.copyto(t._a, np.where(x > 0, a, a * x.dtype.type(self.negval)))
        return t
