"""nn.NaN(module, id=None): runs module and raises our error when its input, output, gradOutput,
gradInput or parameter gradients hold a NaN (a debugging decorator)."""
import numpy as np

from ..errors import TorchValueError
from .Decorator import Decorator
from . import utils

_COUNT = [0]


def _has_nan(x):
    return any(np.isnan(t._a).any() for t in _flat(x) if t.dtype.kind == "f")


def _flat(x):
    if utils.is_tensor(x):
        return [x]
    if utils.is_table(x):
        return [t for e in x for t in _flat(e)]
    return []


class NaN(Decorator):
    def __init__(self, module, id=None):
        super().__init__(module)
        _COUNT[0] += 1
        self.id = _COUNT[0] if id is None else id

    def _check(self, what, x):
        if _has_nan(x):
            raise TorchValueError("NaN found in %s of module :\n%s" % (what, self))

    def updateOutput(self, input):
        self._check("input", input)
        out = super().updateOutput(input)
        self._check("output", out)
        return out

    def updateGradInput(self, input, gradOutput):
        self._check("gradOutput", gradOutput)
        gi = super().updateGradInput(input, gradOutput)
        self._check("gradInput", gi)
        return gi

    def accGradParameters(self, input, gradOutput, scale=1):
        super().accGradParameters(input, gradOutput, scale)
        self._check("gradParameters", [g for g in self.parameters()[1] if g is not None])

    def __tostring__(self):
        return "nn.NaN(%s) @ %s" % (self.id, self.modules[0])
