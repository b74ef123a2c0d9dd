"""nn.Sigmoid(): y = 1 / (1 + exp(-x))."""
import numpy as np

from .. import _pointwise as kernels
from ._pointwise import Pointwise


class Sigmoid(Pointwise):
    def fw(self, x, y):
        # 1 / (1 + exp(-x)) step by step in y: the same roundings, no temporaries
        np.negative(x, out=y)
        np.exp(y, out=y)
        if not kernels.recip_1p(y, y):   # the last two steps in one C pass, the same bits
            np.add(y, 1, out=y)
            np.divide(1, y, out=y)

    def bw(self, x, y, g, gi):
        if not kernels.sigmoid_grad(y, g, gi):   # one pass in C, the same bits
            np.multiply(g, (1 - y) * y, out=gi)
