"""nn.MultiLabelMarginCriterion(sizeAverage=True): multi-class multi-label hinge loss.

Each target row lists 0-based class indices, ended by -1 (Torch7: 1-based, ended by 0)."""
import numpy as np

from ..cuda.device import array_module as _xp, to_host
from ..errors import TorchValueError
from ..tensor import Tensor
from ._criterion import SizeAveraged
from . import utils


class MultiLabelMarginCriterion(SizeAveraged):
    def __init__(self, sizeAverage=True):
        super().__init__(sizeAverage)
        self.isTarget = Tensor()

    def _parts(self, input, target):
        if input.dim() not in (1, 2):
            utils.bad_input(self, "a 1D or 2D tensor", input)
        x = input._a.reshape(1 if input.dim() == 1 else input._size[0], -1)
        if not isinstance(target, Tensor) or target.nElement() != x.size:
            raise TorchValueError("nn.MultiLabelMarginCriterion: inconsistent target size")
        t = to_host(target._a).reshape(x.shape).astype(np.int64)   # the target table is read on the host
        n, dim = x.shape
        is_t = np.zeros(x.shape, bool)
        valid = np.zeros(x.shape, bool)
        for r in range(n):
            for k in range(dim):
                c = t[r, k]
                if c < 0:
                    break
                if c >= dim:
                    raise TorchValueError("nn.MultiLabelMarginCriterion: target %d out of range" % c)
                is_t[r, c] = True
                valid[r, k] = True
        self.isTarget = input.new(*input._size).copy(is_t.astype(x.dtype).reshape(input._a.shape))
        xp = _xp(x)   # and meets x where it lives
        t, valid, is_t = xp.asarray(t), xp.asarray(valid), xp.asarray(is_t)
        # z[r, k, d] = 1 - x[r, t[r,k]] + x[r, d] for listed targets k and non-target classes d
        xt = np.take_along_axis(x, np.where(valid, t, 0), 1)
        z = 1 - xt[:, :, None] + x[:, None, :]
        active = (z > 0) & valid[:, :, None] & ~is_t[:, None, :]
        return x, t, valid, z, active

    def updateOutput(self, input, target):
        x, t, valid, z, active = self._parts(input, target)
        self.output = self._average(float(np.sum(np.where(active, z, 0))) / x.shape[1], x.shape[0])
        return self.output

    def updateGradInput(self, input, target):
        x, t, valid, z, active = self._parts(input, target)
        g = self._average(1.0 / x.shape[1], x.shape[0])
        grad = active.sum(1) * g                       # + g for each (target, d) pair at class d
        minus = active.sum(2) * g                      # - g at each listed target class
        for r in range(x.shape[0]):
            np.subtract.at(grad[r], np.where(valid[r], t[r], 0), np.where(valid[r], minus[r], 0))
        self.gradInput.resizeAs(input)
        np.copyto(self.gradInput._a, grad.reshape(self.gradInput._a.shape))
        return self.gradInput
