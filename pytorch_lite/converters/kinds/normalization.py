"""Normalisation: batch norms (evaluate form), cross-map LRN, the spatial local normalisations."""
import numpy as np

from ..declare import declare
from ._common import _a, _batched


@declare("nn.BatchNormalization", "nn.SpatialBatchNormalization", "nn.VolumetricBatchNormalization")
def batch_normalization(m, g, x, s):
    rank = {"BatchNormalization": 2, "SpatialBatchNormalization": 4,
            "VolumetricBatchNormalization": 5}[m.typename.split(".", 1)[1]]   # nn's or cudnn's
    w, b = _a(m.__dict__.get("weight")), _a(m.__dict__.get("bias"))
    if w is not None and b is None:
        b = np.zeros_like(w)
    return _batched(g, s, x, rank, lambda v: g.batchnorm(s.path, v, rank, _a(m.running_mean), _a(m.running_var),
                                                         w, b, m.eps))


@declare("nn.SpatialCrossMapLRN")
def spatial_cross_map_lrn(m, g, x, s):
    return _batched(g, s, x, 4, lambda v: g.lrn(v, m.size, m.alpha, m.beta, m.k))


def _coef(m, s):
    """The estimator's response to ones (Torch7 computes it once per input size): a constant."""
    c = np.asarray((m._coef if s.xin.dim() == 4 else m.coef)._a)
    return c[None] if s.xin.dim() == 4 else c


@declare("nn.SpatialSubtractiveNormalization")
def spatial_subtractive_normalization(m, g, x, s):
    sums = s.emit(m.meanestimator, "meanestimator", x)
    # the estimator answers N x C x 1 x H x W: Torch7's CSubTable takes it element for element
    return g.sub(x, g.reshape(g.div(sums, g.const(_coef(m, s))), s.sizes(s.xin)))


@declare("nn.SpatialDivisiveNormalization")
def spatial_divisive_normalization(m, g, x, s):
    stds = s.emit(m.stdestimator, "stdestimator", x)
    adjusted = g.reshape(g.div(stds, g.const(_coef(m, s))), s.sizes(s.xin))
    return g.div(x, s.emit(m.thresholder, "thresholder", adjusted))


@declare("nn.SpatialContrastiveNormalization")
def spatial_contrastive_normalization(m, g, x, s):
    return s.emit(m.normalizer, "normalizer", x)
