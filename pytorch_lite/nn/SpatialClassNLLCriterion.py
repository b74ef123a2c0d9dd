"""nn.SpatialClassNLLCriterion(weights=None, sizeAverage=True): ClassNLLCriterion at every
pixel: input (batch x) nClasses x H x W log-probabilities, target (batch x) H x W of 0-based
class indices (Torch7's are 1-based)."""
import numpy as np

from ..cuda.device import array_module as _xp, to_host
from ..errors import TorchIndexError, TorchValueError
from ..tensor import Tensor, TENSOR_TYPES
from .Criterion import Criterion
from . import utils


class SpatialClassNLLCriterion(Criterion):
    weights = None
    sizeAverage = True

    def __init__(self, weights=None, sizeAverage=None):
        super().__init__()
        self.sizeAverage = True if sizeAverage is None else sizeAverage
        if weights is not None:
            if weights.dim() != 1:
                raise TorchValueError("nn.SpatialClassNLLCriterion: weights input should be 1-D Tensor")
            self.weights = weights
        self.output_tensor = Tensor(1).zero()
        self.total_weight_tensor = Tensor(1).fill(1)
        self.target = TENSOR_TYPES["torch.LongTensor"](1).zero()

    def __len__(self):
        w = self.__dict__.get("weights")
        return 0 if w is None else w.nElement()

    def _prepare(self, input, target):
        if not isinstance(input, Tensor) or input.dim() not in (3, 4):
            utils.bad_input(self, "a 3D (nClasses x H x W) or 4D (batch x nClasses x H x W) tensor", input)
        x = input._a if input.dim() == 4 else input._a[None]
        N, C, H, W = x.shape
        t = to_host(target._a) if isinstance(target, Tensor) else np.asarray([target])   # checked on the host
        if t.size != N * H * W:
            raise TorchValueError("nn.SpatialClassNLLCriterion: expected a target of size %s, got %s"
                                  % ("x".join(map(str, (N, H, W) if input.dim() == 4 else (H, W))),
                                     utils.shape_str(target) if isinstance(target, Tensor) else "a number"))
        t = t.astype(np.int64).reshape(N, H, W)
        if t.size and (t.min() < 0 or t.max() >= C):
            bad = t[(t < 0) | (t >= C)][0]
            raise TorchIndexError("nn.SpatialClassNLLCriterion: target %d out of bounds for %d classes (0-based)"
                                  % (bad, C))
        xp = _xp(x)   # the targets meet x where it lives
        t = xp.asarray(t)
        w = self.__dict__.get("weights")
        wt = w._a[t] if w is not None else xp.ones(t.shape)
        return x, t, wt

    def updateOutput(self, input, target):
        x, t, w = self._prepare(input, target)
        picked = np.take_along_axis(x, t[:, None], axis=1)[:, 0]
        total = float(np.sum(w))
        out = -float(np.sum(picked * w))
        if self.sizeAverage and total != 0:
            out /= total
        self.output_tensor.resize(1).fill(out)
        self.total_weight_tensor.resize(1).fill(total)
        self.output = out
        return out

    def updateGradInput(self, input, target):
        x, t, w = self._prepare(input, target)
        total = float(np.sum(w))
        self.gradInput.resizeAs(input).zero()
        g = self.gradInput._a if input.dim() == 4 else self.gradInput._a[None]
        scale = 1.0 / total if (self.sizeAverage and total != 0) else 1.0
        np.put_along_axis(g, t[:, None], (-w * scale)[:, None], axis=1)
        return self.gradInput

    def clearState(self):
        return super().clearState()
