"""Pooling: max, average (Torch7's ceil and padding rules), adaptive, temporal, feature Lp."""
import numpy as np

from ..declare import declare
from ._common import _batched, _temporal


@declare("nn.TemporalMaxPooling")
def temporal_max_pooling(m, g, x, s):
    return _temporal(g, s, x, lambda v: g.maxpool(v, (m.kW,), (m.dW,), (0,)))


@declare("nn.SpatialMaxPooling", "nn.SpatialDilatedMaxPooling")
def spatial_max_pooling(m, g, x, s):
    dil = (m.__dict__.get("dilationH") or 1, m.__dict__.get("dilationW") or 1)
    k, st, pad = (m.kH, m.kW), (m.dH, m.dW), (m.padH, m.padW)
    if id(m) in s.ctx.unpooled:      # a SpatialMaxUnpooling later takes this module's indices
        def fn(v):
            y, idx = g.maxpool_indices(v, k, st, pad, bool(m.ceil_mode))
            s.ctx.indices[id(m)] = idx
            return y
        return _batched(g, s, x, 4, fn)
    return _batched(g, s, x, 4, lambda v: g.maxpool(v, k, st, pad, bool(m.ceil_mode), dil))


@declare("nn.SpatialMaxUnpooling")
def spatial_max_unpooling(m, g, x, s):
    p = m.pooling
    idx = s.ctx.indices.get(id(p))
    if idx is None:
        s.fail("its pooling module is not run before it in this model")
    size = s.xout.size()[-2:]
    return _batched(g, s, x, 4, lambda v: g.max_unpool(v, idx, (p.kH, p.kW), (p.dH, p.dW), (p.padH, p.padW), size))


@declare("nn.VolumetricMaxPooling", "nn.VolumetricDilatedMaxPooling")
def volumetric_max_pooling(m, g, x, s):
    dil = tuple(m.__dict__.get(k) or 1 for k in ("dilationT", "dilationH", "dilationW"))
    k, st, pad = (m.kT, m.kH, m.kW), (m.dT, m.dH, m.dW), (m.padT, m.padH, m.padW)
    if id(m) in s.ctx.unpooled:
        def fn(v):
            y, idx = g.maxpool_indices(v, k, st, pad, bool(m.ceil_mode))
            s.ctx.indices[id(m)] = idx
            return y
        return _batched(g, s, x, 5, fn)
    return _batched(g, s, x, 5, lambda v: g.maxpool(v, k, st, pad, bool(m.ceil_mode), dil))


@declare("nn.VolumetricMaxUnpooling")
def volumetric_max_unpooling(m, g, x, s):
    p = m.pooling
    idx = s.ctx.indices.get(id(p))
    if idx is None:
        s.fail("its pooling module is not run before it in this model")
    size = s.xout.size()[-3:]
    return _batched(g, s, x, 5, lambda v: g.max_unpool(v, idx, (p.kT, p.kH, p.kW), (p.dT, p.dH, p.dW),
                                                       (p.padT, p.padH, p.padW), size))


def _avg(g, s, x, m, k, st, pad, rank):
    include = m.__dict__.get("count_include_pad", True) is not False
    y = _batched(g, s, x, rank, lambda v: g.avgpool(v, k, st, pad, bool(m.__dict__.get("ceil_mode")), include))
    if m.__dict__.get("divide") is False:   # old files: a sum, not a mean
        if m.__dict__.get("ceil_mode") or not include and any(pad):
            s.fail("divide=false with ceil_mode or excluded padding has no equivalent")
        y = g.mul(y, float(np.prod(k)))
    return y


@declare("nn.SpatialAveragePooling")
def spatial_average_pooling(m, g, x, s):
    return _avg(g, s, x, m, (m.kH, m.kW), (m.dH, m.dW), (m.padH, m.padW), 4)


@declare("nn.VolumetricAveragePooling")
def volumetric_average_pooling(m, g, x, s):
    return _avg(g, s, x, m, (m.kT, m.kH, m.kW), (m.dT, m.dH, m.dW), (m.padT, m.padH, m.padW), 5)


@declare("nn.SpatialAdaptiveMaxPooling", "nn.SpatialAdaptiveAveragePooling")
def spatial_adaptive_pooling(m, g, x, s):
    op = "max" if m.typename == "nn.SpatialAdaptiveMaxPooling" else "mean"
    size = s.xin.size()[-2:]
    return _batched(g, s, x, 4, lambda v: g.adaptive_pool(v, op, (m.H, m.W), size))


@declare("nn.FeatureLPPooling")
def feature_lp_pooling(m, g, x, s):
    """(sum over each window of features of x^p)^(1/p): the features of every position as a
    sequence, summed by a conv1d of ones over windows of ``width`` every ``stride``."""
    lead = 1 if m.batch_mode else 0
    size = s.sizes(s.xin)
    feats = s.xin.size(lead)
    rest = int(np.prod(s.xin.size()[lead + 1:]))
    nout = (feats - m.width) // m.stride + 1
    v = g.reshape(g.pow(x, float(m.power)), [size[0] if lead else 1, feats, rest])
    v = g.reshape(g.permute(v, (0, 2, 1)), [-1, 1, feats])
    v = g.conv(s.path, v, np.ones((1, 1, m.width)), None, (m.stride,), (0,))
    v = g.permute(g.reshape(v, [size[0] if lead else 1, rest, nout]), (0, 2, 1))
    return g.reshape(g.pow(v, 1.0 / m.power), s.sizes(s.xout))
