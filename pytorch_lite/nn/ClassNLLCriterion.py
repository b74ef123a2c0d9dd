"""nn.ClassNLLCriterion(weights=None, sizeAverage=True, ignoreIndex=-100): -x[target] averaged.

Targets are 0-based class indices in Python (Torch7's are 1-based; the t7 hooks convert
``ignoreIndex``).  A target equal to ignoreIndex contributes nothing."""
import numpy as np

from ..errors import TorchIndexError, TorchValueError
from ..tensor import Tensor
from .._nn import nll_targets
from .Criterion import Criterion
from ..cuda.device import to_host
from . import utils
from ..cuda.device import array_module as _xp


class ClassNLLCriterion(Criterion):
    t7_index_fields = ("ignoreIndex",)
    # Torch7 fields that may be nil (absent from a t7 file): their defaults
    weights = None
    ignoreIndex = -100
    sizeAverage = True

    def __init__(self, weights=None, sizeAverage=True, ignoreIndex=-100):
        super().__init__()
        self.sizeAverage = True if sizeAverage is None else sizeAverage
        self.ignoreIndex = ignoreIndex
        if weights is not None and weights.dim() != 1:
            raise TorchValueError("nn.ClassNLLCriterion: weights tensor should be 1D")
        self.weights = weights
        self.output_tensor = Tensor(1)
        self.total_weight_tensor = Tensor(1).fill(1)

    def _plain(self, input, target):
        """(x, t) for the common case: a batch, a target tensor with one class per row, no
        weights, none ignored, all in range; None otherwise (the general path then runs, and
        reports what is wrong).  Its sums are the general path's (its weights would all be 1)."""
        if not (isinstance(input, Tensor) and isinstance(target, Tensor)) or input.dim() != 2 \
                or self.__dict__.get("weights") is not None:
            return None
        x = input._a
        t = target._a
        if type(t) is not np.ndarray or type(x) is not np.ndarray or t.size != x.shape[0] or x.shape[0] == 0:
            return None
        t = t.reshape(-1)
        if t.dtype != np.int64:
            if t.dtype.kind not in "fiu":
                return None
            t = t.astype(np.int64)
        ignore = self.ignoreIndex
        if type(ignore) is not int or not -2 ** 62 < ignore < 2 ** 62:
            return None
        if nll_targets(t, x.shape[1], ignore) != (0, -1):
            return None
        return x, t

    def _targets(self, input, target):
        if input.dim() not in (1, 2):
            utils.bad_input(self, "a 1D (nClasses) or 2D (nBatch x nClasses) tensor", input)
        nb = 1 if input.dim() == 1 else input._size[0]
        if isinstance(target, Tensor):
            t = to_host(target._a).reshape(-1)   # checked on the host (a Cuda target is copied over)
        else:
            t = np.array([target])
        if input.dim() == 1 and t.size > 1:
            t = t[:1]   # THNN reads only the first target of a 1D input (rnn's tests give more)
        if t.size != nb:
            raise TorchValueError("nn.ClassNLLCriterion: expected %d targets, got %d" % (nb, t.size))
        if t.dtype.kind == "f":
            t = t.astype(np.int64)
        t = t.astype(np.int64)
        x = input._a.reshape(nb, -1)
        keep = t != self.ignoreIndex
        bad = keep & ((t < 0) | (t >= x.shape[1]))
        if bad.any():
            raise TorchIndexError("nn.ClassNLLCriterion: target %d out of bounds for %d classes (0-based)"
                                  % (t[bad][0], x.shape[1]))
        xp = _xp(x)   # the targets and weights meet x where it lives
        tk, keep = xp.asarray(np.where(keep, t, 0)), xp.asarray(keep)
        w = self.__dict__.get("weights")
        wt = (w._a[tk] if w is not None else xp.ones(nb)) * keep
        return x, tk, wt

    def updateOutput(self, input, target):
        plain = self._plain(input, target)
        if plain is not None:   # weights all 1: the products are the picked values, in double
            x, t = plain
            total = float(x.shape[0])
            out = -float(np.sum(x[_rows(x.shape[0]), t].astype(np.float64)))
        else:
            x, t, w = self._targets(input, target)
            total = float(np.sum(w))
            out = -float(np.sum(x[np.arange(x.shape[0]), t] * w))
        if self.sizeAverage and total != 0:
            out /= total
        self.total_weight_tensor = self.total_weight_tensor if isinstance(self.total_weight_tensor, Tensor) else input.new(1)
        self.total_weight_tensor.resize(1).fill(total)
        self.output_tensor.resize(1).fill(out)
        self.output = out
        return out

    def updateGradInput(self, input, target):
        plain = self._plain(input, target)
        if plain is not None:
            x, t = plain
            self.gradInput.resizeAs(input).zero()
            g = self.gradInput._a.reshape(x.shape)
            g[_rows(x.shape[0]), t] = -1.0 / x.shape[0] if self.sizeAverage else -1.0
            return self.gradInput
        x, t, w = self._targets(input, target)
        total = float(np.sum(w))
        self.gradInput.resizeAs(input).zero()
        g = self.gradInput._a.reshape(x.shape)
        scale = 1.0 / total if (self.sizeAverage and total != 0) else 1.0
        g[np.arange(x.shape[0]), t] = -w * scale
        if self.gradInput._a.shape != g.shape:
            self.gradInput._a[...] = g.reshape(self.gradInput._a.shape)
        return self.gradInput


_ROWS = {}


def _rows(n):
    """np.arange(n), kept (read-only) for the batch sizes seen."""
    r = _ROWS.get(n)
    if r is None:
        if len(_ROWS) > 64:
            _ROWS.clear()
        r = _ROWS[n] = np.arange(n)
        r.flags.writeable = False
    return r
