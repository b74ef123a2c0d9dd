"""The speed paths of the nn kernels (bench/bench_nn.py): batched convolution with per-image
GEMMs of numpy's OpenBLAS, the row/column-split GEMM used by Linear, the 2x2 max pooling and the
Threshold kernels, each against the general path or a reference, with PyTorch CPU as an oracle."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F

import pytorch_lite as lt
from pytorch_lite import nn
from pytorch_lite import _nn, _nn_conv, _nn_norm, _nn_pool

rng = np.random.RandomState(4321)


def T(a):
    return lt.from_numpy(np.ascontiguousarray(a))


def _torch_grads(fn, x, go, *params):
    X = torch.tensor(x, requires_grad=True)
    P = [torch.tensor(p, requires_grad=True) for p in params]
    Y = fn(X, *P)
    Y.backward(torch.tensor(go))
    return [Y.detach().numpy(), X.grad.numpy()] + [p.grad.numpy() for p in P]


def _ours(m, x, go, scale=1):
    m.zeroGradParameters()
    y = m.forward(T(x))._a.copy()
    gi = m.backward(T(x), T(go), scale)._a.copy()
    return [y, gi] + [g._a.copy() for g in m.parameters()[1]]


@pytest.mark.parametrize("dtype,tol", [(np.float64, 1e-10), (np.float32, 1e-4)])
@pytest.mark.parametrize("geom", [(3, 3, 1, 1, 1, 1), (3, 2, 2, 1, 0, 1), (1, 1, 1, 1, 0, 0)])
def test_batched_convolution_against_pytorch(dtype, tol, geom):
    kW, kH, dW, dH, padW, padH = geom
    x = rng.standard_normal((9, 3, 11, 10)).astype(dtype)  # a batch large enough for the batched path
    m = nn.SpatialConvolution(3, 5, kW, kH, dW, dH, padW, padH)
    m = m.float() if dtype == np.float32 else m.double()
    go = rng.standard_normal(m.forward(T(x))._size).astype(dtype)
    ours = _ours(m, x, go, 0.5)
    theirs = _torch_grads(lambda X, W, B: F.conv2d(X, W, B, (dH, dW), (padH, padW)), x, go,
                          m.weight._a.copy(), m.bias._a.copy())
    theirs[2:] = [0.5 * t for t in theirs[2:]]
    for a, b in zip(ours, theirs):
        assert np.allclose(a, b.reshape(a.shape), rtol=tol, atol=tol)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_batched_convolution_kernels_equal_general_path(dtype):
    # the batched path runs the same per-image GEMMs as numpy's stacked matmul: equal bits
    N, C, H, W, O = 6, 4, 7, 9, 5
    x = rng.standard_normal((N, C, H, W)).astype(dtype)
    w = rng.standard_normal((O, C * 9)).astype(dtype)
    b = rng.standard_normal(O).astype(dtype)
    geom = (3, 3, 1, 2, 2, 1, 1, 1)
    oH, oW = (H + 2 - 3) // 2 + 1, (W + 4 - 3) // 1 + 1
    cols, cols2 = np.empty((2, C * 9, N, oH * oW), dtype)
    y, y2 = np.empty((2, N, O, oH * oW), dtype)
    if not _nn_conv.fused_ok(N):
        pytest.skip("numpy's OpenBLAS is not reachable from C here")
    _nn_conv.fused_conv_forward(x, y, w, b, cols, *geom)
    _nn_conv.im2col(x, cols2, *geom)
    _nn_conv._gemm_out(w, cols2, y2, b)
    assert np.array_equal(cols, cols2) and np.array_equal(y, y2)
    g = rng.standard_normal(y.shape).astype(dtype)
    gi, gi2 = np.empty((2,) + x.shape, dtype)
    _nn_conv.fused_conv_grad_input(g, gi, w, cols, *geom)
    _nn_conv._gemm_cols(w, g, cols2)
    _nn_conv.col2im(cols2, gi2, *geom)
    assert np.array_equal(gi, gi2)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_split_gemm_against_numpy(dtype):
    for M, N, K in [(128, 300, 200), (300, 128, 200), (3, 5, 7), (1, 4, 3), (64, 64, 0)]:
        for ta in (False, True):
            for tb in (False, True):
                a = rng.standard_normal((K, M) if ta else (M, K)).astype(dtype)
                b = rng.standard_normal((N, K) if tb else (K, N)).astype(dtype)
                c0 = rng.standard_normal((M, N)).astype(dtype)
                c = c0.copy()
                done = _nn_conv.gemm(a, b, c, ta, tb, 0.5, 1.0)
                if not done:
                    pytest.skip("numpy's OpenBLAS is not reachable from C here")
                ref = 0.5 * ((a.T if ta else a).astype(np.float64) @ (b.T if tb else b)) + c0
                assert np.allclose(c, ref, rtol=1e-4, atol=1e-4 * max(1, np.abs(ref).max(initial=0)))
    a = rng.standard_normal((6, 4))
    assert not _nn_conv.gemm(a.T, a, np.empty((4, 4)))  # not contiguous: the caller's numpy path
    assert not _nn_conv.gemm(a, a.T.copy().astype(np.float32), np.empty((6, 6)))  # mixed types


def test_linear_batch_against_pytorch():
    x = rng.standard_normal((130, 70))
    m = nn.Linear(70, 300).double()
    go = rng.standard_normal((130, 300))
    ours = _ours(m, x, go, 0.25)
    theirs = _torch_grads(lambda X, W, B: F.linear(X, W, B), x, go, m.weight._a.copy(), m.bias._a.copy())
    theirs[2:] = [0.25 * t for t in theirs[2:]]
    for a, b in zip(ours, theirs):
        assert np.allclose(a, b, rtol=1e-10, atol=1e-10)


def _th_max_pool_2x2(x):
    P, H, W = x.shape
    y = np.empty((P, H // 2, W // 2), x.dtype)
    ind = np.empty(y.shape, np.int64)
    for p in range(P):
        for oh in range(H // 2):
            for ow in range(W // 2):
                m, best = -np.inf, -1
                for ih in (2 * oh, 2 * oh + 1):
                    for iw in (2 * ow, 2 * ow + 1):
                        v = x[p, ih, iw]
                        if v > m or np.isnan(v):
                            m, best = v, ih * W + iw
                y[p, oh, ow], ind[p, oh, ow] = m, best
    return y, ind


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_max_pool_2x2_keeps_th_rule(dtype):
    # NaNs (the last one wins), -inf windows (index -1), ties and signed zeros (the first wins)
    vals = np.array([np.nan, -np.inf, np.inf, 0.0, -0.0, 1.0, -1.0, 2.0])
    x = vals[rng.randint(0, len(vals), (200, 6, 8))].astype(dtype)
    y, ind = np.empty((2, 200, 3, 4), dtype), np.empty((200, 3, 4), np.int64)
    _nn_pool.spatial_max_pool_forward(x, y[0], ind, 2, 2, 2, 2, 0, 0, 1, 1)
    ry, rind = _th_max_pool_2x2(x)
    assert np.array_equal(ind, rind)
    assert np.array_equal(np.signbit(y[0]), np.signbit(ry)) and np.array_equal(y[0], ry, equal_nan=True)
    g = rng.standard_normal(ry.shape).astype(dtype)
    gi = np.empty_like(x)
    _nn_pool.spatial_max_pool_backward(g, gi, ind)
    ref = np.zeros((200, 48), dtype)
    for p in range(200):
        for k, v in zip(rind[p].ravel(), g[p].ravel()):
            if k >= 0:
                ref[p, k] += v
    assert np.array_equal(gi.reshape(200, -1), ref)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_max_pool_2x2_rows_with_and_without_nans(dtype):
    # whole output rows run branch-free unless they hold a NaN or an all -inf window: mostly
    # clean rows (ties from small integers, signed zeros) with a few NaNs and -infs among them
    x = rng.randint(-2, 3, (60, 8, 10)).astype(dtype)
    x[rng.rand(*x.shape) < 0.05] = -0.0
    x[3, 0, 5], x[7, 5, 2], x[9, 2:4, 4:6] = np.nan, -np.inf, -np.inf
    x[11, 6:8, 0:2] = np.nan
    x[20] = rng.standard_normal((8, 10))
    y, ind = np.empty((60, 4, 5), dtype), np.empty((60, 4, 5), np.int64)
    _nn_pool.spatial_max_pool_forward(x, y, ind, 2, 2, 2, 2, 0, 0, 1, 1)
    ry, rind = _th_max_pool_2x2(x)
    assert np.array_equal(ind, rind) and ind[9, 1, 2] == -1
    assert np.array_equal(np.signbit(y), np.signbit(ry)) and np.array_equal(y, ry, equal_nan=True)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_threshold_kernels(dtype):
    x = rng.standard_normal(70001).astype(dtype)  # above the parallel threshold
    x[::7] = np.nan
    x[::11] = 0.5
    g = rng.standard_normal(x.shape).astype(dtype)
    y = np.empty_like(x)
    _nn.threshold_forward(x, y, 0.5, -2.0)
    assert np.array_equal(y, np.where(x > dtype(0.5), x, dtype(-2.0)), equal_nan=True)
    gi = np.empty_like(x)
    _nn.threshold_backward(x, g, gi, 0.5)
    assert np.array_equal(gi, np.where(x > dtype(0.5), g, 0))
    m = nn.Threshold(0.5, -1, True)
    m = m.float() if dtype == np.float32 else m
    xt = T(x[:100].reshape(10, 10)[:, ::2])  # not contiguous: the numpy path
    ref = np.where(xt._a > 0.5, xt._a, -1)
    assert np.array_equal(m.forward(xt)._a, ref)


def test_gemm_threads_by_size():
    # threads by the work (multiply-adds), PyTorch's grain-size rule: small products stay on the
    # calling thread (an LSTM step's 16x128 by 128x512), the MLP's 128x784 by 784x1024 is split
    g = _nn_conv.GEMM_GRAIN
    assert _nn_conv.gemm_threads(16, 512, 128, 2) == 1
    assert _nn_conv.gemm_threads(1, 1, 2 * g - 1, 8) == 1
    assert _nn_conv.gemm_threads(1, 1, 2 * g, 8) == 2
    assert _nn_conv.gemm_threads(1, 1, 5 * g, 8) == 5
    assert _nn_conv.gemm_threads(1, 1, 50 * g, 8) == 8
    assert _nn_conv.gemm_threads(128, 1024, 784, 2) == 2


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_split_gemm_equals_one_thread(dtype, monkeypatch):
    # the split path (forced by a grain of 1) and the single call give the same bits: each element
    # of c is one thread's dot product over the same K blocks either way
    if not _nn_conv.HAVE_CBLAS:
        pytest.skip("numpy's OpenBLAS is not reachable from C here")
    for M, N, K, ta, tb in [(37, 129, 65, False, True), (130, 20, 70, True, False), (16, 512, 128, False, True)]:
        a = rng.standard_normal((K, M) if ta else (M, K)).astype(dtype)
        b = rng.standard_normal((N, K) if tb else (K, N)).astype(dtype)
        c0 = rng.standard_normal((M, N)).astype(dtype)
        one, split = c0.copy(), c0.copy()
        assert _nn_conv.gemm(a, b, one, ta, tb, 0.5, 1.0)
        monkeypatch.setattr(_nn_conv, "GEMM_GRAIN", 1)
        assert _nn_conv.gemm(a, b, split, ta, tb, 0.5, 1.0)
        monkeypatch.undo()
        assert np.array_equal(one, split)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_swapped_gemm_equals_direct(dtype, monkeypatch):
    # a @ b.T with few rows runs as (b @ a.T).T: the same bits as the direct call
    if not _nn_conv.HAVE_CBLAS:
        pytest.skip("numpy's OpenBLAS is not reachable from C here")
    for M, N, K, alpha, beta in [(16, 512, 128, 1, 1), (16, 512, 65, 1, 0), (50, 512, 128, 0.5, 1),
                                 (16, 65, 128, 1, 1), (3, 700, 33, -2, 0.25), (128, 1024, 784, 1, 1)]:
        a = rng.standard_normal((M, K)).astype(dtype)
        b = rng.standard_normal((N, K)).astype(dtype)
        c0 = rng.standard_normal((M, N)).astype(dtype)
        swapped, direct = c0.copy(), c0.copy()
        assert M * N * K >= _nn_conv.SWAP_MIN_WORK
        assert _nn_conv.gemm(a, b, swapped, False, True, alpha, beta)
        monkeypatch.setattr(_nn_conv, "SWAP_MIN_WORK", 1 << 62)
        assert _nn_conv.gemm(a, b, direct, False, True, alpha, beta)
        monkeypatch.undo()
        assert np.array_equal(swapped, direct)
        ref = alpha * (a.astype(np.float64) @ b.T.astype(np.float64)) + beta * c0
        assert np.allclose(swapped, ref, rtol=1e-4, atol=1e-3)


@pytest.mark.parametrize("dtype", ["torch.DoubleTensor", "torch.FloatTensor"])
def test_linear_reuses_its_output_buffer(dtype):
    # a second forward of the same batch size writes into the same array, bit-equal to a fresh
    # module's; an output of the right size but not contiguous (TH's resize keeps it) still works
    lt.manualSeed(7)
    m = nn.Linear(9, 20).type(dtype)
    x1, x2 = lt.TENSOR_TYPES[dtype](5, 9).uniform(-1, 1), lt.TENSOR_TYPES[dtype](5, 9).uniform(-1, 1)
    m.forward(x1)
    arr = m.output._a
    y2 = m.forward(x2)._a
    fresh = nn.Linear(9, 20).type(dtype)
    fresh.weight.copy(m.weight)
    fresh.bias.copy(m.bias)
    assert m.output._a is arr and np.array_equal(y2, fresh.forward(x2)._a)
    m.output = lt.TENSOR_TYPES[dtype](20, 5).t()
    y = m.forward(x2)._a
    ref = x2._a.astype(np.float64) @ m.weight._a.T.astype(np.float64) + m.bias._a
    assert np.allclose(y, ref, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_mm_through_gemm_equals_numpy_matmul(dtype):
    # torch.mm / addmm's product through _nn_conv.mm: the bits of numpy's matmul on one OpenBLAS
    # thread (numpy's own bits change with its thread count for a long K), transposed views too
    if not _nn_conv.HAVE_CBLAS:
        pytest.skip("numpy's OpenBLAS is not reachable from C here")
    for M, K, N in [(16, 128, 512), (16, 65, 512), (3, 5, 7), (2, 9, 2), (200, 300, 70), (16, 2000, 512),
                    (7, 10000, 3), (5, 0, 4)]:
        for ta in (False, True):
            for tb in (False, True):
                a = rng.standard_normal((K, M) if ta else (M, K)).astype(dtype)
                b = rng.standard_normal((N, K) if tb else (K, N)).astype(dtype)
                a, b = (a.T if ta else a), (b.T if tb else b)
                c = np.full((M, N), np.nan, dtype)
                assert _nn_conv.mm(a, b, c)
                with _nn_conv._OneThreadBLAS():
                    assert np.array_equal(c, np.matmul(a, b))
    big = rng.standard_normal((128, 784)).astype(dtype), rng.standard_normal((784, 1024)).astype(dtype)
    assert not _nn_conv.mm(*big, np.empty((128, 1024), dtype))   # threading size: numpy's own path
    assert not _nn_conv.mm(big[0][:1], big[1][:, :5], np.empty((1, 5), dtype))   # a row: numpy's gemv
    sq = rng.standard_normal((4, 4)).astype(dtype)
    assert not _nn_conv.mm(sq, sq.T, sq)   # the result overlaps an operand: numpy's path
    x = lt.from_numpy(rng.standard_normal((16, 300)).astype(dtype))
    y = lt.from_numpy(rng.standard_normal((300, 50)).astype(dtype))
    with _nn_conv._OneThreadBLAS():
        p, pt = np.matmul(x._a, y._a), np.matmul(y._a.T, x._a.T)
    assert np.array_equal(lt.mm(x, y)._a, p)
    assert np.array_equal(lt.mm(y.t(), x.t())._a, pt)
    M0 = lt.from_numpy(rng.standard_normal((16, 50)).astype(dtype))
    r = lt.addmm(0.5, M0, 2, x, y)._a
    assert np.array_equal(r, (0.5 * M0._a).astype(dtype) + (2 * p).astype(dtype))
    assert not _nn_conv.mm(x._a[:, ::2], y._a[::2], np.empty((6, 5), dtype))  # strided: numpy's path


def _column_rows(K, N, L, pad, dtype):
    """A (K, N, L) column buffer whose rows lie N*L + pad elements apart (NaN in the gaps)."""
    return np.full((K, N * L + pad), np.nan, dtype)[:, :N * L].reshape(K, N, L)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_padded_column_rows_give_the_same_bits(dtype):
    # nn/_spatial.column_buffer lays the (K, N, L) rows apart by a cache line where N*L spans a
    # multiple of 4 KiB: the fused kernels must read and write them exactly as contiguous rows
    N, C, H, W, O = 8, 3, 8, 8, 4
    if not _nn_conv.fused_ok(N):
        pytest.skip("numpy's OpenBLAS is not reachable from C here")
    x = rng.standard_normal((N, C, H, W)).astype(dtype)
    w = rng.standard_normal((O, C * 9)).astype(dtype)
    b = rng.standard_normal(O).astype(dtype)
    g = rng.standard_normal((N, O, H * W)).astype(dtype)
    geom = (3, 3, 1, 1, 1, 1, 1, 1)
    K, L = C * 9, H * W
    results = []
    for pad in (0, 7):
        cols = _column_rows(K, N, L, pad, dtype)
        assert cols.strides[0] == (N * L + pad) * cols.itemsize
        y, gi = np.empty((N, O, L), dtype), np.empty_like(x)
        part = np.zeros((64, K, O), dtype)   # one slice per OpenMP thread (at least)
        _nn_conv.fused_conv_forward(x, y, w, b, cols, *geom)
        gw_cols = cols.copy()
        pb = np.empty((64, O))
        _nn_conv.fused_conv_grad_weight(g, cols, part, pb)
        np.testing.assert_allclose(pb.sum(axis=0), g.astype(np.float64).sum(axis=(0, 2)), rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(part.sum(axis=0).T, np.einsum("nol,knl->ok", g.astype(np.float64), cols),
                                   rtol=1e-4 if dtype == np.float32 else 1e-12, atol=1e-4)
        cols2 = _column_rows(K, N, L, pad, dtype)
        _nn_conv.im2col(x, cols2, *geom)
        _nn_conv.fused_conv_grad_input(g, gi, w, cols2, *geom)
        gi2 = np.empty_like(x)
        _nn_conv.col2im(cols2, gi2, *geom)
        results.append((y, gw_cols, part.sum(axis=0), pb.sum(axis=0), gi, gi2))
    for a, c in zip(*results):
        assert np.array_equal(a, c)
    with pytest.raises(ValueError, match="contiguous"):
        _nn_conv.im2col(x, np.empty((N, K, L), dtype).transpose(1, 0, 2), *geom)


@pytest.mark.parametrize("dtype,tol", [(np.float64, 1e-10), (np.float32, 1e-4)])
def test_convolution_with_padded_column_buffers_against_pytorch(dtype, tol):
    # 4 images of 16x16 in float (8 in double): N*L spans 4 KiB, so finput/fgradInput get padded rows
    N = 4 if dtype == np.float32 else 8
    x = rng.standard_normal((N, 3, 16, 16)).astype(dtype)
    m = nn.SpatialConvolution(3, 6, 3, 3, 1, 1, 1, 1)
    m = m.float() if dtype == np.float32 else m.double()
    go = rng.standard_normal((N, 6, 16, 16)).astype(dtype)
    ours = _ours(m, x, go, 0.5)
    if _nn_conv.fused_ok(N):
        assert m.finput._stride[0] == N * 256 + 64 // x.itemsize and m.fgradInput._stride[0] == m.finput._stride[0]
    theirs = _torch_grads(lambda X, W, B: F.conv2d(X, W, B, 1, 1), x, go, m.weight._a.copy(), m.bias._a.copy())
    theirs[2:] = [0.5 * t for t in theirs[2:]]
    for a, b in zip(ours, theirs):
        assert np.allclose(a, b.reshape(a.shape), rtol=tol, atol=tol)
    # accGradParameters on a fresh module (no cached columns): the columns are unfolded into the
    # padded buffer there
    m2 = m.clone()
    m2.clearState()
    m2.zeroGradParameters()
    m2.accGradParameters(T(x), T(go), 0.5)
    assert np.allclose(m2.gradWeight._a, theirs[2].reshape(m2.gradWeight._a.shape), rtol=tol, atol=tol)
    assert np.allclose(m2.gradBias._a, theirs[3], rtol=tol, atol=tol)


@pytest.mark.parametrize("dtype,tol", [(np.float64, 1e-11), (np.float32, 2e-5)])
@pytest.mark.parametrize("S", [1, 3, 4, 13, 64])
def test_batchnorm_partial_sums_against_pytorch(dtype, tol, S):
    # the statistics run over each row in four partial sums (and a tail): rows of every length
    N, C = 5, 3
    x = (rng.standard_normal((N, C, S)) * 3 + 2).astype(dtype)
    go = rng.standard_normal((N, C, S)).astype(dtype)
    w, b = rng.rand(C).astype(dtype), rng.standard_normal(C).astype(dtype)
    rm, rv = np.full(C, 0.2, dtype), np.full(C, 1.5, dtype)
    sm, ss, y, gi = np.empty(C, dtype), np.empty(C, dtype), np.empty_like(x), np.empty_like(x)
    gw, gb = np.ones(C, dtype), np.ones(C, dtype)
    _nn_norm.batchnorm_forward(x, y, w, b, rm, rv, sm, ss, True, 0.1, 1e-5)
    _nn_norm.batchnorm_backward(x, go, gi, gw, gb, w, rm, rv, sm, ss, True, 0.5, 1e-5)
    X = torch.tensor(x, requires_grad=True)
    Wt, Bt = torch.tensor(w, requires_grad=True), torch.tensor(b, requires_grad=True)
    RM, RV = torch.full((C,), 0.2, dtype=X.dtype), torch.full((C,), 1.5, dtype=X.dtype)
    Y = F.batch_norm(X, RM, RV, Wt, Bt, True, 0.1, 1e-5)
    Y.backward(torch.tensor(go))
    for got, want in ((y, Y), (gi, X.grad), (gw, 1 + 0.5 * Wt.grad), (gb, 1 + 0.5 * Bt.grad), (rm, RM), (rv, RV),
                      (sm, X.detach().mean(dim=(0, 2)))):
        np.testing.assert_allclose(got, want.detach().numpy(), rtol=tol, atol=tol)


@pytest.mark.parametrize("dtype,tol", [(np.float64, 1e-10), (np.float32, 1e-4)])
@pytest.mark.parametrize("C,HW", [(8, (20, 23)), (2, (40, 41))])
def test_chunked_convolution_products_fused_equal_general(dtype, tol, C, HW):
    # the per-image products run in column chunks (256 positions where K >= 64, 1024 below):
    # images with several chunks and a short last one, fused and general paths with equal bits,
    # and both against numpy's product
    N, O = 4, 6
    H, W = HW
    if not _nn_conv.fused_ok(N):
        pytest.skip("numpy's OpenBLAS is not reachable from C here")
    x = rng.standard_normal((N, C, H, W)).astype(dtype)
    w = rng.standard_normal((O, C * 9)).astype(dtype)
    b = rng.standard_normal(O).astype(dtype)
    geom = (3, 3, 1, 1, 1, 1, 1, 1)
    K, L = C * 9, H * W
    cols, cols2 = np.empty((2, K, N, L), dtype)
    y, y2 = np.empty((2, N, O, L), dtype)
    _nn_conv.fused_conv_forward(x, y, w, b, cols, *geom)
    _nn_conv.im2col(x, cols2, *geom)
    _nn_conv._gemm_out(w, cols2, y2, b)
    assert np.array_equal(y, y2)
    ref = np.einsum("ok,knl->nol", w.astype(np.float64), cols2) + b[None, :, None]
    assert np.allclose(y, ref, rtol=tol, atol=tol)
    g = rng.standard_normal(y.shape).astype(dtype)
    gi, gi2 = np.empty((2,) + x.shape, dtype)
    _nn_conv.fused_conv_grad_input(g, gi, w, cols, *geom)
    _nn_conv._gemm_cols(w, g, cols2)
    assert np.allclose(cols2, np.einsum("ok,nol->knl", w.astype(np.float64), g), rtol=tol, atol=tol)
    _nn_conv.col2im(cols2, gi2, *geom)
    assert np.array_equal(gi, gi2)
    # one image (never fused): the chunks are split among the threads, the same products
    y1, cols1 = np.empty((1, O, L), dtype), np.empty((K, 1, L), dtype)
    _nn_conv.im2col(x[1:2], cols1, *geom)
    _nn_conv._gemm_out(w, cols1, y1, b)
    assert np.array_equal(y1[0], y2[1])
    # the weight gradient (its sum over positions in pieces where K < 64) against numpy's
    _nn_conv.im2col(x, cols, *geom)
    part, pb = np.zeros((64, K, O), dtype), np.empty((64, O))
    _nn_conv.fused_conv_grad_weight(g, cols, part, pb)
    ref = np.einsum("nol,knl->ok", g.astype(np.float64), cols)
    assert np.allclose(part.sum(axis=0).T, ref, rtol=tol, atol=tol * np.abs(ref).max())
    assert np.allclose(pb.sum(axis=0), g.astype(np.float64).sum(axis=(0, 2)), rtol=1e-12, atol=1e-9)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_grad_input_columns_in_thread_scratch_give_the_same_bits(dtype):
    # conv_updateGradInput's fused path puts each thread's image columns in a slice of its own
    N, C, H, W, O = 8, 8, 20, 23, 5
    if not _nn_conv.fused_ok(N):
        pytest.skip("numpy's OpenBLAS is not reachable from C here")
    w = rng.standard_normal((O, C * 9)).astype(dtype)
    g = rng.standard_normal((N, O, H * W)).astype(dtype)
    geom = (3, 3, 1, 1, 1, 1, 1, 1)
    K, L = C * 9, H * W
    gi, gi2, gi3 = np.empty((3, N, C, H, W), dtype)
    _nn_conv.fused_conv_grad_input(g, gi, w, np.empty((K, N, L), dtype), *geom)
    _nn_conv.fused_conv_grad_input(g, gi2, w, np.empty((K, N, L), dtype), *geom,
                                   np.full((64, K, L), np.nan, dtype))
    _nn_conv.conv_updateGradInput(g.reshape(N, O, H, W), gi3, w.reshape(O, C, 3, 3), np.empty((K, N, L), dtype),
                                  3, 3, 1, 1, 1, 1)
    assert np.array_equal(gi, gi2) and np.array_equal(gi, gi3)
    with pytest.raises(ValueError, match="scratch"):
        _nn_conv.fused_conv_grad_input(g, gi2, w, np.empty((K, N, L), dtype), *geom, np.empty((64, K, L - 1), dtype))


def test_convolutions_in_two_python_threads_keep_their_own_columns():
    # the per-thread column scratch is per Python thread: two backward passes at once stay apart
    import threading
    N = 8
    if not _nn_conv.fused_ok(N):
        pytest.skip("numpy's OpenBLAS is not reachable from C here")
    mods = [nn.SpatialConvolution(4, 6, 3, 3, 1, 1, 1, 1).double() for _ in range(2)]
    xs = [rng.standard_normal((N, 4, 12, 12 + i)) for i in range(2)]
    gos = [rng.standard_normal((N, 6, 12, 12 + i)) for i in range(2)]
    want = [_torch_grads(lambda X, W, B: F.conv2d(X, W, B, 1, 1), x, go, m.weight._a.copy(), m.bias._a.copy())[1]
            for m, x, go in zip(mods, xs, gos)]
    got, errors = [None, None], []

    def run(i):
        try:
            for _ in range(20):
                mods[i].forward(T(xs[i]))
                got[i] = mods[i].updateGradInput(T(xs[i]), T(gos[i]))._a.copy()
                assert np.allclose(got[i], want[i], rtol=1e-10, atol=1e-10)
        except Exception as e:   # reported below, in the main thread
            errors.append(e)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and all(g is not None for g in got)
