"""nn.Threshold(th=1e-6, v=0, ip=False): y = x if x > th else v."""
import numpy as np

from ..errors import TorchValueError
from .. import _nn as K
from ..cuda._kernels import table_for
from .Module import Module
from ._pointwise import zero_grad_where
from . import utils

_FAST = (np.dtype(np.float32), np.dtype(np.float64))


def _k(a):
    """The kernel table for array a: _nn, or its CUDA twin for a CuPy array."""
    return K if type(a) is np.ndarray else table_for(K, a)


def _flat(a):
    """a's elements as a 1-D view when a is a C-contiguous float/double array, else None."""
    return a.reshape(-1) if a.dtype in _FAST and a.flags.c_contiguous else None


class Threshold(Module):
    inplace = False

    def __init__(self, th=1e-6, v=0, ip=False):
        super().__init__()
        self.threshold = th
        self.val = v
        self.inplace = ip
        self.validateParameters()

    def validateParameters(self):
        self.inplace = bool(self.inplace)
        if self.inplace and self.val > self.threshold:
            raise TorchValueError("%s: in-place processing requires value (%g) not exceed threshold (%g)"
                                  % (self.typename, self.val, self.threshold))

    def updateOutput(self, input):
        self.validateParameters()
        x = input._a
        if self.inplace:
            xf = _flat(x)
            if xf is not None:
                _k(xf).threshold_forward(xf, xf, self.threshold, self.val)
            else:
                np.copyto(x, self.val, where=~(x > self.threshold))
            self.output.set(input)
        else:
            self.output.resizeAs(input)
            xf, yf = _flat(x), _flat(self.output._a)
            if xf is not None and yf is not None and yf.dtype == xf.dtype:
                _k(xf).threshold_forward(xf, yf, self.threshold, self.val)
            else:
                np.copyto(self.output._a, np.where(x > self.threshold, x, x.dtype.type(self.val)))
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.validateParameters()
        utils.check_grad(self, input, gradOutput)
        g = gradOutput._a.reshape(input._a.shape)
        # in place, the input holds the output already: compare with it (TH does the same)
        xf, gf = _flat(input._a), _flat(g)
        if xf is not None and gf is not None and g.dtype == xf.dtype:
            if self.inplace:
                _k(xf).threshold_backward(xf, gf, gf, self.threshold)
                self.gradInput.set(gradOutput)
            else:
                self.gradInput.resizeAs(input)
                gi = _flat(self.gradInput._a)
                if gi is not None and gi.dtype == xf.dtype:
                    _k(xf).threshold_backward(xf, gf, gi, self.threshold)
                    return self.gradInput
                np.copyto(self.gradInput._a, np.where(~(input._a > self.threshold), 0, g))
            return self.gradInput
        return zero_grad_where(self, input, gradOutput, g, ~(input._a > self.threshold))
