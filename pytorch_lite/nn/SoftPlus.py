"""nn.SoftPlus(beta=1, threshold=20): y = log(1 + exp(beta x)) / beta (linear beyond threshold)."""
import numpy as np

from ._pointwise import Pointwise


class SoftPlus(Pointwise):
    def __init__(self, beta=1, threshold=20):
        super().__init__()
        self.beta = beta
        self.threshold = threshold

    def fw(self, x, y):
        bx = x * x.dtype.type(self.beta)
        big = bx > self.threshold
        with np.errstate(over="ignore"):
            np.copyto(y, np.where(big, x, np.log1p(np.exp(np.where(big, 0, bx))) / x.dtype.type(self.beta)))

    def bw(self, x, y, g, gi):
        by = y * y.dtype.type(self.beta)
        big = by > self.threshold
        z = np.exp(np.where(big, 0, by))
        np.copyto(gi, np.where(big, g, g * (z - 1) / z))
