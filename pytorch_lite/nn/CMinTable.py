"""nn.CMinTable(): elementwise minimum of a table of tensors; the gradient goes to the (first) winner."""
import numpy as np

from .CMaxTable import CMaxTable


class CMinTable(CMaxTable):
    _pick = staticmethod(np.argmin)
