"""pytorch_lite.nnx (clementfarabet/lua---nnx) against independent references: PyTorch CPU for
the ops it has (bilinear interpolation with aligned corners, average pooling, nearest repeats,
1x1 convolutions, constant padding, softmax), explicit loops over the formulas of nnx's C kernels
otherwise, finite-difference Jacobians for every module, and t7 round trips."""
import numpy as np
import pytest
import torch as pt
import torch.nn.functional as F

import pytorch_lite as torch
from pytorch_lite import nn, nnx
from pytorch_lite.errors import TorchError

RNG = np.random.RandomState(11)


def T(a):
    return torch.Tensor(np.ascontiguousarray(a, dtype=np.float64).tolist())


def arr(t):
    return np.array(t._a, dtype=np.float64)


def pt_(a):
    return pt.tensor(np.asarray(a, dtype=np.float64))


def jac(m, x):
    return nn.Jacobian.testJacobian(m, x)


@pytest.mark.parametrize("shape,out", [((3, 5, 6), (7, 11)), ((2, 3, 8, 4), (4, 9)), ((1, 6, 6), (3, 2))])
def test_spatial_resampling_is_corner_aligned_bilinear(shape, out):
    x = RNG.rand(*shape)
    m = nnx.SpatialReSampling(oheight=out[0], owidth=out[1])
    y = arr(m.forward(T(x)))
    x4 = pt_(x if len(shape) == 4 else x[None])
    want = F.interpolate(x4, size=out, mode="bilinear", align_corners=True).numpy()
    assert np.allclose(y, want.reshape(y.shape), atol=1e-6)   # nnx's positions are floats
    assert jac(m, T(x)) < 1e-8


def test_spatial_resampling_ratios_and_batches():
    m = nnx.SpatialReSampling(rwidth=0.5, rheight=0.5)
    assert tuple(m.forward(torch.randn(3, 8, 10)).size()) == (3, 4, 5)
    assert (m.owidth, m.oheight) == (5.0, 4.0)   # kept from the first input, as nnx does
    x = RNG.rand(4, 2, 6, 7)
    m = nnx.SpatialReSampling({"owidth": 9, "oheight": 5})
    y = arr(m.forward(T(x)))
    g = RNG.rand(*y.shape)
    gi = arr(m.backward(T(x), T(g)))
    one = nnx.SpatialReSampling(owidth=9, oheight=5)
    assert np.allclose(arr(one.forward(T(x[1]))), y[1])
    assert np.allclose(arr(one.backward(T(x[1]), T(g[1]))), gi[1])


@pytest.mark.parametrize("mode,size,out", [("bilinear", (2, 5, 7), (11, 13)), ("bilinear", (3, 9, 8), (4, 5)),
                                           ("simple", (2, 5, 6), (12, 14)), ("simple", (2, 9, 10), (4, 5)),
                                           ("average", (2, 9, 10), (4, 3))])
def test_spatial_resampling_ex_modes(mode, size, out):
    x = RNG.rand(*size)
    m = nnx.SpatialReSamplingEx(oheight=out[0], owidth=out[1], mode=mode)
    y = arr(m.forward(T(x)))
    xt = pt_(x[None])
    h, w = size[1:]
    if mode == "bilinear":
        want = F.interpolate(xt, size=out, mode="bilinear", align_corners=True)[0].numpy()
    elif out[0] >= h:   # nearest: each pixel ceil(o/i) times, cut at o
        dh, dw = -(-out[0] // h), -(-out[1] // w)
        want = x.repeat(dh, axis=1).repeat(dw, axis=2)[:, :out[0], :out[1]]
    elif mode == "simple":
        want = x[:, ::h // out[0], ::w // out[1]][:, :out[0], :out[1]]
    else:
        dh, dw = h // out[0], w // out[1]
        want = F.avg_pool2d(xt[:, :, :out[0] * dh, :out[1] * dw], (dh, dw))[0].numpy()
    assert np.allclose(y, want, atol=1e-6)
    assert jac(m, T(x)) < 1e-8


def test_spatial_resampling_ex_other_dims_and_errors():
    x = RNG.rand(5, 6, 3)   # y = dim 0, x = dim 1 (0-based), the planes last
    m = nnx.SpatialReSamplingEx(owidth=9, oheight=8, yDim=0, xDim=1, mode="bilinear")
    y = arr(m.forward(T(x)))
    want = F.interpolate(pt_(x.transpose(2, 0, 1)[None]), size=(8, 9), mode="bilinear",
                         align_corners=True)[0].numpy().transpose(1, 2, 0)
    assert np.allclose(y, want, atol=1e-6)
    assert jac(m, T(x)) < 1e-8
    with pytest.raises(TorchError):
        nnx.SpatialReSamplingEx(owidth=4, oheight=4, mode="cubic")
    with pytest.raises(TorchError):
        nnx.SpatialReSamplingEx(owidth=12, oheight=2).forward(torch.rand(2, 5, 6))


@pytest.mark.parametrize("shape,dims", [((3, 2, 4), {}), ((2, 3, 4, 5), {"yDim": 2, "xDim": 3})])
def test_spatial_upsampling_repeats_pixels(shape, dims):
    x = RNG.rand(*shape)
    m = nnx.SpatialUpSampling(3, 2, **dims)
    y = arr(m.forward(T(x)))
    yd = dims.get("yDim", 1)
    want = x.repeat(2, axis=yd).repeat(3, axis=yd + 1)
    assert np.array_equal(y, want)
    assert jac(m, T(x)) < 1e-8


def test_spatial_downsampling_averages_blocks():
    x = RNG.rand(3, 11, 9)
    m = nnx.SpatialDownSampling(4, 3)   # rW, rH
    y = arr(m.forward(T(x)))
    want = F.avg_pool2d(pt_(x[None]), (3, 4))[0].numpy()
    assert np.allclose(y, want)
    assert jac(m, T(x)) < 1e-8
    with pytest.raises(TorchError):
        m.forward(torch.rand(1, 2, 9))


def test_spatial_linear_is_a_1x1_convolution():
    m = nnx.SpatialLinear(4, 3)
    stdv = 1 / np.sqrt(3)   # nnx's default: 1/sqrt(fanout)
    assert np.all(np.abs(arr(m.weight)) <= stdv) and np.all(np.abs(arr(m.bias)) <= stdv)
    x = RNG.rand(4, 5, 6)
    y = arr(m.forward(T(x)))
    want = F.conv2d(pt_(x[None]), pt_(arr(m.weight)[:, :, None, None]), pt_(arr(m.bias)))[0].numpy()
    assert np.allclose(y, want)
    assert jac(m, T(x)) < 1e-8
    assert nn.Jacobian.testJacobianParameters(m, T(x), m.weight, m.gradWeight) < 1e-8
    assert nn.Jacobian.testJacobianParameters(m, T(x), m.bias, m.gradBias) < 1e-8


@pytest.mark.parametrize("pads", [(2, 1, 3, 0), (-1, 2, 1, -2), (1, None, None, None)])
def test_spatial_padding_pads_and_crops_with_a_value(pads):
    x = RNG.rand(2, 6, 7)
    m = nnx.SpatialPadding(*pads, None, None, 0.5)
    l = pads[0]
    l, r, t, b = [l if p is None else p for p in pads]
    y = arr(m.forward(T(x)))
    want = F.pad(pt_(x), (l, r, t, b), value=0.5).numpy()
    assert np.array_equal(y, want)
    assert jac(m, T(x)) < 1e-8


def _matching_reference(a, b, maxh, maxw, full):
    k, h, w = a.shape
    out = np.full((h, w, maxh, maxw), 1e30)
    h1, w1 = -(-maxh // 2) - 1, -(-maxw // 2) - 1
    for y in range(h):
        for x in range(w):
            for dy in range(maxh):
                for dx in range(maxw):
                    y2, x2 = (y + dy - h1, x + dx - w1) if full else (y + dy, x + dx)
                    if full and not (0 <= y2 < h and 0 <= x2 < w):
                        continue
                    out[y, x, dy, dx] = ((a[:, y, x] - b[:, y2, x2]) ** 2).sum()
    return out


@pytest.mark.parametrize("full,maxh,maxw", [(False, 3, 4), (True, 5, 4), (True, 4, 3)])
def test_spatial_matching_distances_and_gradients(full, maxh, maxw):
    a = RNG.rand(3, 5, 6)
    b = RNG.rand(3, 5, 6) if full else RNG.rand(3, 5 + maxh - 1, 6 + maxw - 1)
    m = nnx.SpatialMatching(maxh, maxw, full)
    y = arr(m.forward([T(a), T(b)]))
    assert np.allclose(y, _matching_reference(a, b, maxh, maxw, full))
    # gradients: PyTorch autograd over the same distances (outside entries get no gradient)
    at, bt = pt_(a).requires_grad_(), pt_(b).requires_grad_()
    ref = _matching_torch(at, bt, maxh, maxw, full)
    g = RNG.rand(*y.shape)
    ref.backward(pt_(g))
    ga, gb = m.backward([T(a), T(b)], T(g))
    assert np.allclose(arr(ga), at.grad.numpy()) and np.allclose(arr(gb), bt.grad.numpy())


def _matching_torch(a, b, maxh, maxw, full):
    k, h, w = a.shape
    h1, w1 = -(-maxh // 2) - 1, -(-maxw // 2) - 1
    inside = pt.ones(h + maxh - 1, w + maxw - 1, dtype=a.dtype)
    if full:   # entries outside b are a constant (1e30): no gradient
        b = F.pad(b, (w1, maxw - 1 - w1, h1, maxh - 1 - h1))
        inside = F.pad(pt.ones(h, w, dtype=a.dtype), (w1, maxw - 1 - w1, h1, maxh - 1 - h1))
    rows = []
    for dy in range(maxh):
        cols = []
        for dx in range(maxw):
            cols.append(((a - b[:, dy:dy + h, dx:dx + w]) ** 2).sum(0) * inside[dy:dy + h, dx:dx + w])
        rows.append(pt.stack(cols, -1))
    return pt.stack(rows, -2)


def test_multisoftmax_is_a_softmax_per_row():
    x = RNG.randn(3, 4, 5)
    m = nnx.MultiSoftMax()
    y = arr(m.forward(T(x)))
    assert np.allclose(y, pt.softmax(pt_(x), -1).numpy())
    assert jac(m, T(x)) < 1e-8
    assert jac(nnx.MultiSoftMax(), T(RNG.randn(2, 6))) < 1e-8


def test_saturated_lu_and_minus():
    x = RNG.randn(4, 5) * 2
    m = nnx.SaturatedLU(-0.5, -2, 0.7, 3)
    y = arr(m.forward(T(x)))
    assert np.array_equal(y, np.where(x < -0.5, -2, np.where(x > 0.7, 3, x)))
    assert jac(m, T(x)) < 1e-8
    assert np.array_equal(arr(nnx.Minus().forward(T(x))), -x)
    assert jac(nnx.Minus(), T(x)) < 1e-8
    with pytest.raises(TorchError):
        nnx.SaturatedLU("a")


def test_balance_divides_by_class_frequency_and_row_sums():
    x = RNG.rand(3, 4) + 0.1
    m = nnx.Balance(2)
    y = arr(m.forward(T(x)))
    cache = np.vstack([x, np.zeros_like(x)])
    p = cache.sum(0) / cache.sum()
    z = x / p
    assert np.allclose(y, z / z.sum(1, keepdims=True))
    g = RNG.rand(3, 4)
    assert np.allclose(arr(m.backward(T(x), T(g))), g / z.sum(1, keepdims=True) / p)
    m.evaluate()
    assert np.array_equal(arr(m.forward(T(x))), x)


def test_tree_nll_criterion_is_minus_the_mean():
    c = nnx.TreeNLLCriterion()
    x = RNG.randn(6)
    assert np.isclose(c.forward(T(x), None), -x.mean())
    assert np.allclose(arr(c.backward(T(x), None)), -np.ones(6) / 6)
    # a 2D input: its first column counts (nnx's nn.Mean took the first entry of the column means)
    x2 = RNG.randn(5, 4)
    assert np.isclose(c.forward(T(x2), None), -x2[:, 0].mean())
    nll = nn.ClassNLLCriterion()
    nll.forward(T(x2), torch.LongTensor([0] * 5))
    assert np.allclose(arr(c.backward(T(x2), None)), arr(nll.backward(T(x2), torch.LongTensor([0] * 5)))[:, :1])


@pytest.mark.parametrize("make", [lambda: nnx.SpatialReSampling(owidth=7, oheight=5),
                                  lambda: nnx.SpatialReSamplingEx(rwidth=2, rheight=2, mode="bilinear", yDim=1, xDim=2),
                                  lambda: nnx.SpatialUpSampling(2, 3), lambda: nnx.SpatialDownSampling(2, 2),
                                  lambda: nnx.SpatialLinear(3, 2), lambda: nnx.SpatialPadding(1, 2, 0, 1, 1, 2, 3.0),
                                  lambda: nnx.MultiSoftMax(), lambda: nnx.SaturatedLU(), lambda: nnx.Minus()])
def test_t7_round_trip(tmp_path, make):
    m = make()
    x = T(RNG.rand(3, 6, 5))
    y = arr(m.forward(x))
    path = str(tmp_path / "m.t7")
    torch.save(path, m)
    back = torch.load(path)
    assert type(back) is type(m)
    assert np.allclose(arr(back.forward(x)), y)


def test_t7_files_keep_dims_one_based():
    for m, fields in ((nnx.SpatialPadding(1, 1, 1, 1, 0, 1), ("y_dim", "x_dim")),
                      (nnx.SpatialUpSampling(2, 2, 2, 3), ("yDim", "xDim")),
                      (nnx.SpatialReSamplingEx(owidth=3, oheight=3, yDim=0, xDim=1), ("yDim", "xDim"))):
        f = m.__t7_write__()
        assert [f[k] for k in fields] == [m.__dict__[k] + 1 for k in fields]
        back = torch.deserialize(torch.serialize(m))
        assert [back.__dict__[k] for k in fields] == [m.__dict__[k] for k in fields]


@pytest.mark.parametrize("dist,norm", [("euclid", True), ("euclid", False), ("cosine", False)])
def test_spatial_graph_edge_weights(dist, norm):
    x = RNG.rand(3, 5, 4)
    m = nnx.SpatialGraph(dist=dist, normalize=norm)
    y = arr(m.forward(T(x)))
    want = np.zeros((2, 5, 4))
    for plane, (p, q) in enumerate(((x[:, :, :-1], x[:, :, 1:]), (x[:, :-1, :], x[:, 1:, :]))):
        if dist == "euclid":
            e = np.sqrt(((p - q) ** 2).sum(0)) / (np.sqrt(3) if norm else 1)
        else:
            e = 3 - ((p + 1e-12) * (q + 1e-12)).sum(0)
        want[plane, :e.shape[0], :e.shape[1]] = e
    assert np.allclose(y, want)
    assert jac(m, T(x)) < 1e-7
    with pytest.raises(TorchError):
        nnx.SpatialGraph(dist="cosine", normalize=True)


HIERARCHY = {29: [30, 1, 2], 1: [3, 4, 5], 2: [6, 7, 8], 3: [9, 10, 11], 8: [24, 25, 26, 27, 28]}


def _tree():
    return {p: torch.IntTensor(c) for p, c in HIERARCHY.items()}


def test_softmax_tree_matches_a_path_of_log_softmaxes():
    m = nnx.SoftMaxTree(6, _tree(), 29)
    x = RNG.randn(4, 6)
    target = [9, 27, 30, 5]
    y = arr(m.forward([T(x), torch.IntTensor(target)]))
    parent = {c: (p, i) for p, cs in HIERARCHY.items() for i, c in enumerate(cs)}
    xt = pt_(x).requires_grad_()
    logp = []
    for e, t in enumerate(target):   # walk up the tree with PyTorch's log_softmax per node
        total, node = 0, t
        while True:
            p, i = parent[node]
            (w, b), _ = m.getNodeParameters(p)
            total = total + pt.log_softmax(xt[e] @ pt_(arr(w)).T + pt_(arr(b)), 0)[i]
            if p == 29:
                break
            node = p
        logp.append(total)
    ref = pt.stack(logp)
    assert np.allclose(y, ref.detach().numpy())
    g = RNG.randn(4)
    ref.backward(pt_(g))
    m.zeroGradParameters()
    gi = m.backward([T(x), torch.IntTensor(target)], T(g))[0]
    assert np.allclose(arr(gi), xt.grad.numpy())
    # the nodes on the paths are the ones updated, each by its number of examples
    assert m.updates == {29: 4, 3: 1, 1: 2, 8: 1, 2: 1}
    (w8, b8), (gw8, gb8) = m.getNodeParameters(8)
    w, b = pt_(arr(w8)).requires_grad_(), pt_(arr(b8)).requires_grad_()
    out = pt.log_softmax(pt_(x[1]) @ w.T + b, 0)[3] * g[1]
    out.backward()
    assert np.allclose(arr(gw8), w.grad.numpy()) and np.allclose(arr(gb8), b.grad.numpy())
    before = arr(w8)
    m.updateParameters(0.5)
    assert np.allclose(arr(m.getNodeParameters(8)[0][0]), before - 0.5 * w.grad.numpy())


def test_softmax_tree_rejects_unknown_targets_and_round_trips():
    m = nnx.SoftMaxTree(6, _tree(), 29)
    with pytest.raises(TorchError):
        m.forward([torch.randn(1, 6), torch.IntTensor([99])])
    x, t = torch.randn(3, 6), torch.IntTensor([10, 26, 4])
    back = torch.deserialize(torch.serialize(m))
    assert np.allclose(arr(back.forward([x, t])), arr(m.forward([x, t])))


def test_push_pull_moves_an_entry_past_other_modules():
    push = nnx.PushTable(1)
    seq = nn.Sequential().add(push).add(nn.SelectTable(0)).add(nn.MulConstant(3)).add(push.pull(1))
    a, b = T(RNG.rand(2, 3)), T(RNG.rand(4))
    out = seq.forward([a, b])
    assert np.allclose(arr(out[0]), 3 * arr(a)) and out[1] is b
    ga, gb = seq.backward([a, b], [T(np.ones((2, 3))), T(np.full(4, 2.0))])
    assert np.allclose(arr(ga), 3) and np.allclose(arr(gb), 2)


def test_spatial_normalization_against_its_formula():
    nf, k = 2, 3
    ker = np.outer([1, 2, 1], [1, 2, 1]).astype(float)
    m = nnx.SpatialNormalization(nf, T(ker), 0.1)
    x = RNG.rand(nf, 6, 7)
    y = arr(m.forward(T(x)))
    kn = pt_(ker / ker.sum())[None, None]

    def local(v):   # kernel-weighted sum over all planes, zero edges
        return F.conv2d(pt_(v).sum(0)[None, None], kn, padding=1)[0, 0].numpy()
    coef = local(np.ones((nf, 6, 7)))
    zero_mean = x - local(x) / coef
    std = np.sqrt(local(zero_mean ** 2)) / coef
    assert np.allclose(y, zero_mean / np.where(std > 0.1, std, 0.1))
    assert jac(m, T(x)) < 1e-6


def test_spatial_pyramid_and_fovea_scales():
    conv = [nn.SpatialConvolution(2, 3, 3, 3), nn.SpatialConvolution(2, 3, 3, 3)]
    pyr = nnx.SpatialPyramid([1, 2], conv, 3, 3, 1, 1)
    x = RNG.rand(2, 8, 8)
    outs = pyr.forward(T(x))
    full = F.conv2d(pt_(x[None]), pt_(arr(conv[0].weight)), pt_(arr(conv[0].bias)), padding=1)[0].numpy()
    assert np.allclose(arr(outs[0]), full)
    half = F.conv2d(F.avg_pool2d(pt_(x[None]), 2), pt_(arr(conv[1].weight)), pt_(arr(conv[1].bias)), padding=1)
    assert np.allclose(arr(outs[1]), half[0].numpy().repeat(2, 1).repeat(2, 2))
    fov = nnx.SpatialFovea(nInputPlane=2, ratios=[1, 2], processors=[nn.SpatialConvolution(2, 3, 3, 3),
                                                                      nn.SpatialConvolution(2, 3, 3, 3)],
                           fov=3, sub=1)
    x = T(RNG.rand(2, 8, 8))
    y = fov.forward(x)
    assert tuple(y.size()) == (6, 8, 8)
    assert jac(fov, x) < 1e-8
    fov.focus(3, 4)
    assert tuple(fov.forward(x).size()) == (6, 1, 1)
    assert jac(fov, x) < 1e-8
    # focused at 0-based (3, 4): scale 1's window is the padded map's 3x3 block at (y=4, x=3)
    p = F.pad(pt_(arr(x)), (1, 1, 1, 1)).numpy()[:, 4:7, 3:6]
    w = fov.processors[0]
    want = (arr(w.weight) * p[None]).sum(axis=(1, 2, 3)) + arr(w.bias)
    assert np.allclose(arr(fov.output)[:3, 0, 0], want)


def test_ctc_criterion_matches_pytorch_ctc_loss():
    T_, B, D = 6, 3, 5
    x = RNG.randn(T_, B, D)
    targets = [[1, 2, 2], [3], [4, 1]]
    sizes = [6, 4, 5]
    c = nnx.CTCCriterion()
    loss = c.forward(T(x), targets, torch.Tensor(sizes))
    xt = pt_(x).requires_grad_()
    ref = F.ctc_loss(pt.log_softmax(xt, 2), pt.tensor(sum(targets, [])), pt.tensor(sizes),
                     pt.tensor([len(t) for t in targets]), blank=0, reduction="sum")
    assert np.isclose(loss, ref.item() / B)
    ref.backward()
    g = arr(c.updateGradInput(T(x), targets))
    assert np.allclose(g, xt.grad.numpy(), atol=1e-6)   # stored as a FloatTensor, as warp-ctc's
    # batch first: the same sequences, the gradient back in batch x time order
    cb = nnx.CTCCriterion(True)
    assert np.isclose(cb.forward(T(x.transpose(1, 0, 2)), targets, torch.Tensor(sizes)), loss)
    assert np.allclose(arr(cb.updateGradInput(T(x.transpose(1, 0, 2)), targets)), g.transpose(1, 0, 2), atol=1e-6)
    with pytest.raises(TorchError):
        c.forward(T(x), [[0], [1], [1]], torch.Tensor(sizes))   # 0 is the blank


def test_dist_margin_criterion_against_its_formula():
    x = RNG.rand(3, 5)
    t = np.array([[1, 3, -1, -1, -1], [0, -1, 2, 2, 2], [4, 2, 0, -1, -1]])   # -1 ends a row
    c = nnx.DistMarginCriterion()
    loss = c.forward(T(x), T(t))
    total, grad = 0.0, np.zeros_like(x)
    for r in range(3):
        targets = list(t[r, :list(t[r]).index(-1)] if -1 in t[r] else t[r])
        best = min(targets, key=lambda k: x[r, k])
        for d in range(5):
            z = 1 - x[r, best] + x[r, d]
            if d not in targets and z > 0:
                total += z
                grad[r, d] += 1 / 5
                grad[r, best] -= 1 / 5
    assert np.isclose(loss, total / 5)
    assert np.allclose(arr(c.backward(T(x), T(t))), grad)
    with pytest.raises(TorchError):
        c.forward(T(x), T(np.full((3, 5), 7)))


def test_spatial_max_sampling_windows():
    x = RNG.rand(2, 7, 10)
    m = nnx.SpatialMaxSampling(owidth=4, oheight=3)
    y = arr(m.forward(T(x)))
    want = np.zeros((2, 3, 4))
    for i in range(3):
        for j in range(4):
            y0, x0 = int(i * np.float32(7 / 3)), int(j * np.float32(10 / 4))
            y1 = max(y0 + 1, int((i + 1) * np.float32(7 / 3)))
            x1 = max(x0 + 1, int((j + 1) * np.float32(10 / 4)))
            want[:, i, j] = x[:, y0:y1, x0:x1].max(axis=(1, 2))
    assert np.array_equal(y, want)
    assert jac(m, T(x)) < 1e-8
    up = nnx.SpatialMaxSampling({"owidth": 5, "oheight": 4})   # more outputs than inputs: windows of 1
    assert jac(up, T(RNG.rand(1, 3, 2))) < 1e-8


def test_spatial_radial_matching_is_a_one_column_matching():
    a, b = RNG.rand(3, 4, 5), RNG.rand(3, 6, 5)
    m = nnx.SpatialRadialMatching(3)
    y = arr(m.forward([T(a), T(b)]))
    assert np.allclose(y, _matching_reference(a, b, 3, 1, False)[..., 0])
    at, bt = pt_(a).requires_grad_(), pt_(b).requires_grad_()
    ref = _matching_torch(at, bt, 3, 1, False)[..., 0]
    g = RNG.rand(*y.shape)
    ref.backward(pt_(g))
    ga, gb = m.backward([T(a), T(b)], T(g))
    assert np.allclose(arr(ga), at.grad.numpy()) and np.allclose(arr(gb), bt.grad.numpy())


@pytest.mark.parametrize("opts", [{}, {"inputIsProbability": True}, {"inputIsLogProbability": True},
                                  {"inputIsADistance": True, "targetIsProbability": False}])
def test_dist_nll_criterion_is_a_cross_entropy(opts):
    x, t = RNG.rand(6) + 0.1, RNG.rand(6)
    c = nnx.DistNLLCriterion(opts)
    xt = pt_(x).requires_grad_()
    q = -xt if opts.get("inputIsADistance") else xt
    logq = q.log() if opts.get("inputIsProbability") else (q if opts.get("inputIsLogProbability")
                                                            else pt.log_softmax(q, 0))
    p = pt_(t) if opts.get("targetIsProbability", True) else pt.softmax(pt_(t), 0)
    ref = -(logq * p).sum()
    assert np.isclose(c.forward(T(x), T(t)), ref.item())
    ref.backward()
    assert np.allclose(arr(c.backward(T(x), T(t))), xt.grad.numpy())


def test_super_criterion_weights_its_criterions():
    a, b, t = RNG.rand(4), RNG.rand(3), RNG.rand(4)
    c = nnx.SuperCriterion()
    c.add(nn.MSECriterion(), 0.5)
    c.add(nn.AbsCriterion())
    tb = RNG.rand(3)
    loss = c.forward([T(a), T(b)], [T(t), T(tb)])
    assert np.isclose(loss, 0.5 * ((a - t) ** 2).mean() + np.abs(b - tb).mean())
    ga, gb = c.backward([T(a), T(b)], [T(t), T(tb)])
    assert np.allclose(arr(ga), 0.5 * 2 * (a - t) / 4) and np.allclose(arr(gb), np.sign(b - tb) / 3)


def test_spatial_classifier_runs_per_pixel():
    lin = nn.Linear(3, 2)
    m = nnx.SpatialClassifier(lin)
    x = RNG.rand(3, 4, 5)
    y = arr(m.forward(T(x)))
    want = F.conv2d(pt_(x[None]), pt_(arr(lin.weight)[:, :, None, None]), pt_(arr(lin.bias)))[0].numpy()
    assert np.allclose(y, want)
    assert jac(m, T(x)) < 1e-8
    assert nn.Jacobian.testJacobianParameters(m, T(x), lin.weight, lin.gradWeight) < 1e-8
    seq = nnx.SpatialClassifier()
    seq.add(nn.Linear(3, 2)).add(nn.LogSoftMax())
    seq.spatialOutput = False
    assert tuple(seq.forward(T(x)).size()) == (20, 2)


@pytest.mark.parametrize("qd", [True, False])
def test_qdriemann_linear_rescales_gradients_by_its_metric(qd):
    m = nnx.QDRiemaNNLinear(4, 3, 0.2, qd)
    assert np.all(arr(m.bias) == 0)
    grads = []
    for step in range(2):
        x, g = RNG.rand(5, 4), RNG.randn(5, 3)
        m.zeroGradParameters()
        m.forward(T(x))
        m.backward(T(x), T(g))
        grads.append((x, g, arr(m.gradWeight), arr(m.gradBias)))
    mii = m00 = m0i = None
    for x, g, gw_got, gb_got in grads:
        g2 = (g ** 2).T
        new = (g2 @ x ** 2, g2 @ x, g2.sum(1))
        if mii is None:
            mii, m0i, m00 = new
        else:
            mii, m0i, m00 = [0.8 * a + 0.2 * b for a, b in zip((mii, m0i, m00), new)]
        gw, gb = g.T @ x, g.sum(0)
        if qd:
            w = (gw * m00[:, None] - m0i * gb[:, None]) / np.clip(mii * m00[:, None] - m0i ** 2, 1e-12, 1e25)
            b = (gb - (m0i * w).sum(1)) / (m00 + 1e-12)
        else:
            mii, m00 = mii + 1e-12, m00 + 1e-12
            w, b = gw / mii, gb / m00
        assert np.allclose(gw_got, w) and np.allclose(gb_got, b)


@pytest.mark.parametrize("shape", [(3, 4, 6), (2, 2, 6, 4)])
def test_pixel_sort_is_pixel_unshuffle(shape):
    x = RNG.rand(*shape)
    m = nnx.PixelSort(2)
    y = arr(m.forward(T(x)))
    want = F.pixel_unshuffle(pt_(x if len(shape) == 4 else x[None]), 2).numpy()
    assert np.array_equal(y, want.reshape(y.shape))
    assert jac(m, T(x)) < 1e-8
    with pytest.raises(TorchError):
        m.forward(torch.rand(1, 3, 4))


def test_spatial_color_transform():
    x = RNG.rand(3, 4, 5)
    yuv = arr(nnx.SpatialColorTransform("rgb2yuv").forward(T(x)))
    r, g, b = x
    assert np.allclose(yuv[0], 0.299 * r + 0.587 * g + 0.114 * b)
    assert np.allclose(yuv[1], -0.14713 * r - 0.28886 * g + 0.436 * b)
    back = arr(nnx.SpatialColorTransform("yuv2rgb").forward(T(yuv)))
    assert np.allclose(back, x, atol=1e-4)   # the two published matrices are inverses to 4 digits
    m = nnx.SpatialColorTransform("rgb2y")
    assert jac(m, T(x)) < 1e-8
    hsv = nnx.SpatialColorTransform("rgb2hsv").forward(T(x))
    assert np.allclose(arr(nnx.SpatialColorTransform("hsv2rgb").forward(hsv)), x)
    both = arr(nnx.SpatialColorTransform("rgb2y+nrgb").forward(T(x)))
    assert both.shape == (4, 4, 5) and np.allclose(both[0], yuv[0])
    assert np.allclose(both[1:], x / x.sum(0))
    with pytest.raises(TorchError):
        nnx.SpatialColorTransform("rgb2hsl").backward(T(x), T(x))


def test_spatial_resampling_backward_takes_the_output_size_from_grad_output():
    # nnx's kernel reads owidth/oheight from gradOutput: a module made for 8x8 outputs gives the
    # gradient of a 4x4 resampling when handed a 4x4 gradOutput (torch/rnn's SpatialGlimpse test)
    import torch as ref
    from pytorch_lite import nnx
    x = torch.randn(2, 3, 9, 9)
    g = torch.randn(2, 3, 4, 4)
    m8 = nnx.SpatialReSampling(oheight=8, owidth=8)
    m4 = nnx.SpatialReSampling(oheight=4, owidth=4)
    m4.forward(x)
    want = m4.updateGradInput(x, g).clone()
    got = m8.updateGradInput(x, g)
    np.testing.assert_allclose(got._a, want._a, atol=1e-12)
    xr = ref.tensor(x._a, requires_grad=True)
    ref.nn.functional.interpolate(xr, size=(4, 4), mode="bilinear", align_corners=True).backward(ref.tensor(g._a))
    # (nnx computes its sampling ratios in float: agreement to float precision)
    np.testing.assert_allclose(got._a, xr.grad.numpy(), rtol=1e-5, atol=1e-6)
