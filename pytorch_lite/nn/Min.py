"""nn.Min(dimension=0, nInputDims=None): minimum over a dimension (0-based)."""
import numpy as np

from .Max import Max


class Min(Max):
    _reduce = staticmethod(np.argmin)
