"""Layers with weights and the spatial family: linear maps, convolutions, pooling, batch
normalisation, embeddings, resampling, padding.  Torch7's spatial modules also take one
sample without a batch dimension: it is added around the PyTorch/ONNX op (``_batched``)."""
import numpy as np

from ..declare import declare


def _a(t):
    return None if t is None else np.asarray(t._a)


def _batched(g, s, x, rank, fn):
    """fn on x with a batch dim: x of ``rank`` dims is a batch, of rank - 1 one sample."""
    if s.xin.dim() == rank - 1:
        return g.squeeze(fn(g.unsqueeze(x, 0)), 0)
    return fn(x)


@declare("nn.Linear")
def linear(m, g, x, s):
    return g.linear(s.path, x, _a(m.weight), _a(m.__dict__.get("bias")))


@declare("nn.LinearWeightNorm")
def linear_weight_norm(m, g, x, s):
    w = _a(m.updateWeightMatrix() if hasattr(m, "updateWeightMatrix") else m.weight)
    return g.linear(s.path, x, _a(m.weight) if w is None else w, _a(m.__dict__.get("bias")))


@declare("nn.LookupTable")
def lookup_table(m, g, x, s):
    if m.maxNorm is not None and s.target == "onnx":
        s.fail("maxNorm (rows renormalised in place at each forward) has no ONNX equivalent")
    n = m.weight.size(0)
    pad = m.paddingValue if m.paddingValue is not None and 0 <= m.paddingValue < n else None
    return g.embedding(s.path, x, _a(m.weight), pad, None if m.maxNorm is None else float(m.maxNorm),
                       float(m.normType or 2))


@declare("nn.OneHot")
def one_hot(m, g, x, s):
    return g.gather_rows(g.const(np.eye(m.outputSize)), x)


def _conv_weight(m, nd):
    w = _a(m.weight)
    groups = int(m.__dict__.get("groups") or 1)
    k = (m.kH, m.kW) if nd == 2 else (m.kT, m.kH, m.kW)
    return w.reshape((m.nOutputPlane, m.nInputPlane // groups) + k), groups


@declare("nn.SpatialConvolution", "nn.SpatialConvolutionMM", "nn.SpatialDilatedConvolution")
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


def _temporal(g, s, x, fn):
    """(T, C) or (N, T, C) frames -> conv1d layout (N, C, T) and back."""
    v = g.unsqueeze(x, 0) if s.xin.dim() == 2 else x
    y = g.permute(fn(g.permute(v, (0, 2, 1))), (0, 2, 1))
    return g.squeeze(y, 0) if s.xin.dim() == 2 else y


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


@declare("nn.TemporalMaxPooling")
def temporal_max_pooling(m, g, x, s):
    return _temporal(g, s, x, lambda v: g.maxpool(v, (m.kW,), (m.dW,), (0,)))


@declare("nn.SpatialMaxPooling", "nn.SpatialDilatedMaxPooling")
def spatial_max_pooling(m, g, x, s):
    dil = (m.__dict__.get("dilationH") or 1, m.__dict__.get("dilationW") or 1)
    return _batched(g, s, x, 4, lambda v: g.maxpool(v, (m.kH, m.kW), (m.dH, m.dW), (m.padH, m.padW),
                                                    bool(m.ceil_mode), dil))


@declare("nn.VolumetricMaxPooling", "nn.VolumetricDilatedMaxPooling")
def volumetric_max_pooling(m, g, x, s):
    dil = tuple(m.__dict__.get(k) or 1 for k in ("dilationT", "dilationH", "dilationW"))
    return _batched(g, s, x, 5, lambda v: g.maxpool(v, (m.kT, m.kH, m.kW), (m.dT, m.dH, m.dW),
                                                    (m.padT, m.padH, m.padW), bool(m.ceil_mode), dil))


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


@declare("nn.BatchNormalization", "nn.SpatialBatchNormalization", "nn.VolumetricBatchNormalization")
def batch_normalization(m, g, x, s):
    rank = {"nn.BatchNormalization": 2, "nn.SpatialBatchNormalization": 4,
            "nn.VolumetricBatchNormalization": 5}[m.typename]
    w, b = _a(m.__dict__.get("weight")), _a(m.__dict__.get("bias"))
    if w is not None and b is None:
        b = np.zeros_like(w)
    return _batched(g, s, x, rank, lambda v: g.batchnorm(s.path, v, rank, _a(m.running_mean), _a(m.running_var),
                                                         w, b, m.eps))


@declare("nn.SpatialUpSamplingNearest")
def upsampling_nearest(m, g, x, s):
    return _batched(g, s, x, 4, lambda v: g.resize(v, s.xout.size()[-2:], "nearest"))


@declare("nn.SpatialUpSamplingBilinear")
def upsampling_bilinear(m, g, x, s):
    return _batched(g, s, x, 4, lambda v: g.resize(v, s.xout.size()[-2:], "bilinear"))


def _spatial_pad(g, s, x, m, mode):
    """pad_l/r/t/b; negative values crop (Torch7 allows them for zero padding)."""
    rank = s.xin.dim()
    l, r, t, b = m.pad_l, m.pad_r, m.pad_t, m.pad_b
    h, w = s.xin.size()[-2:]
    if min(l, r, t, b) < 0:
        x = g.narrow(x, rank - 1, max(-l, 0), w - max(-l, 0) - max(-r, 0))
        x = g.narrow(x, rank - 2, max(-t, 0), h - max(-t, 0) - max(-b, 0))
        l, r, t, b = max(l, 0), max(r, 0), max(t, 0), max(b, 0)
    pads = [(0, 0)] * (rank - 2) + [(t, b), (l, r)]
    if not any(l or r or t or b for _ in [0]):
        return x
    if mode == "constant":
        return g.pad(x, pads, mode)
    return _batched(g, s, x, 4, lambda v: g.pad(v, [(0, 0)] * 2 + pads[-2:], mode))


@declare("nn.SpatialZeroPadding")
def spatial_zero_padding(m, g, x, s):
    return _spatial_pad(g, s, x, m, "constant")


@declare("nn.SpatialReflectionPadding")
def spatial_reflection_padding(m, g, x, s):
    return _spatial_pad(g, s, x, m, "reflect")


@declare("nn.SpatialReplicationPadding")
def spatial_replication_padding(m, g, x, s):
    return _spatial_pad(g, s, x, m, "edge")


@declare("nn.VolumetricReplicationPadding")
def volumetric_replication_padding(m, g, x, s):
    pads = [(0, 0), (0, 0), (m.pfront, m.pback), (m.ptop, m.pbottom), (m.pleft, m.pright)]
    return _batched(g, s, x, 5, lambda v: g.pad(v, pads, "edge"))


@declare("nn.SpatialCrossMapLRN")
def spatial_cross_map_lrn(m, g, x, s):
    return _batched(g, s, x, 4, lambda v: g.lrn(v, m.size, m.alpha, m.beta, m.k))


@declare("nn.PixelShuffle")
def pixel_shuffle(m, g, x, s):
    return _batched(g, s, x, 4, lambda v: g.pixel_shuffle(v, m.upscaleFactor))


@declare("nn.PReLU")
def prelu(m, g, x, s):
    n = m.nOutputPlane or 0
    w = _a(m.weight)
    if n:
        plane = 0 if s.xin.dim() in (1, 3) else 1
        w = w.reshape((n,) + (1,) * (s.xin.dim() - plane - 1))
    else:
        w = w.reshape(())
    p = s.param("weight", w)
    return g.add(g.maximum(x, 0.0), g.mul(p, g.minimum(x, 0.0)))


def _broadcast(arr, xin):
    """A CMul/CAdd-style parameter shaped to broadcast against the input (Torch7 expands it
    over a leading batch dim, or views it as the input when the sizes agree)."""
    size = xin.size()
    if arr.size == int(np.prod(size)):
        return arr.reshape(size)
    if arr.size == int(np.prod(size[1:])):
        return arr.reshape((1,) + tuple(size[1:]))
    return arr.reshape((1,) * max(len(size) - arr.ndim, 0) + arr.shape)


@declare("nn.CMul")
def cmul(m, g, x, s):
    return g.mul(x, s.param("weight", _broadcast(_a(m.weight), s.xin)))


@declare("nn.CAdd")
def cadd(m, g, x, s):
    return g.add(x, s.param("bias", _broadcast(_a(m.bias), s.xin)))


@declare("nn.Add")
def add(m, g, x, s):
    b = _a(m.bias)
    return g.add(x, s.param("bias", b.reshape(()) if m.scalar else _broadcast(b, s.xin)))


@declare("nn.Mul")
def mul(m, g, x, s):
    return g.mul(x, s.param("weight", _a(m.weight).reshape(())))


@declare("nn.Euclidean", "nn.WeightedEuclidean")
def euclidean(m, g, x, s):
    """y_j = || x - w_j || (times diagCov elementwise for WeightedEuclidean), w_j a column."""
    d = g.sub(g.unsqueeze(x, s.xin.dim()), s.param("weight"))
    if m.typename == "nn.WeightedEuclidean":
        d = g.mul(d, s.param("diagCov"))
    return g.unary("sqrt", g.reduce("sum", g.mul(d, d), [s.xin.dim() - 1], False))


@declare("nn.Cosine")
def cosine(m, g, x, s):
    eps = 1e-12
    y = g.matmul(x, g.permute(s.param("weight"), (1, 0)))
    xn = g.add(g.unary("sqrt", g.reduce("sum", g.mul(x, x), [s.xin.dim() - 1], True)), eps)
    wnorm = g.add(g.unary("sqrt", g.reduce("sum", g.mul(s.param("weight"), s.param("weight")), [1], False)), eps)
    return g.div(g.div(y, wnorm), xn)


@declare("nn.Bilinear")
def bilinear(m, g, x, s):
    """out_k = x1 W_k x2 (+ b_k), batched over rows."""
    x1, x2 = x
    t = g.matmul(g.unsqueeze(g.unsqueeze(x1, 1), 1), s.param("weight"))   # N11i @ kij -> Nk1j
    y = g.reduce("sum", g.mul(g.squeeze(t, 2), g.unsqueeze(x2, 1)), [2], False)
    b = m.__dict__.get("bias")
    return y if b is None else g.add(y, s.param("bias"))


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


@declare("nn.PartialLinear")
def partial_linear(m, g, x, s):
    """A Linear over the partition's output columns (the LookupTable rows are the weight rows)."""
    cols = m._cols()
    b = m.__dict__.get("bias")
    return g.linear(s.path, x, _a(m._lookup().weight)[cols], None if b is None else _a(b).reshape(-1)[cols])


@declare("nn.UpSampling")
def upsampling(m, g, x, s):
    # nearest: each element repeated scale_factor times; linear: corners aligned
    return g.resize(x, s.xout.size()[2:], "nearest" if m.mode == "nearest" else "bilinear")


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
