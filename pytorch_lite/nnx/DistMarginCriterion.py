"""nn.DistMarginCriterion(): a multi-label hinge loss on distances-like scores.  Each target row
lists the example's target classes (0-based here, ended by -1; 1-based ended by 0 in Lua and t7,
as nn.MultiLabelMarginCriterion's).  With m the smallest score among the targets, every
non-target class d adds max(0, 1 - m + input[d]); sizeAverage (true) divides by the number of
classes (not of examples, as nnx does).  The gradient of each hinge goes to d and, negated, to
the target that attains m."""
import numpy as np

from ..errors import TorchValueError
from ..nn.Criterion import Criterion
from ..nn import utils
from ..tensor import Tensor


class DistMarginCriterion(Criterion):
    typename = "nn.DistMarginCriterion"

    def __init__(self):
        super().__init__()
        self.sizeAverage = True

    def _parts(self, input, target):
        if not isinstance(input, Tensor) or input.dim() not in (1, 2):
            utils.bad_input(self, "a vector or matrix", input)
        x = np.asarray(input._a, dtype=np.float64).reshape(1 if input.dim() == 1 else input._size[0], -1)
        if not isinstance(target, Tensor) or target.nElement() != x.size:
            raise TorchValueError("nn.DistMarginCriterion: inconsistent target size")
        t = np.asarray(target._a).reshape(x.shape).astype(np.int64)
        n, dim = x.shape
        if (t < -1).any() or (t >= dim).any():
            raise TorchValueError("nn.DistMarginCriterion: target out of range")
        valid = np.cumprod(t >= 0, axis=1).astype(bool)      # the entries before the first -1
        rows = np.repeat(np.arange(n), dim).reshape(n, dim)
        is_target = np.zeros(x.shape, bool)
        is_target[rows[valid], t[valid]] = True
        scores = np.where(valid, x[rows, np.where(valid, t, 0)], np.inf)
        best = scores.argmin(axis=1)
        m = scores[np.arange(n), best]
        z = 1 - m[:, None] + x
        active = (~is_target) & (z > 0)
        return x, t, z, active, best, valid

    def updateOutput(self, input, target):
        x, t, z, active, _, _ = self._parts(input, target)
        total = float(z[active].sum())
        self.output = total / x.shape[1] if self.sizeAverage else total
        return self.output

    def updateGradInput(self, input, target):
        x, t, z, active, best, valid = self._parts(input, target)
        g = 1.0 / x.shape[1] if self.sizeAverage else 1.0
        grad = np.where(active, g, 0.0)
        n = x.shape[0]
        has = valid[:, 0]
        grad[np.arange(n)[has], t[np.arange(n), best][has]] = -g * active.sum(axis=1)[has]
        self.gradInput.resizeAs(input)
        self.gradInput._a[...] = grad.reshape(self.gradInput._a.shape)
        return self.gradInput
