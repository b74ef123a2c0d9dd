"""nn.Power(p): y = x^p."""
import numpy as np

from ._pointwise import Pointwise


class Power(Pointwise):
    def __init__(self, p):
        super().__init__()
        self.pow = p
        if p is None:
            raise ValueError('nn.Power(p): p must be a number')

    def fw(self, x, y):
        np.power(x, x.dtype.type(self.pow), out=y)

    def bw(self, x, y, g, gi):
        np.multiply(np.power(x, x.dtype.type(self.pow - 1)) * x.dtype.type(self.pow), g, out=gi)
