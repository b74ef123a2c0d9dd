"""unsup.SpatialConvFistaL1(conntable, kw, kh, iw, ih, lambda [, params]): convolutional sparse
coding, an unsup.FistaL1 whose dictionary is an nn.SpatialFullConvolutionMap(conntable, kw, kh)
from code maps to the ih x iw input planes.

conntable rows are (code plane, input plane), 0-based in Python (1-based from Lua, as
nn.SpatialFullConvolutionMap's).  The reconstruction error is an nn.WeightedMSECriterion (summed)
whose weight at each input pixel is the number of kw x kh windows covering it, divided by the
largest such count (border pixels are seen by fewer code units); that criterion weighs the
target, so the energy is ``0.5 * |D(code) - weight .* input|^2 + lambda * |code|_1``.  The code is
``nOutputPlanes x (ih - kh + 1) x (iw - kw + 1)``."""
import numpy as np

from .. import nn
from ..errors import TorchValueError
from ..tensor import Tensor
from .FistaL1 import FistaL1


def _coverage(n, k):
    """How many of the n - k + 1 windows of width k cover each of n positions."""
    c = np.zeros(n)
    for start in range(n - k + 1):
        c[start:start + k] += 1
    return c


class SpatialConvFistaL1(FistaL1):
    typename = "unsup.SpatialConvFistaL1"

    def __init__(self, conntable, kw, kh, iw, ih, lambda_, params=None):
        kw, kh, iw, ih = int(kw), int(kh), int(iw), int(ih)
        if kw > iw or kh > ih:
            raise TorchValueError("SpatialConvFistaL1: a %dx%d kernel does not fit a %dx%d input"
                                  % (kw, kh, iw, ih))
        D = nn.SpatialFullConvolutionMap(conntable, kw, kh, 1, 1)
        outputFeatures = int(conntable.select(1, 0).max()) + 1
        inputFeatures = int(conntable.select(1, 1).max()) + 1
        cover = np.outer(_coverage(ih, kh), _coverage(iw, kw))
        weight = Tensor(inputFeatures, ih, iw)
        weight._a[...] = cover / cover.max()
        Fcost = nn.WeightedMSECriterion(weight)
        Fcost.sizeAverage = False
        FistaL1.__init__(self, D, Fcost, lambda_, params)
        self.code.resize(outputFeatures, ih - kh + 1, iw - kw + 1).fill(0)
