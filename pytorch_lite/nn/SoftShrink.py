"""nn.SoftShrink(lambda=0.5): shrink towards 0 by lambda."""
import numpy as np

from ._pointwise import Pointwise, outside_lambda


class SoftShrink(Pointwise):
    def __init__(self, lam=0.5):
        super().__init__()
        setattr(self, "lambda", lam)  # Torch7's field name

    def fw(self, x, y):
        lam = x.dtype.type(self.__dict__["lambda"])
        np.copyto(y, np.where(x > lam, x - lam, np.where(x < -lam, x + lam, 0)))

    def bw(self, x, y, g, gi):
        np.copyto(gi, np.where(outside_lambda(self, x), g, 0))
