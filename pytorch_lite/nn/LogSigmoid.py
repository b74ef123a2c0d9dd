"""nn.LogSigmoid(): y = -log(1 + exp(-x))."""
import numpy as np

from ._pointwise import Pointwise


class LogSigmoid(Pointwise):
    def fw(self, x, y):
        # the stable form THNN uses: max trick around 0
        m = np.maximum(0, -x)
        z = np.exp(-m) + np.exp(-x - m)
        np.negative(m + np.log(z), out=y)

    def bw(self, x, y, g, gi):
        m = np.maximum(0, -x)
        z = np.exp(-m) + np.exp(-x - m)
        np.multiply(g, np.exp(-x - m) / z, out=gi)
