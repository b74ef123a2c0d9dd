"""Oracles for the remaining nn modules: PyTorch CPU where it has the same op (fractional max
pooling with the same samples, grouped and transposed convolutions, unfold, max_pool3d with
dilation, autograd), numpy otherwise; the seeded draws against the THRandom stream."""
import numpy as np
import pytest

torch_ref = pytest.importorskip("torch")
import torch.nn.functional as Fn  # noqa: E402

import pytorch_lite as torch  # noqa: E402
from pytorch_lite import nn  # noqa: E402

T = torch_ref


def D(a):
    return torch.DoubleTensor(np.ascontiguousarray(a, dtype=np.float64))


def rs(*shape, seed=0):
    return np.random.RandomState(seed).standard_normal(shape)


def test_spatial_fractional_matches_pytorch_with_the_same_samples():
    x = rs(2, 3, 9, 8)
    m = nn.SpatialFractionalMaxPooling(2, 3, 4, 5)
    torch.manualSeed(5)
    y = m.forward(D(x))
    torch.manualSeed(5)
    s = torch.Tensor(2, 3, 2).uniform()  # Torch7 draws the samples with uniform() on each forward
    assert np.array_equal(m.randomSamples._a, s._a)
    xt = T.from_numpy(x).requires_grad_()
    ry, ri = Fn.fractional_max_pool2d(xt, (3, 2), output_size=(5, 4), _random_samples=T.from_numpy(s._a.copy()),
                                      return_indices=True)
    assert np.array_equal(ry.detach().numpy(), y._a)
    assert np.array_equal(ri.numpy(), m.indices._a)
    g = rs(*y._size, seed=1)
    ry.backward(T.from_numpy(g))
    assert np.allclose(m.backward(D(x), D(g))._a, xt.grad.numpy(), rtol=0, atol=1e-14)
    # a second forward redraws, unless the regions are fixed
    m.forward(D(x))
    assert not np.array_equal(m.randomSamples._a, s._a)
    m.fixPoolingRegions()
    before = m.randomSamples._a.copy()
    m.forward(D(x))
    assert np.array_equal(m.randomSamples._a, before)


def test_fractional_sample_buffer_methods():
    # nn's initSampleBuffer_ draws (or keeps, when fixed) the samples forward would use, so a
    # script can convert their type first (cunn's tests do); getBufferSize_ is their size
    x = D(rs(2, 3, 9, 8))
    m = nn.SpatialFractionalMaxPooling(2, 3, 4, 5)
    assert m.getBufferSize_(x).tolist() == [2, 3, 2]
    assert m.getBufferSize_(x.select(0, 0)).tolist() == [1, 3, 2]
    torch.manualSeed(5)
    m.initSampleBuffer_(x)
    m.fixPoolingRegions()
    drawn = m.randomSamples._a.copy()
    torch.manualSeed(5)
    assert np.array_equal(drawn, torch.DoubleTensor(2, 3, 2).uniform()._a)
    m.initSampleBuffer_(x)
    y = m.forward(x)
    assert np.array_equal(m.randomSamples._a, drawn)
    ry = Fn.fractional_max_pool2d(T.from_numpy(x._a.copy()), (3, 2), output_size=(5, 4),
                                  _random_samples=T.from_numpy(drawn))
    assert np.array_equal(ry.numpy(), y._a)
    v = nn.VolumetricFractionalMaxPooling(2, 2, 2, 3, 3, 3)
    assert v.getBufferSize_(D(rs(4, 6, 6, 6))).tolist() == [1, 4, 3]
    v.initSampleBuffer_(D(rs(2, 4, 6, 6, 6)))
    assert v.randomSamples._size == (2, 4, 3)


def test_spatial_fractional_ratio_and_float():
    m = nn.SpatialFractionalMaxPooling(2, 2, 0.5, 0.7)
    x = rs(3, 10, 11).astype(np.float32)
    y = m.forward(torch.FloatTensor(x))
    assert y._size == (3, 7, 5)
    s = m.randomSamples._a.copy()
    ry = Fn.fractional_max_pool2d(T.from_numpy(x)[None], 2, output_size=(7, 5), _random_samples=T.from_numpy(s))
    assert np.array_equal(ry.numpy()[0], y._a)


def test_volumetric_fractional_matches_pytorch():
    # THNN reads a volume as nPlane x H x W x T and draws its samples in T, W, H order
    x = rs(2, 3, 7, 8, 9)
    m = nn.VolumetricFractionalMaxPooling(2, 3, 2, 4, 3, 5)
    y = m.forward(D(x))
    assert y._size == (2, 3, 5, 3, 4)
    s = m.randomSamples._a[..., ::-1].copy()
    xt = T.from_numpy(x).requires_grad_()
    ry, ri = Fn.fractional_max_pool3d(xt, (2, 3, 2), output_size=(5, 3, 4), _random_samples=T.from_numpy(s),
                                      return_indices=True)
    assert np.array_equal(ry.detach().numpy(), y._a)
    assert np.array_equal(ri.numpy(), m.indices._a)
    g = rs(*y._size, seed=2)
    ry.backward(T.from_numpy(g))
    assert np.allclose(m.backward(D(x), D(g))._a, xt.grad.numpy(), atol=1e-14)


def test_fractional_indices_are_one_based_in_t7():
    m = nn.SpatialFractionalMaxPooling(2, 2, 2, 2)
    m.forward(D(rs(1, 5, 5)))
    f = m.__t7_write__()
    assert np.array_equal(f["indices"]._a, m.indices._a + 1)
    m2 = torch.deserialize(torch.serialize(m))
    assert np.array_equal(m2.indices._a, m.indices._a)


@pytest.mark.parametrize("args,shape,ceil", [
    ((2, 3, 2, 1, 2, 1, 1, 1, 1, 2, 1, 2), (2, 3, 7, 8, 9), False),
    ((3, 2, 2, 2, 1, 2, 1, 0, 1, 1, 2, 1), (3, 6, 7, 8), True),
])
def test_volumetric_dilated_max_pooling_matches_pytorch(args, shape, ceil):
    kT, kW, kH, dT, dW, dH, pT, pW, pH, lT, lW, lH = args
    m = nn.VolumetricDilatedMaxPooling(*args)
    if ceil:
        m.ceil()
    x = rs(*shape)
    y = m.forward(D(x))
    xt = T.from_numpy(x).requires_grad_()
    ry = Fn.max_pool3d(xt, (kT, kH, kW), (dT, dH, dW), (pT, pH, pW), (lT, lH, lW), ceil_mode=ceil)
    assert np.array_equal(ry.detach().numpy(), y._a)
    g = rs(*ry.shape, seed=3)
    ry.backward(T.from_numpy(g))
    assert np.allclose(m.backward(D(x), D(g))._a, xt.grad.numpy(), atol=1e-14)


def test_volumetric_dilated_indices_match_volumetric_max_pooling():
    a, b = nn.VolumetricMaxPooling(3, 2, 2, 2, 1, 2, 1, 0, 1), nn.VolumetricDilatedMaxPooling(3, 2, 2, 2, 1, 2, 1, 0, 1)
    x = D(rs(2, 5, 6, 7))
    a.forward(x)
    b.forward(x)
    assert np.array_equal(a.indices._a, b.indices._a)


def test_temporal_dynamic_k_max_pooling():
    x = rs(2, 7, 3)
    m = nn.TemporalDynamicKMaxPooling(2, 0.5)
    y = m.forward(D(x))
    idx = np.sort(np.argsort(-x, axis=1)[:, :4], axis=1)
    assert np.array_equal(y._a, np.take_along_axis(x, idx, axis=1))
    assert np.array_equal(m.indices._a, idx)
    with pytest.raises(torch.TorchValueError if hasattr(torch, "TorchValueError") else Exception):
        nn.TemporalDynamicKMaxPooling(9).forward(D(x))


def test_depthwise_matches_grouped_conv2d():
    m = nn.SpatialDepthWiseConvolution(3, 2, 3, 2, 2, 1, 1, 0)
    x = rs(2, 3, 6, 7)
    y = m.forward(D(x))
    w = T.from_numpy(m.weight._a.reshape(2, 3, 2, 3).transpose(1, 0, 2, 3).reshape(6, 1, 2, 3).copy()).requires_grad_()
    b = T.from_numpy(m.bias._a.T.reshape(6).copy()).requires_grad_()
    xt = T.from_numpy(x).requires_grad_()
    ry = Fn.conv2d(xt, w, b, stride=(1, 2), padding=(0, 1), groups=3)
    assert np.allclose(ry.detach().numpy(), y._a, atol=1e-13)
    g = rs(*ry.shape, seed=1)
    ry.backward(T.from_numpy(g))
    m.zeroGradParameters()
    gi = m.backward(D(x), D(g))
    assert np.allclose(gi._a, xt.grad.numpy(), atol=1e-13)
    gw = m.gradWeight._a.reshape(2, 3, 2, 3).transpose(1, 0, 2, 3).reshape(6, 1, 2, 3)
    assert np.allclose(gw, w.grad.numpy(), atol=1e-13)
    assert np.allclose(m.gradBias._a.T.reshape(6), b.grad.numpy(), atol=1e-13)


def test_conv_default_init_follows_the_stream():
    torch.manualSeed(7)
    m = nn.SpatialDepthWiseConvolution(3, 2, 3, 3)
    torch.manualSeed(7)
    s = 1 / np.sqrt(27)
    w = torch.Tensor(2, 27).uniform(-s, s)
    b = torch.Tensor(2, 3).uniform(-s, s)
    assert np.array_equal(m.weight._a, w._a) and np.array_equal(m.bias._a, b._a)
    torch.manualSeed(8)
    m = nn.SpatialConvolutionMap(nn.tables.random(4, 3, 2), 2, 2)
    torch.manualSeed(8)
    nn.tables.random(4, 3, 2)
    s = 1 / np.sqrt(2 * 2 * 2)  # fan-in 2 connections of a 2x2 kernel
    ws = [torch.Tensor(2, 2).uniform(-s, s) for _ in range(6)]
    bs = [torch.uniform(-s, s) for _ in range(3)]
    assert np.array_equal(m.weight._a, np.stack([w._a for w in ws]))
    assert np.allclose(m.bias._a, bs, rtol=0, atol=0)


def test_tables():
    f = nn.tables.full(2, 3)._a
    assert f.tolist() == [[0, 0], [1, 0], [0, 1], [1, 1], [0, 2], [1, 2]]
    assert nn.tables.oneToOne(3)._a.tolist() == [[0, 0], [1, 1], [2, 2]]
    torch.manualSeed(1)
    r = nn.tables.random(5, 3, 2)._a
    torch.manualSeed(1)
    p1 = torch.randperm(5)._a
    p2 = torch.randperm(5)._a
    assert r[:, 1].tolist() == [0, 0, 1, 1, 2, 2]
    assert r[:4, 0].tolist() == list(p1[:4]) and r[4:, 0].tolist() == list(p2[:2])


def test_convolution_local_matches_unfold():
    m = nn.SpatialConvolutionLocal(2, 3, 7, 6, 3, 2, 2, 1, 1, 0)
    x = rs(2, 2, 6, 7)
    y = m.forward(D(x))
    cols = Fn.unfold(T.from_numpy(x), (2, 3), padding=(0, 1), stride=(1, 2))
    W = T.from_numpy(m.weight._a.reshape(m.oH * m.oW, 3, -1).copy())
    ref = T.einsum("ncl,loc->nol", cols, W).reshape(2, 3, m.oH, m.oW) + T.from_numpy(m.bias._a.copy())
    assert np.allclose(ref.numpy(), y._a, atol=1e-13)


def test_convolution_maps_match_per_connection_convs():
    m = nn.SpatialConvolutionMap(nn.tables.random(4, 3, 2), 3, 2, 2, 1)
    x = rs(2, 4, 6, 7)
    y = m.forward(D(x))
    ref = np.zeros(y._size) + m.bias._a[None, :, None, None]
    for k, (i, o) in enumerate(m.connTable._a.astype(int)):
        ref[:, o] += Fn.conv2d(T.from_numpy(x[:, i:i + 1]), T.from_numpy(m.weight._a[k][None, None].copy()),
                               stride=(1, 2)).numpy()[:, 0]
    assert np.allclose(ref, y._a, atol=1e-13)
    m = nn.SpatialFullConvolutionMap(nn.tables.full(3, 2), 3, 2, 2, 1)
    x = rs(2, 3, 4, 5)
    y = m.forward(D(x))
    ref = np.zeros(y._size) + m.bias._a[None, :, None, None]
    for k, (i, o) in enumerate(m.connTable._a.astype(int)):
        ref[:, o] += Fn.conv_transpose2d(T.from_numpy(x[:, i:i + 1]), T.from_numpy(m.weight._a[k][None, None].copy()),
                                         stride=(1, 2)).numpy()[:, 0]
    assert np.allclose(ref, y._a, atol=1e-13)


def test_conn_table_is_one_based_in_t7():
    m = nn.SpatialConvolutionMap(nn.tables.full(2, 2), 2, 2)
    f = m.__t7_write__()
    assert np.array_equal(f["connTable"]._a, m.connTable._a + 1)
    assert f["connTableRev"]._a.min() >= 1


@pytest.mark.parametrize("featFirst", [False, True])
def test_temporal_row_convolution_matches_grouped_conv1d(featFirst):
    m = nn.TemporalRowConvolution(3, 2, 2, featFirst)
    x = rs(2, 3, 7) if featFirst else rs(2, 7, 3)
    y = m.forward(D(x))
    xin = x if featFirst else x.transpose(0, 2, 1)
    ref = Fn.conv1d(T.from_numpy(xin.copy()), T.from_numpy(m.weight._a.copy()), T.from_numpy(m.bias._a.copy()),
                    stride=2, groups=3).numpy()
    assert np.allclose(ref if featFirst else ref.transpose(0, 2, 1), y._a, atol=1e-14)


def _divisive_ref(x, k2, th, tv):
    n = x.shape[-3]
    kk = k2 / (k2.sum() * n)
    xt = T.from_numpy(x if x.ndim == 4 else x[None])
    w = T.from_numpy(np.broadcast_to(kk, (1, n) + kk.shape).copy())
    p = (kk.shape[0] // 2, kk.shape[1] // 2)
    std = np.sqrt(Fn.conv2d(xt ** 2, w, padding=p).numpy()) / Fn.conv2d(T.ones_like(xt[:1]), w, padding=p).numpy()
    out = xt.numpy() / np.where(std > th, std, tv)
    return out if x.ndim == 4 else out[0]


@pytest.mark.parametrize("kernel,shape", [(None, (2, 3, 7, 8)), ([1.0, 2, 1], (3, 6, 5)),
                                          (np.outer([1.0, 2, 1], [1, 1, 1, 2, 1]), (2, 2, 6, 7))])
def test_divisive_normalization_matches_numpy(kernel, shape):
    k = None if kernel is None else D(kernel)
    k2 = np.ones((9, 9)) if kernel is None else (np.asarray(kernel) if np.ndim(kernel) == 2 else np.outer(kernel, kernel))
    m = nn.SpatialDivisiveNormalization(shape[-3], k, 0.5)
    x = rs(*shape)
    assert np.allclose(m.forward(D(x))._a, _divisive_ref(x, k2, 0.5, 0.5), atol=1e-13)


def test_contrastive_is_subtractive_then_divisive():
    x = D(rs(2, 3, 6, 6))
    m = nn.SpatialContrastiveNormalization(3, D(np.ones((3, 3))))
    sub = nn.SpatialSubtractiveNormalization(3, D(np.ones((3, 3))))
    div = nn.SpatialDivisiveNormalization(3, D(np.ones((3, 3))))
    assert np.allclose(m.forward(x)._a, div.forward(sub.forward(x))._a, atol=1e-14)


def test_linear_weight_norm_matches_autograd():
    torch.manualSeed(3)
    m = nn.LinearWeightNorm(4, 3)
    torch.manualSeed(3)
    v = torch.Tensor(3, 4).normal(0, 0.5)
    assert np.array_equal(m.v._a, v._a)
    assert np.allclose(m.g._a[:, 0], np.linalg.norm(v._a, axis=1))
    x = rs(5, 4)
    y = m.forward(D(x))
    vt = T.from_numpy(m.v._a.copy()).requires_grad_()
    gt = T.from_numpy(m.g._a.copy()).requires_grad_()
    bt = T.from_numpy(m.bias._a.copy()).requires_grad_()
    ry = T.from_numpy(x) @ (gt * vt / vt.norm(dim=1, keepdim=True)).T + bt
    assert np.allclose(ry.detach().numpy(), y._a, atol=1e-14)
    go = rs(5, 3, seed=1)
    ry.backward(T.from_numpy(go))
    m.zeroGradParameters()
    m.backward(D(x), D(go))
    for ours, ref in ((m.gradV, vt), (m.gradG, gt), (m.gradBias, bt)):
        assert np.allclose(ours._a, ref.grad.numpy(), atol=1e-13)


def test_partial_linear_is_linear_on_its_columns():
    m = nn.PartialLinear(4, 5)
    m.bias._a[...] = rs(1, 5)
    cols = [3, 0, 2]
    m.setPartition(torch.LongTensor(cols))
    x = rs(3, 4)
    W = m.network.get(0).get(1).weight._a
    y = m.forward(D(x))
    assert np.allclose(y._a, x @ W[cols].T + m.bias._a[0, cols], atol=1e-14)
    go = rs(3, 3, seed=1)
    m.zeroGradParameters()
    m.backward(D(x), D(go))
    gb = np.zeros(5)
    gb[cols] = go.sum(0)
    assert np.allclose(m.gradBias._a[0], gb)
    assert np.allclose(m.network.get(0).get(1).gradWeight._a[cols], go.T @ x)
    f = m.__t7_write__()
    assert np.array_equal(f["partition"]._a, np.array(cols) + 1)


def test_sparse_linear_matches_dense():
    m = nn.SparseLinear(6, 3, True)
    m.weightDecay = 0.1
    s1, s2 = D([[0, 1.5], [4, -2.0]]), D([[2, 0.5]])
    dense = np.zeros((2, 6))
    dense[0, 0], dense[0, 4], dense[1, 2] = 1.5, -2, 0.5
    W, b = m.weight._a.copy(), m.bias._a.copy()
    y = m.forward([s1, s2])
    assert np.allclose(y._a, dense @ W.T + b)
    go = rs(2, 3)
    m.zeroGradParameters()
    gi = m.backward([s1, s2], D(go))
    assert np.allclose(m.gradWeight._a, go.T @ dense + 0.1 * W)
    assert np.allclose(m.gradBias._a, go.sum(0))
    assert np.allclose(gi[1]._a[:, 1], (go @ W)[1]) and gi[1]._a[:, 0].tolist() == list(range(6))
    # Torch7's sparse update: after one accumulation only the used columns move
    m.updateParameters(0.5)
    moved = np.any(m.weight._a != W, axis=0)
    assert moved.tolist() == [True, False, True, False, True, False]


def test_kmeans_against_numpy():
    torch.manualSeed(2)
    m = nn.Kmeans(3, 2)
    torch.manualSeed(2)
    assert np.array_equal(m.weight._a, torch.Tensor(3, 2).uniform(-1, 1)._a)
    x = rs(10, 2)
    out = m.forward(D(x))
    d = ((x[None] - m.weight._a[:, None]) ** 2).sum(-1)
    assert np.array_equal(out._a, d.argmin(0)) and np.isclose(m.loss, d.min(0).sum())
    m.zeroGradParameters()
    m.backward(D(x), out)
    c = m.weight._a.copy()
    m.updateParameters(1)
    for k in range(3):
        sel = out._a == k
        if sel.any():
            assert np.allclose(m.weight._a[k], c[k] + (x[sel] - c[k]).sum(0) / (sel.sum() + 1e-7))


def test_dont_cast_keeps_the_module_type():
    lin = nn.Linear(3, 2)
    m = nn.DontCast(lin, True)
    m.float()
    assert lin.weight.typename == "torch.DoubleTensor"
    x = torch.FloatTensor(rs(2, 3).astype(np.float32))
    y = m.forward(x)
    assert y.typename == "torch.FloatTensor"
    assert np.allclose(y._a, x._a.astype(np.float64) @ lin.weight._a.T + lin.bias._a, atol=1e-6)
    gi = m.backward(x, torch.FloatTensor(2, 2).fill(1))
    assert gi.typename == "torch.FloatTensor"


def test_convert_layouts():
    x = rs(2, 3, 4, 5)
    assert np.array_equal(nn.Convert("bchw", "bf").forward(D(x))._a, x.reshape(2, -1))
    m = nn.Convert("bchw", "bhwc")
    y = m.forward(D(x))
    assert np.array_equal(y._a, x.transpose(0, 2, 3, 1))
    assert np.array_equal(m.backward(D(x), y)._a, x)
    assert np.array_equal(nn.Convert("chw", "hwc").forward(D(x[0]))._a, x[0].transpose(1, 2, 0))
