"""PyTorch CPU as an oracle for the nn modules added from nn's doc that PyTorch also has:
forward and backward (gradInput and parameter gradients) on the same numbers, in double."""
import numpy as np
import pytest
import torch as T
import torch.nn.functional as F

import pytorch_lite as torch
from pytorch_lite import nn

R = np.random.RandomState(7)


def _d(a):
    return torch.DoubleTensor(np.ascontiguousarray(a))


def _close(ours, ref, tol=1e-10):
    ref = ref.detach().numpy() if hasattr(ref, "detach") else ref
    np.testing.assert_allclose(np.asarray(ours._a), ref, rtol=tol, atol=tol)


def _check(m, x, fn, params=()):
    """m.forward/backward vs fn(x_torch, *params_torch) and autograd."""
    xt = T.tensor(x, requires_grad=True)
    pt = [T.tensor(np.asarray(p._a), requires_grad=True) for p in params]
    yt = fn(xt, *pt)
    y = m.forward(_d(x))
    _close(y, yt)
    g = R.standard_normal(tuple(yt.shape))
    yt.backward(T.tensor(g))
    m.zeroGradParameters()
    gi = m.backward(_d(x), _d(g))
    _close(gi, xt.grad)
    return pt


def test_pixel_shuffle():
    x = R.standard_normal((2, 18, 3, 2))
    _check(nn.PixelShuffle(3), x, lambda t: F.pixel_shuffle(t, 3))


def test_volumetric_average_pooling():
    x = R.standard_normal((2, 3, 5, 6, 7))
    m = nn.VolumetricAveragePooling(2, 3, 2, 1, 2, 2, 1, 1, 1)
    _check(m, x, lambda t: F.avg_pool3d(t, (2, 2, 3), (1, 2, 2), (1, 1, 1)))
    m = nn.VolumetricAveragePooling(3, 2, 2, 2, 2, 2, 1, 1, 1).ceil().setCountExcludePad()
    _check(m, x, lambda t: F.avg_pool3d(t, (3, 2, 2), 2, 1, ceil_mode=True, count_include_pad=False))


@pytest.mark.parametrize("batch", [True, False])
def test_volumetric_full_convolution(batch):
    m = nn.VolumetricFullConvolution(3, 2, 2, 3, 2, 2, 1, 2, 1, 1, 0, 1, 0, 1)  # kT,kW,kH dT,dW,dH pad adj
    x = R.standard_normal((2, 3, 3, 4, 2))
    fn = lambda t, w, b: F.conv_transpose3d(t, w, b, (2, 2, 1), (1, 0, 1), (1, 1, 0))
    if not batch:
        x = x[0]
        fn0 = fn
        fn = lambda t, w, b: fn0(t[None], w, b)[0]
    wt, bt = _check(m, x, fn, (m.weight, m.bias))
    _close(m.gradWeight, wt.grad)
    _close(m.gradBias, bt.grad)


def test_volumetric_dilated_convolution():
    m = nn.VolumetricDilatedConvolution(2, 3, 2, 3, 2, 1, 2, 1, 1, 1, 0, 2, 1, 2)
    x = R.standard_normal((2, 2, 5, 6, 7))
    wt, bt = _check(m, x, lambda t, w, b: F.conv3d(t, w, b, (1, 1, 2), (1, 0, 1), (2, 2, 1)),
                    (m.weight, m.bias))
    _close(m.gradWeight, wt.grad)
    _close(m.gradBias, bt.grad)


def test_spatial_dilated_max_pooling():
    x = R.standard_normal((2, 3, 9, 8))
    m = nn.SpatialDilatedMaxPooling(3, 2, 2, 1, 1, 1, 2, 2)
    _check(m, x, lambda t: F.max_pool2d(t, (2, 3), (1, 2), (1, 1), (2, 2)))


def test_spatial_max_unpooling():
    x = R.standard_normal((2, 3, 6, 8))
    pool = nn.SpatialMaxPooling(2, 2)
    y = pool.forward(_d(x))
    unpool = nn.SpatialMaxUnpooling(pool)
    yt, it = F.max_pool2d(T.tensor(x), 2, 2, return_indices=True)
    np.testing.assert_array_equal(np.asarray(pool.indices._a), it.numpy())  # both 0-based h*W+w
    v = R.standard_normal(tuple(yt.shape))
    _check(unpool, v, lambda t: F.max_unpool2d(t, it, 2, 2, output_size=(6, 8)))
    assert y.size() == torch.LongStorage(list(yt.shape))


def test_volumetric_max_unpooling():
    x = R.standard_normal((2, 4, 6, 4))
    pool = nn.VolumetricMaxPooling(2, 2, 2)
    pool.forward(_d(x))
    _, it = F.max_pool3d(T.tensor(x), 2, 2, return_indices=True)
    unpool = nn.VolumetricMaxUnpooling(pool)
    v = R.standard_normal(tuple(it.shape))
    # without a recorded input size the output is the smallest one the pooling allows (4x6x4)
    _check(unpool, v, lambda t: F.max_unpool3d(t, it, 2, 2, output_size=(4, 6, 4)))


def test_volumetric_max_unpooling_restores_the_pooled_input_size():
    # with padding the last window reaches past the smallest size the pooling allows (7 of 8
    # frames here); the pooling module records its input size, which the unpooling restores
    x = R.standard_normal((2, 8, 5, 7))
    pool = nn.VolumetricMaxPooling(3, 2, 3, 3, 2, 3, 1, 0, 1)   # kT, kW, kH, dT, dW, dH, padT, padW, padH
    y = pool.forward(_d(x))
    assert (pool.itime, pool.iheight, pool.iwidth) == (8, 5, 7)
    yt, it = F.max_pool3d(T.tensor(x), (3, 3, 2), (3, 3, 2), (1, 1, 0), return_indices=True)
    np.testing.assert_array_equal(np.asarray(y._a), yt.numpy())
    unpool = nn.VolumetricMaxUnpooling(pool)
    v = R.standard_normal(tuple(it.shape))
    _check(unpool, v, lambda t: F.max_unpool3d(t, it, (3, 3, 2), (3, 3, 2), (1, 1, 0), output_size=(8, 5, 7)))


def test_replication_padding_3d():
    x = R.standard_normal((2, 2, 3, 4, 5))
    m = nn.VolumetricReplicationPadding(1, 2, 3, 0, 2, 1)
    _check(m, x, lambda t: F.pad(t, (1, 2, 3, 0, 2, 1), mode="replicate"))


def test_spatial_softmax_logsoftmax_and_nll():
    x = R.standard_normal((2, 4, 3, 3))
    _check(nn.SpatialSoftMax(), x, lambda t: F.softmax(t, 1))
    _check(nn.SpatialLogSoftMax(), x, lambda t: F.log_softmax(t, 1))
    target = R.randint(0, 4, (2, 3, 3))
    w = np.array([0.5, 1, 2, 1.5])
    for weights, avg in ((None, True), (w, True), (w, False)):
        crit = nn.SpatialClassNLLCriterion(None if weights is None else _d(weights), avg)
        xt = T.tensor(x, requires_grad=True)
        lt = F.nll_loss(xt, T.tensor(target), None if weights is None else T.tensor(weights),
                        reduction="mean" if avg else "sum")
        assert abs(crit.forward(_d(x), torch.LongTensor(target)) - lt.item()) < 1e-12
        lt.backward()
        _close(crit.backward(_d(x), torch.LongTensor(target)), xt.grad)


def test_gated_linear_unit_and_crelu():
    x = R.standard_normal((3, 6, 2))
    _check(nn.GatedLinearUnit(1), x, lambda t: F.glu(t, 1))
    _check(nn.GatedLinearUnit(), R.standard_normal((3, 4)), lambda t: F.glu(t, -1))
    _check(nn.CReLU(3), R.standard_normal((2, 3, 2, 2)), lambda t: F.relu(T.cat([t, -t], 1)))


def test_weight_norm_matches_torch():
    lin = nn.Linear(4, 3)
    m = nn.WeightNorm(lin)
    x = R.standard_normal((5, 4))
    v, g, b = m.parameters()[0]

    def fn(t, vt, gt, bt):
        w = gt[:, None] * vt / T.sqrt((vt * vt).sum(1, keepdim=True) + 1e-4)
        return F.linear(t, w, bt)
    vt, gt, bt = _check(m, x, fn, (v, g, b))
    _close(m.gradV, vt.grad)
    _close(m.gradG, gt.grad)
    _close(m.gradBias, bt.grad)
    # Torch7's reset: v ~ N(0, sqrt(2/fan_in)), g = ||v||, bias zero
    np.testing.assert_allclose(g._a, np.linalg.norm(v._a, axis=1), rtol=1e-12)
    assert not np.any(b._a)


def test_subsampling_matches_grouped_convolution():
    m = nn.SpatialSubSampling(3, 2, 3, 2, 1)
    x = R.standard_normal((2, 3, 6, 7))
    w, b = m.weight, m.bias

    def fn(t, wt, bt):
        return F.conv2d(t, wt[:, None, None, None].expand(3, 1, 3, 2), bt, (1, 2), groups=3)
    wt, bt = _check(m, x, fn, (w, b))
    _close(m.gradWeight, wt.grad)
    _close(m.gradBias, bt.grad)
    mt = nn.TemporalSubSampling(4, 3, 2)
    x = R.standard_normal((2, 9, 4))

    def fnt(t, wt, bt):
        y = F.conv1d(t.transpose(1, 2), wt[:, None, None].expand(4, 1, 3), bt, 2, groups=4)
        return y.transpose(1, 2)
    wt, bt = _check(mt, x, fnt, (mt.weight, mt.bias))
    _close(mt.gradWeight, wt.grad)
    _close(mt.gradBias, bt.grad)


def test_seeded_default_init_draw_order():
    """reset() draws weight then bias from the global stream with Torch7's bounds."""
    for build, fan in ((lambda: nn.VolumetricFullConvolution(3, 2, 2, 3, 4), 2 * 3 * 4 * 3),
                       (lambda: nn.SpatialSubSampling(3, 2, 5), 10), (lambda: nn.TemporalSubSampling(4, 3), 3)):
        torch.manualSeed(11)
        m = build()
        torch.manualSeed(11)
        stdv = 1 / np.sqrt(fan)
        w = torch.Tensor(*m.weight.size()).uniform(-stdv, stdv)
        b = torch.Tensor(*m.bias.size()).uniform(-stdv, stdv)
        np.testing.assert_array_equal(m.weight._a, w._a)
        np.testing.assert_array_equal(m.bias._a, b._a)


def test_masked_select_and_onehot():
    x = R.standard_normal((3, 4))
    mask = (R.random_sample((3, 4)) > 0.5).astype(np.uint8)
    m = nn.MaskedSelect()
    y = m.forward([_d(x), torch.ByteTensor(mask)])
    np.testing.assert_array_equal(y._a, x[mask.astype(bool)])
    g = R.standard_normal(y.nElement())
    gi = m.backward([_d(x), torch.ByteTensor(mask)], _d(g))
    ref = np.zeros_like(x)
    ref[mask.astype(bool)] = g
    np.testing.assert_array_equal(gi[0]._a, ref)
    idx = np.array([[0, 3], [2, 2]])
    np.testing.assert_array_equal(nn.OneHot(4).forward(torch.LongTensor(idx))._a,
                                  F.one_hot(T.tensor(idx), 4).numpy())
