"""Convolutions (spatial, volumetric, temporal; full, dilated, depthwise, mapped, local),
with and without bias."""
import numpy as np

from ..declare import declare
from ._common import _a, _batched, _temporal


def _conv_weight(m, nd):
    w = _a(m.weight)
    groups = int(m.__dict__.get("groups") or 1)
    k = (m.kH, m.kW) if nd == 2 else (m.kT, m.kH, m.kW)
    return w.reshape((m.nOutputPlane, m.nInputPlane // groups) + k), groups


@declare("nn.SpatialConvolution", "nn.SpatialConvolutionMM", "nn.SpatialDilatedConvolution", "cudnn.SpatialConvolution")
def spatial_convolution(m, g, x, s):
    w, groups = _conv_weight(m, 2)
    dil = (m.__dict__.get("dilationH") or 1, m.__dict__.get("dilationW") or 1)
    return _batched(g, s, x, 4, lambda v: g.conv(s.path, v, w, _a(m.__dict__.get("bias")), (m.dH, m.dW),
                                                 (m.padH, m.padW), dil, groups))


@declare("nn.VolumetricConvolution", "nn.VolumetricDilatedConvolution")
def volumetric_convolution(m, g, x, s):
    w, groups = _conv_weight(m, 3)
    dil = tuple(m.__dict__.get(k) or 1 for k in ("dilationT", "dilationH", "dilationW"))
    return _batched(g, s, x, 5, lambda v: g.conv(s.path, v, w, _a(m.__dict__.get("bias")), (m.dT, m.dH, m.dW),
                                                 (m.padT, m.padH, m.padW), dil, groups))


@declare("nn.SpatialFullConvolution")
def spatial_full_convolution(m, g, x, s):
    if isinstance(s.xin, list):
        s.fail("the {input, size} table form picks its output size at run time")
    w = _a(m.weight).reshape(m.nInputPlane, m.nOutputPlane, m.kH, m.kW)
    return _batched(g, s, x, 4, lambda v: g.conv_transpose(s.path, v, w, _a(m.__dict__.get("bias")), (m.dH, m.dW),
                                                           (m.padH, m.padW), (m.adjH or 0, m.adjW or 0)))


@declare("nn.VolumetricFullConvolution")
def volumetric_full_convolution(m, g, x, s):
    if isinstance(s.xin, list):
        s.fail("the {input, size} table form picks its output size at run time")
    w = _a(m.weight).reshape(m.nInputPlane, m.nOutputPlane, m.kT, m.kH, m.kW)
    return _batched(g, s, x, 5, lambda v: g.conv_transpose(
        s.path, v, w, _a(m.__dict__.get("bias")), (m.dT, m.dH, m.dW), (m.padT, m.padH, m.padW),
        (m.adjT or 0, m.adjH or 0, m.adjW or 0)))


@declare("nn.SpatialConvolutionMap")
def spatial_convolution_map(m, g, x, s):
    from ...nn.SpatialConvolutionMap import dense
    w = dense(m, _a(m.weight), m.nInputPlane, _a(m.weight).dtype)
    return _batched(g, s, x, 4, lambda v: g.conv(s.path, v, w, _a(m.bias), (m.dH, m.dW), (0, 0)))


@declare("nn.SpatialDepthWiseConvolution")
def spatial_depthwise_convolution(m, g, x, s):
    c, mult = m.nInputPlane, m.depthwiseMultiplier
    w = _a(m.weight).reshape(mult, c, m.kH, m.kW).transpose(1, 0, 2, 3).reshape(c * mult, 1, m.kH, m.kW)
    b = _a(m.__dict__.get("bias"))
    b = None if b is None else np.ascontiguousarray(b.T).reshape(-1)
    return _batched(g, s, x, 4, lambda v: g.conv(s.path, v, w, b, (m.dH, m.dW), (m.padH, m.padW), None, c))


@declare("nn.SpatialSubSampling")
def spatial_subsampling(m, g, x, s):
    """A per-plane box sum times the plane's weight, plus its bias: a depthwise convolution."""
    n = m.nInputPlane
    w = np.ones((n, 1, m.kH, m.kW)) * _a(m.weight).reshape(n, 1, 1, 1)
    return _batched(g, s, x, 4, lambda v: g.conv(s.path, v, w, _a(m.bias), (m.dH, m.dW), (0, 0), None, n))


@declare("nn.TemporalConvolution")
def temporal_convolution(m, g, x, s):
    # Torch7 unrolls each window frame by frame: weight row = [frame 0 features, frame 1, ...]
    w = _a(m.weight).reshape(m.outputFrameSize, m.kW, m.inputFrameSize).transpose(0, 2, 1)
    return _temporal(g, s, x, lambda v: g.conv(s.path, v, np.ascontiguousarray(w), _a(m.__dict__.get("bias")),
                                               (m.dW,), (0,)))


@declare("nn.TemporalSubSampling")
def temporal_subsampling(m, g, x, s):
    n = m.inputFrameSize
    w = np.ones((n, 1, m.kW)) * _a(m.weight).reshape(n, 1, 1)
    return _temporal(g, s, x, lambda v: g.conv(s.path, v, w, _a(m.bias), (m.dW,), (0,), None, n))


@declare("nn.TemporalRowConvolution")
def temporal_row_convolution(m, g, x, s):
    """Each feature row convolved on its own: a depthwise conv1d."""
    n = m.inputFrameSize
    w = _a(m.weight).reshape(n, 1, m.kW)

    def conv(v):
        return g.conv(s.path, v, w, _a(m.__dict__.get("bias")), (m.dW,), (0,), None, n)
    if m.featFirst:
        return _batched(g, s, x, 3, conv)
    return _temporal(g, s, x, conv)


@declare("nn.SpatialConvolutionLocal")
def spatial_convolution_local(m, g, x, s):
    """Unshared weights: every window's patch (a convolution with one-hot kernels gathers them)
    times the weights of its own output position, summed."""
    c, kh, kw, o = m.nInputPlane, m.kH, m.kW, m.nOutputPlane
    k = c * kh * kw
    eye = np.eye(k).reshape(k, c, kh, kw)
    w = _a(m.weight).reshape(m.oH, m.oW, o, k).transpose(2, 3, 0, 1)          # o x k x oH x oW

    def fn(v):
        patches = g.conv(s.path + ["patches"], v, eye, None, (m.dH, m.dW), (m.padH, m.padW))
        y = g.reduce("sum", g.mul(g.unsqueeze(patches, 1), s.param("weight", w)), [2], False)
        return g.add(y, s.param("bias"))
    return _batched(g, s, x, 4, fn)


@declare("nn.SpatialFullConvolutionMap")
def spatial_full_convolution_map(m, g, x, s):
    """Each connection (input plane, output plane) a full convolution: one dense transposed
    convolution whose absent pairs are zero."""
    conn = np.asarray(m.connTable._a).astype(np.int64)
    wk = _a(m.weight)
    w = np.zeros((m.nInputPlane, m.nOutputPlane) + wk.shape[1:], wk.dtype)
    np.add.at(w, (conn[:, 0], conn[:, 1]), wk)
    return _batched(g, s, x, 4, lambda v: g.conv_transpose(s.path, v, w, _a(m.bias), (m.dH, m.dW), (0, 0), (0, 0)))


@declare("cudnn.TemporalConvolution")
def cudnn_temporal_convolution(m, g, x, s):
    # nn's weight layout; the window, step and padding (both ends) in frames are kH, dH, padH
    w = _a(m.weight).reshape(m.outputFrameSize, m.kH, m.inputFrameSize).transpose(0, 2, 1)
    return _temporal(g, s, x, lambda v: g.conv(s.path, v, np.ascontiguousarray(w), _a(m.__dict__.get("bias")),
                                               (m.dH,), (m.padH or 0,)))
