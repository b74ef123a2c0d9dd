"""nn.Log(): y = log(x)."""
import numpy as np

from ._pointwise import Pointwise


class Log(Pointwise):
    def fw(self, x, y):
        np.log(x, out=y)

    def bw(self, x, y, g, gi):
        np.divide(g, x, out=gi)
