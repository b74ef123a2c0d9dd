"""Convolution / pooling / normalisation: each Cython kernel against a small numpy reference,
finite-difference Jacobians (input and parameters) for every module, PyTorch CPU as an extra
oracle on random data, and bad input raising our error naming the module."""
import numpy as np
import pytest

import pytorch_lite as lt
from pytorch_lite import nn
from pytorch_lite import _nn_conv, _nn_pool, _nn_norm
from pytorch_lite.errors import TorchError

rng = np.random.RandomState(1234)


def T(a):
    return lt.from_numpy(np.ascontiguousarray(a))


# ------------------------------------------------------------------ numpy references of the kernels

def ref_im2col(x, kH, kW, padH, padW, dH, dW, dilH, dilW):
    N, C, H, W = x.shape
    oH = (H + 2 * padH - (dilH * (kH - 1) + 1)) // dH + 1
    oW = (W + 2 * padW - (dilW * (kW - 1) + 1)) // dW + 1
    xp = np.pad(x, ((0, 0), (0, 0), (padH, padH), (padW, padW)))
    col = np.zeros((C, kH, kW, N, oH, oW), x.dtype)
    for i in range(kH):
        for j in range(kW):
            col[:, i, j] = xp[:, :, i * dilH:i * dilH + dH * (oH - 1) + 1:dH,
                              j * dilW:j * dilW + dW * (oW - 1) + 1:dW].transpose(1, 0, 2, 3)
    return col.reshape(C * kH * kW, N, oH * oW)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("geom", [(3, 3, 1, 1, 1, 1, 1, 1), (2, 3, 0, 2, 2, 1, 1, 1), (3, 3, 2, 2, 1, 1, 2, 2),
                                  (1, 1, 0, 0, 2, 2, 1, 1)])
def test_im2col_col2im_against_numpy(dtype, geom):
    x = rng.standard_normal((2, 3, 7, 6)).astype(dtype)
    ref = ref_im2col(x, *geom)
    col = np.empty_like(ref)
    _nn_conv.im2col(x, col, *geom)
    assert np.array_equal(col, ref)
    # col2im is im2col's adjoint: <im2col(x), c> == <x, col2im(c)>
    c = rng.standard_normal(ref.shape).astype(dtype)
    back = np.empty_like(x)
    _nn_conv.col2im(c, back, *geom)
    assert np.isclose((ref * c).sum(), (x * back).sum(), rtol=1e-4 if dtype == np.float32 else 1e-12)


def test_vol2col_against_numpy():
    x = rng.standard_normal((2, 2, 4, 5, 5))
    kT, kH, kW, p, d = 2, 3, 3, 1, 2
    col = np.empty((2 * kT * kH * kW, 2, 3 * 3 * 3))
    _nn_conv.vol2col(x, col, kT, kH, kW, p, p, p, d, d, d)
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p), (p, p)))
    ref = np.zeros((2, kT, kH, kW, 2, 3, 3, 3))
    for a in range(kT):
        for i in range(kH):
            for j in range(kW):
                ref[:, a, i, j] = xp[:, :, a:a + 5:d, i:i + 5:d, j:j + 5:d].transpose(1, 0, 2, 3, 4)
    assert np.array_equal(col, ref.reshape(col.shape))


def ref_maxpool(x, k, d, pad, ceil):
    P, H, W = x.shape
    def osz(n):
        o = (int(np.ceil((n + 2 * pad - k) / d)) if ceil else (n + 2 * pad - k) // d) + 1
        return o - 1 if pad and (o - 1) * d >= n + pad else o
    oH, oW = osz(H), osz(W)
    y = np.empty((P, oH, oW)); ind = np.empty((P, oH, oW), np.int64)
    for oh in range(oH):
        for ow in range(oW):
            h0, w0 = oh * d - pad, ow * d - pad
            hs, ws = max(h0, 0), max(w0, 0)
            win = x[:, hs:min(h0 + k, H), ws:min(w0 + k, W)]
            flat = win.reshape(P, -1)
            a = flat.argmax(1)
            y[:, oh, ow] = flat.max(1)
            ind[:, oh, ow] = (hs + a // win.shape[2]) * W + ws + a % win.shape[2]
    return y, ind


@pytest.mark.parametrize("k,d,pad,ceil", [(2, 2, 0, False), (2, 2, 0, True), (3, 2, 1, False), (3, 1, 1, True)])
def test_spatial_max_pool_kernel(k, d, pad, ceil):
    x = rng.standard_normal((4, 7, 6))
    y_ref, i_ref = ref_maxpool(x, k, d, pad, ceil)
    y = np.empty_like(y_ref); ind = np.empty_like(i_ref)
    _nn_pool.spatial_max_pool_forward(x, y, ind, k, k, d, d, pad, pad, 1, 1)
    assert np.array_equal(y, y_ref) and np.array_equal(ind, i_ref)
    g = rng.standard_normal(y.shape)
    gi = np.empty_like(x)
    _nn_pool.spatial_max_pool_backward(g, gi, ind)
    ref = np.zeros_like(x).reshape(4, -1)
    for p in range(4):
        np.add.at(ref[p], ind[p].ravel(), g[p].ravel())
    assert np.allclose(gi.reshape(4, -1), ref, rtol=0, atol=1e-15)


def test_avg_pool_kernel_against_numpy():
    x = rng.standard_normal((3, 5, 6))
    for inc in (True, False):
        y = np.empty((3, 3, 3))
        _nn_pool.spatial_avg_pool_forward(x, y, 3, 3, 2, 2, 1, 1, inc)
        xp = np.pad(x, ((0, 0), (1, 1), (1, 1)))
        ones = np.pad(np.ones((5, 6)), 1)
        for oh in range(3):
            for ow in range(3):
                s = xp[:, 2 * oh:2 * oh + 3, 2 * ow:2 * ow + 3].sum(axis=(1, 2))
                n = 9 if inc else ones[2 * oh:2 * oh + 3, 2 * ow:2 * ow + 3].sum()
                assert np.allclose(y[:, oh, ow], s / n, rtol=1e-14)


def test_adaptive_and_bilinear_and_padding_kernels():
    x = rng.standard_normal((2, 7, 5))
    y = np.empty((2, 2, 3)); ind = np.empty((2, 2, 2, 3), np.int64)
    _nn_pool.adaptive_max_pool_forward(x, y, ind)
    ya = np.empty((2, 2, 3))
    _nn_pool.adaptive_avg_pool_forward(x, ya)
    for oh in range(2):
        hs, he = int(np.floor(oh * 7 / 2)), int(np.ceil((oh + 1) * 7 / 2))
        for ow in range(3):
            ws, we = int(np.floor(ow * 5 / 3)), int(np.ceil((ow + 1) * 5 / 3))
            win = x[:, hs:he, ws:we]
            assert np.array_equal(y[:, oh, ow], win.max(axis=(1, 2)))
            assert np.allclose(ya[:, oh, ow], win.mean(axis=(1, 2)), rtol=1e-14)
    # bilinear with aligned corners keeps the corners and is linear along rows
    xb = rng.standard_normal((1, 3, 4))
    yb = np.empty((1, 5, 7))
    _nn_pool.upsample_bilinear_forward(xb, yb)
    assert np.allclose(yb[0, ::2, ::2], xb[0], atol=1e-6)
    # reflection / replication padding against numpy.pad
    xp = rng.standard_normal((2, 3, 4))
    for reflect, mode in ((True, "reflect"), (False, "edge")):
        out = np.empty((2, 3 + 2 + 0, 4 + 1 + 2))
        _nn_pool.pad2d_forward(xp, out, 1, 2, reflect)
        assert np.array_equal(out, np.pad(xp, ((0, 0), (2, 0), (1, 2)), mode=mode))


def test_batchnorm_kernel_against_numpy():
    x = rng.standard_normal((4, 3, 5))
    w, b = rng.rand(3), rng.standard_normal(3)
    rm, rv = np.zeros(3), np.ones(3)
    sm, ss = np.empty(3), np.empty(3)
    y = np.empty_like(x)
    _nn_norm.batchnorm_forward(x, y, w, b, rm, rv, sm, ss, True, 0.1, 1e-5)
    mean = x.mean(axis=(0, 2)); var = x.var(axis=(0, 2))
    ref = (x - mean[None, :, None]) / np.sqrt(var + 1e-5)[None, :, None] * w[None, :, None] + b[None, :, None]
    assert np.allclose(y, ref, rtol=1e-12, atol=1e-13)
    assert np.allclose(rm, 0.1 * mean) and np.allclose(rv, 0.9 + 0.1 * x.var(axis=(0, 2), ddof=1))


# ------------------------------------------------------------------ Jacobians of every module

def jacobian_check(m, x, eps=1e-6, tol=1e-5):
    """Compare backward() against central differences for the input and each parameter."""
    m.forward(x)
    out = m.output.clone()
    params, grads = m.parameters()
    go = T(rng.standard_normal(out._size))
    m.zeroGradParameters()
    gi = m.backward(x, go).clone()
    gparams = [g.clone() for g in grads]

    def loss():
        return float((m.forward(x)._a * go._a).sum())

    for t, analytic in [(x, gi)] + list(zip(params, gparams)):
        a = t._a
        num = np.empty(a.shape)
        for idx in np.ndindex(a.shape):
            v = a[idx]
            a[idx] = v + eps
            lp = loss()
            a[idx] = v - eps
            lm = loss()
            a[idx] = v
            num[idx] = (lp - lm) / (2 * eps)
        err = np.abs(num - analytic._a.reshape(num.shape)).max()
        assert err <= tol * max(1.0, np.abs(num).max()), (str(m), err)


MODULES = [
    (lambda: nn.SpatialConvolution(2, 3, 3, 2, 2, 1, 1, 0), (2, 2, 5, 6)),
    (lambda: nn.SpatialConvolution(2, 2, 2, 2).noBias(), (2, 4, 4)),
    (lambda: nn.SpatialConvolutionMM(2, 3, 2, 3, 2, 1, 0, 1), (2, 5, 6)),
    (lambda: nn.SpatialFullConvolution(2, 2, 3, 3, 2, 2, 1, 1, 1, 1), (2, 2, 3, 3)),
    (lambda: nn.SpatialDilatedConvolution(2, 2, 3, 3, 1, 1, 2, 2, 2, 2), (1, 2, 5, 5)),
    (lambda: nn.VolumetricConvolution(2, 2, 2, 2, 2, 1, 1, 1, 1, 0, 1), (2, 3, 3, 3)),
    (lambda: nn.TemporalConvolution(3, 2, 3, 2), (2, 7, 3)),
    (lambda: nn.SpatialMaxPooling(3, 3, 2, 2, 1, 1).ceil(), (2, 2, 6, 5)),
    (lambda: nn.SpatialAveragePooling(3, 2, 2, 2, 1, 0).ceil().setCountExcludePad(), (2, 5, 6)),
    (lambda: nn.SpatialAveragePooling(3, 3, 2, 2, 1, 1), (2, 2, 5, 5)),
    (lambda: nn.TemporalMaxPooling(2, 1), (2, 5, 3)),
    (lambda: nn.VolumetricMaxPooling(2, 2, 2, 1, 1, 1), (2, 3, 3, 3)),
    (lambda: nn.SpatialAdaptiveMaxPooling(3, 2), (2, 7, 5)),
    (lambda: nn.SpatialAdaptiveAveragePooling(3, 2), (2, 2, 7, 5)),
    (lambda: nn.SpatialLPPooling(2, 2, 2, 2), (2, 4, 4)),
    (lambda: nn.SpatialUpSamplingNearest(2), (2, 2, 3, 2)),
    (lambda: nn.SpatialUpSamplingBilinear(2), (1, 2, 3, 4)),
    (lambda: nn.SpatialUpSamplingBilinear({"oheight": 5, "owidth": 4}), (1, 3, 3)),
    (lambda: nn.SpatialZeroPadding(-1, 1, 1, -2), (1, 5, 4)),
    (lambda: nn.SpatialReflectionPadding(1, 2, 2, 0), (1, 2, 3, 4)),
    (lambda: nn.SpatialReplicationPadding(2, 1, 0, 1), (2, 3, 3)),
    (lambda: nn.SpatialCrossMapLRN(3, 0.5, 0.75, 1), (2, 4, 3, 3)),
    (lambda: nn.SpatialSubtractiveNormalization(2, lt.Tensor(3).fill(1)), (2, 5, 5)),
    (lambda: nn.SpatialSubtractiveNormalization(1, lt.Tensor(3, 3).fill(1)), (2, 1, 4, 4)),
    (lambda: nn.BatchNormalization(3), (4, 3)),
    (lambda: nn.BatchNormalization(3, 1e-5, 0.1, False), (4, 3)),
    (lambda: nn.SpatialBatchNormalization(2), (2, 2, 3, 3)),
    (lambda: nn.VolumetricBatchNormalization(2), (2, 2, 2, 2, 2)),
]


@pytest.mark.parametrize("make,shape", MODULES, ids=[str(i) for i in range(len(MODULES))])
def test_jacobian(make, shape):
    m = make()
    x = T(rng.standard_normal(shape))
    if isinstance(m, nn.BatchNormalization):
        # training mode changes the running stats at each forward; they do not enter the output
        jacobian_check(m, x)
        m.evaluate()
        m.running_var._a[...] = rng.rand(*m.running_var._a.shape) + 0.5
        jacobian_check(m, x)
    else:
        jacobian_check(m, x)
        m.evaluate()
        jacobian_check(m, x)


def test_spatial_dropout_masks_whole_maps():
    m = nn.SpatialDropout(0.5)
    x = T(rng.standard_normal((3, 8, 4, 4)) + 10)
    y = m.forward(x)._a
    kept = (y != 0).all(axis=(2, 3))
    dropped = (y == 0).all(axis=(2, 3))
    assert (kept | dropped).all() and kept.any() and dropped.any()
    gi = m.backward(x, T(np.ones((3, 8, 4, 4))))._a
    assert np.array_equal(gi != 0, y != 0)
    m.evaluate()
    assert np.allclose(m.forward(x)._a, x._a * 0.5)
    with pytest.raises(TorchError):
        m.backward(x, T(np.ones((3, 8, 4, 4))))


# ------------------------------------------------------------------ PyTorch as an oracle

torch = pytest.importorskip("torch")
F = torch.nn.functional


def _torch_grads(fn, x, go, *params):
    X = torch.tensor(x, requires_grad=True)
    P = [torch.tensor(p, requires_grad=True) for p in params]
    Y = fn(X, *P)
    Y.backward(torch.tensor(go))
    return Y.detach().numpy(), X.grad.numpy(), [p.grad.numpy() for p in P]


def _ours(m, x, go):
    m.zeroGradParameters()
    y = m.forward(T(x))._a.copy()
    gi = m.backward(T(x), T(go))._a.copy()
    return y, gi, [g._a.copy() for g in m.parameters()[1]]


def _agree(a, b, tol):
    ya, ga, pa = a
    yb, gb, pb = b
    assert np.allclose(ya, yb, rtol=tol, atol=tol)
    assert np.allclose(ga, gb, rtol=tol, atol=tol)
    for p, q in zip(pa, pb):
        assert np.allclose(p, q.reshape(p.shape), rtol=tol, atol=tol)


@pytest.mark.parametrize("dtype,tol", [(np.float64, 1e-10), (np.float32, 1e-4)])
def test_conv_family_against_pytorch(dtype, tol):
    x = rng.standard_normal((3, 4, 9, 8)).astype(dtype)
    for m, fn in [
        (nn.SpatialConvolution(4, 5, 3, 2, 2, 1, 1, 2), lambda X, W, B: F.conv2d(X, W, B, (1, 2), (2, 1))),
        (nn.SpatialDilatedConvolution(4, 3, 3, 3, 1, 2, 1, 0, 2, 1),
         lambda X, W, B: F.conv2d(X, W, B, (2, 1), (0, 1), (1, 2))),
        (nn.SpatialFullConvolution(4, 3, 3, 3, 2, 2, 1, 1, 1, 0),
         lambda X, W, B: F.conv_transpose2d(X, W, B, 2, 1, (0, 1))),
    ]:
        m = m.float() if dtype == np.float32 else m
        out = m.forward(T(x))
        go = rng.standard_normal(out._size).astype(dtype)
        params = [p._a.copy() for p in m.parameters()[0]]
        _agree(_ours(m, x, go), _torch_grads(fn, x, go, *params), tol)
    xv = rng.standard_normal((2, 2, 5, 6, 6)).astype(dtype)
    m = nn.VolumetricConvolution(2, 3, 2, 3, 3, 1, 2, 2, 1, 1, 0)
    m = m.float() if dtype == np.float32 else m
    go = rng.standard_normal(m.forward(T(xv))._size).astype(dtype)
    _agree(_ours(m, xv, go), _torch_grads(lambda X, W, B: F.conv3d(X, W, B, (1, 2, 2), (1, 0, 1)), xv, go,
                                          *[p._a.copy() for p in m.parameters()[0]]), tol)


def test_pool_and_norm_family_against_pytorch():
    x = rng.standard_normal((3, 4, 9, 8))
    cases = [
        (nn.SpatialMaxPooling(3, 3, 2, 2, 1, 1).ceil(), lambda X: F.max_pool2d(X, 3, 2, 1, ceil_mode=True)),
        (nn.SpatialAveragePooling(3, 3, 2, 2, 1, 1), lambda X: F.avg_pool2d(X, 3, 2, 1)),
        (nn.SpatialAveragePooling(3, 3, 2, 2, 1, 1).setCountExcludePad().ceil(),
         lambda X: F.avg_pool2d(X, 3, 2, 1, ceil_mode=True, count_include_pad=False)),
        (nn.SpatialAdaptiveMaxPooling(3, 4), lambda X: F.adaptive_max_pool2d(X, (4, 3))),
        (nn.SpatialAdaptiveAveragePooling(5, 2), lambda X: F.adaptive_avg_pool2d(X, (2, 5))),
        (nn.SpatialUpSamplingNearest(3), lambda X: F.interpolate(X, scale_factor=3, mode="nearest")),
        (nn.SpatialReflectionPadding(2, 1, 3, 0), lambda X: F.pad(X, (2, 1, 3, 0), mode="reflect")),
        (nn.SpatialReplicationPadding(2, 1, 3, 0), lambda X: F.pad(X, (2, 1, 3, 0), mode="replicate")),
        (nn.SpatialCrossMapLRN(3, 0.5, 0.75, 1), lambda X: F.local_response_norm(X, 3, 0.5, 0.75, 1)),
    ]
    for m, fn in cases:
        go = rng.standard_normal(m.forward(T(x))._size)
        _agree(_ours(m, x, go), _torch_grads(fn, x, go), 1e-10)
    m = nn.SpatialBatchNormalization(4)
    go = rng.standard_normal(x.shape)
    w, b = m.weight._a.copy(), m.bias._a.copy()
    ours = _ours(m, x, go)
    theirs = _torch_grads(lambda X, W, B: F.batch_norm(X, torch.zeros(4, dtype=torch.float64),
                                                       torch.ones(4, dtype=torch.float64), W, B, True, 0.1, 1e-5),
                          x, go, w, b)
    _agree(ours, theirs, 1e-10)
    xt = rng.standard_normal((2, 9, 4))
    m = nn.TemporalMaxPooling(3, 2)
    go = rng.standard_normal(m.forward(T(xt))._size)
    _agree(_ours(m, xt, go), _torch_grads(lambda X: F.max_pool1d(X.transpose(1, 2), 3, 2).transpose(1, 2), xt, go),
           1e-12)


# ------------------------------------------------------------------ bad input

@pytest.mark.parametrize("m,shape", [
    (nn.SpatialConvolution(3, 4, 3, 3), (2, 5, 5)),        # wrong plane count
    (nn.SpatialConvolution(3, 4, 3, 3), (3, 2, 2)),        # smaller than the kernel
    (nn.SpatialConvolution(3, 4, 3, 3), (5, 5)),           # wrong dims
    (nn.SpatialFullConvolution(3, 4, 3, 3), (2, 5, 5)),
    (nn.VolumetricConvolution(2, 3, 2, 2, 2), (2, 1, 5, 5)),
    (nn.TemporalConvolution(4, 3, 3), (2, 5)),
    (nn.SpatialMaxPooling(2, 2), (5,)),
    (nn.SpatialMaxPooling(3, 3), (1, 2, 2)),
    (nn.SpatialAveragePooling(2, 2, 2, 2, 2, 2), (1, 5, 5)),  # padding over half the kernel
    (nn.TemporalMaxPooling(4), (3, 2)),
    (nn.VolumetricMaxPooling(2, 2, 2), (2, 2, 2)),
    (nn.SpatialReflectionPadding(3), (1, 2, 2)),
    (nn.SpatialZeroPadding(-3), (1, 4, 4)),
    (nn.BatchNormalization(3), (4, 5)),
    (nn.BatchNormalization(3), (3,)),
    (nn.SpatialBatchNormalization(3), (3, 4, 4)),
])
def test_bad_input_raises_naming_module(m, shape):
    with pytest.raises(TorchError) as e:
        m.forward(T(rng.standard_normal(shape)))
    assert m.typename in str(e.value)


def test_bad_gradOutput_and_type():
    m = nn.SpatialConvolution(2, 3, 3, 3)
    x = T(rng.standard_normal((2, 5, 5)))
    m.forward(x)
    with pytest.raises(TorchError) as e:
        m.backward(x, T(rng.standard_normal((3, 4, 4))))
    assert "nn.SpatialConvolution" in str(e.value) and "3x3x3" in str(e.value)
    with pytest.raises(TorchError):
        m.forward(lt.FloatTensor(2, 5, 5).fill(1))  # a double module fed a float input
    with pytest.raises(TorchError):
        nn.SpatialMaxPooling(2, 2).forward(lt.LongTensor(1, 4, 4).fill(1))


def test_type_and_clear_state_keep_working():
    m = nn.SpatialConvolution(2, 3, 3, 3, 1, 1, 1, 1)
    x = rng.standard_normal((2, 2, 5, 5))
    y = m.forward(T(x))._a.copy()
    m.float()
    assert m.finput.nElement() == 0
    yf = m.forward(T(x.astype(np.float32)))._a
    assert np.allclose(yf, y, atol=1e-5)
    m.clearState()
    assert m.output.nElement() == 0 and m.finput.nElement() == 0
    m.double()
    assert np.allclose(m.forward(T(x))._a, y, atol=1e-5)
