"""nn.HardShrink(lambda=0.5): x where |x| > lambda, else 0."""
import numpy as np

from ._pointwise import Pointwise, outside_lambda


class HardShrink(Pointwise):
    def __init__(self, lam=0.5):
        super().__init__()
        setattr(self, "lambda", lam)  # Torch7's field name

    def fw(self, x, y):
        np.copyto(y, np.where(outside_lambda(self, x), x, 0))

    def bw(self, x, y, g, gi):
        np.copyto(gi, np.where(outside_lambda(self, x), g, 0))
