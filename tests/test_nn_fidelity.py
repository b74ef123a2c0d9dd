"""Fidelity to Torch7's nn beyond the module table: the inner structure of composite modules
(construction-time random draws, t7 fields), IndexLinear (THNN IndexLinear.c semantics, checked
against numpy and finite differences), BatchNormalization's accUpdateGradParameters, and print
strings checked against the __tostring__ of torch/nn's Lua sources."""
import os

import numpy as np
import pytest

import pytorch_lite as torch
import fixture_paths
from pytorch_lite import nn

FIX = os.path.join(fixture_paths.TORCH7, "modules")
D = torch.DoubleTensor


def rs(*shape, seed=0):
    return np.random.RandomState(seed).standard_normal(shape)


def draws_after(seed, build):
    """The first uniform draw after `build()` under `seed`."""
    torch.manualSeed(seed)
    build()
    return float(torch.rand(1)[0])


def nth_draw(seed, n):
    """The (n+1)-th uniform draw under `seed`: what comes next after n draws."""
    torch.manualSeed(seed)
    return float(torch.rand(n + 1)[n])


# -- SpatialSubtractiveNormalization: Torch7's submodules ------------------------------------------

@pytest.mark.parametrize("n,kernel,ndraws", [
    # 2D kernel kh x kw: SpatialConvolution(n, 1, kw, kh) resets weight (n*kh*kw) and bias (1)
    (2, (3, 5), 2 * 15 + 1),
    # 1D kernel K: SpatialConvolutionMap(oneToOne(n), K, 1) draws n*K + n, then
    # SpatialConvolution(n, 1, 1, K) draws n*K + 1
    (3, (5,), 3 * 5 + 3 + 3 * 5 + 1),
])
def test_subtractive_construction_draws_torch7_count(n, kernel, ndraws):
    after = draws_after(7, lambda: nn.SpatialSubtractiveNormalization(n, D(*kernel).fill(1)))
    assert after == nth_draw(7, ndraws)


def test_divisive_and_contrastive_construction_draw_counts():
    k2, k1 = (3, 3), (3,)
    sub2, div2 = 2 * 9 + 1, 2 * (2 * 9 + 1)
    sub1 = 2 * 3 + 2 + 2 * 3 + 1
    assert draws_after(1, lambda: nn.SpatialDivisiveNormalization(2, D(*k2).fill(1))) == nth_draw(1, div2)
    assert draws_after(1, lambda: nn.SpatialContrastiveNormalization(2, D(*k2).fill(1))) == nth_draw(1, sub2 + div2)
    assert draws_after(1, lambda: nn.SpatialContrastiveNormalization(2, D(*k1).fill(1))) == nth_draw(1, 3 * sub1)


def _fixture(name):
    return torch.load(os.path.join(FIX, name + ".t7"))


def test_subtractive_fields_match_torch7_file():
    d = _fixture("SpatialSubtractiveNormalization")
    ref = d["module"]
    ours = nn.SpatialSubtractiveNormalization(2, torch.ones(3))
    # the kernel is normalised in place by sum * nInputPlane (1D kernels too)
    assert np.array_equal(ours.kernel._a, ref.kernel._a)
    assert [m.typename for m in ours.meanestimator.modules] == [m.typename for m in ref.meanestimator.modules]
    for a, b in zip(ours.meanestimator.modules, ref.meanestimator.modules):
        for k in ("weight", "bias"):
            if k in b.__dict__:
                assert a.__dict__[k]._size == b.__dict__[k]._size
                assert np.array_equal(a.__dict__[k]._a, b.__dict__[k]._a)
    ours.forward(d["input"])
    ours.backward(d["input"], d["gradOutput"])
    assert set(ref.__dict__) - set(ours.__dict__) - {"train"} == set()
    for k in ("coef", "_coef", "ones", "localsums", "adjustedsums"):
        assert ours.__dict__[k]._size == ref.__dict__[k]._size, k
        assert np.array_equal(ours.__dict__[k]._a, ref.__dict__[k]._a) or np.allclose(
            ours.__dict__[k]._a, ref.__dict__[k]._a, rtol=1e-12, atol=1e-15), k
    assert list(ours._inpsz) == list(ref._inpsz)
    assert np.allclose(ours.output._a, d["output"]._a, rtol=1e-12, atol=1e-14)
    assert np.allclose(ours.gradInput._a, d["gradInput"]._a, rtol=1e-12, atol=1e-14)


def test_subtractive_uses_loaded_inner_weights(tmp_path):
    """A loaded module computes with its meanestimator, not with its `kernel` field."""
    m = nn.SpatialSubtractiveNormalization(2, D(np.ones((3, 3))))
    other = nn.SpatialSubtractiveNormalization(2, D(np.outer([1.0, 2, 1], [1, 3, 1])))
    m.meanestimator.modules[1].weight.copy(other.meanestimator.modules[1].weight)
    p = str(tmp_path / "sub.t7")
    torch.save(p, m)
    back = torch.load(p)
    assert isinstance(back.meanestimator, nn.Sequential)
    x = D(rs(2, 2, 6, 5))
    assert np.allclose(back.forward(x)._a, other.forward(x)._a, atol=1e-14)


@pytest.mark.parametrize("kernel,shape", [((3, 3), (2, 4, 5)), ((5,), (3, 2, 6, 6)), ((3, 5), (2, 2, 7, 6))])
def test_subtractive_matches_pytorch(kernel, shape):
    import torch as T
    import torch.nn.functional as Fn
    k = np.asarray(rs(*kernel, seed=3) ** 2 + 0.1)
    k2 = k if k.ndim == 2 else np.outer(k, k)
    n = shape[-3]
    m = nn.SpatialSubtractiveNormalization(n, D(k.copy()))
    x = rs(*shape, seed=4)
    xt = T.from_numpy(x if x.ndim == 4 else x[None]).requires_grad_()
    w = T.from_numpy(np.broadcast_to(k2, (1, n) + k2.shape).copy())
    p = (k2.shape[0] // 2, k2.shape[1] // 2)
    mean = Fn.conv2d(xt, w, padding=p) / Fn.conv2d(T.ones_like(xt[:1]), w, padding=p)
    ref = xt - mean
    g = rs(*ref.shape, seed=5)
    ref.backward(T.from_numpy(g))
    y = m.forward(D(x))
    gi = m.backward(D(x), D(g if x.ndim == 4 else g[0]))
    assert np.allclose(y._a, ref.detach().numpy().reshape(shape), atol=1e-13)
    assert np.allclose(gi._a, xt.grad.numpy().reshape(shape), atol=1e-13)
    # a second forward with another batch size recomputes coef
    if x.ndim == 4:
        x1 = x[:1]
        assert np.allclose(m.forward(D(x1))._a, ref.detach().numpy()[:1], atol=1e-13)


def test_subtractive_type_and_clear_state():
    m = nn.SpatialSubtractiveNormalization(2, D(3).fill(1))
    x = rs(2, 5, 5)
    y = m.forward(D(x)).clone()
    m.clearState()
    m.float()
    assert m.meanestimator.modules[1].weight.type() == "torch.FloatTensor"
    yf = m.forward(torch.FloatTensor(x.astype(np.float32)))
    assert yf.type() == "torch.FloatTensor"
    assert np.allclose(yf._a, y._a, atol=1e-5)


# -- IndexLinear (THNN IndexLinear.c) ----------------------------------------------------------------

def _il_input(seed, B, nin, rep=True):
    r = np.random.RandomState(seed)
    keys, vals = [], []
    for b in range(B):
        n = r.randint(1, 6)  # Torch7 asserts 1D keys: an empty sample has no dimension
        k = r.randint(0, nin, n) if rep else r.permutation(nin)[:n]
        keys.append(torch.LongTensor(k.tolist()) if n else torch.LongTensor())
        vals.append(D(r.standard_normal(n).tolist()) if n else D())
    return keys, vals


def _dense(keys, vals, nin, offset=0):
    X = np.zeros((len(keys), nin))
    for b, (k, v) in enumerate(zip(keys, vals)):
        for kk, vv in zip(np.asarray(k._a).reshape(-1), np.asarray(v._a).reshape(-1)):
            X[b, kk + offset] += vv
    return X


def _il(nin, nout, seed=0, **kw):
    m = nn.IndexLinear(nin, nout, **kw)
    torch.manualSeed(seed)
    m.reset(0.5)
    return m


def test_index_linear_construction_is_zero_and_draws_nothing():
    assert draws_after(3, lambda: nn.IndexLinear(10, 4, normalize=True)) == nth_draw(3, 0)
    m = nn.IndexLinear(10, 4, normalize=True)
    assert m.weight._size == (10, 8) and m.outputSize == 4 and m.inputSize == 10 and m.offset == 0
    assert not m.weight._a.any() and not m.bias._a.any()


@pytest.mark.parametrize("nout", [1, 3, 60])
def test_index_linear_forward_backward_match_dense_autograd(nout):
    import torch as T
    nin = 7
    m = _il(nin, nout, doGradInput=True)
    keys, vals = _il_input(1, 4, nin)
    X = _dense(keys, vals, nin)
    W0, b0 = m.weight._a.copy(), m.bias._a.copy()
    Wt = T.from_numpy(W0.copy()).requires_grad_()
    bt = T.from_numpy(b0.copy()).requires_grad_()
    Xt = T.from_numpy(X).requires_grad_()
    out = Xt @ Wt + bt
    g = rs(4, nout, seed=2)
    out.backward(T.from_numpy(g))
    y = m.forward([keys, vals])
    assert np.allclose(y._a, out.detach().numpy(), rtol=1e-12, atol=1e-13)
    gi = m.backward([keys, vals], D(g))
    for b in range(4):
        assert np.array_equal(gi[0][b]._a, np.arange(nin))
        assert np.allclose(gi[1][b]._a, Xt.grad.numpy()[b], rtol=1e-12, atol=1e-13)
    # a second accumulation before the update, then updateParameters applies both
    keys2, vals2 = _il_input(5, 3, nin)
    X2 = _dense(keys2, vals2, nin)
    g2 = rs(3, nout, seed=6)
    m.forward([keys2, vals2])
    m.backward([keys2, vals2], D(g2), 0.5)
    m.updateParameters(0.1)
    gw = Wt.grad.numpy() + 0.5 * X2.T @ g2
    gb = bt.grad.numpy() + 0.5 * g2.sum(0)
    assert np.allclose(m.weight._a, W0 - 0.1 * gw, rtol=1e-12, atol=1e-13)
    assert np.allclose(m.bias._a, b0 - 0.1 * gb, rtol=1e-12, atol=1e-13)
    m.zeroGradParameters()
    W1 = m.weight._a.copy()
    m.updateParameters(0.1)  # nothing accumulated since zeroGradParameters
    assert np.array_equal(m.weight._a, W1)


def test_index_linear_input_formats_and_offset():
    nin, nout = 6, 3
    m = _il(nin + 2, nout, keysOffset=2)
    keys, vals = _il_input(3, 3, nin)
    X = _dense(keys, vals, nin + 2, offset=2)
    ref = X @ m.weight._a + m.bias._a
    assert np.allclose(m.forward([keys, vals])._a, ref, atol=1e-13)
    flat_k = torch.LongTensor(sum((np.asarray(k._a).reshape(-1).tolist() for k in keys), []))
    flat_v = D(sum((np.asarray(v._a).reshape(-1).tolist() for v in vals), []))
    sizes = torch.LongTensor([k.nElement() for k in keys])
    assert np.allclose(m.forward([flat_k, flat_v, sizes])._a, ref, atol=1e-13)
    # a flat batch may hold empty samples (their output is the bias)
    y = m.forward([torch.LongTensor([1, 4, 0]), D([0.5, -2.0, 1.5]), torch.LongTensor([2, 0, 1])])
    W, b = m.weight._a, m.bias._a
    assert np.allclose(y._a, [b + 0.5 * W[3] - 2 * W[6], b, b + 1.5 * W[2]], atol=1e-13)
    one = m.forward([keys[0], vals[0]])
    assert one._size == (nout,) and np.allclose(one._a, ref[0], atol=1e-13)
    with pytest.raises(Exception):
        m.forward([torch.LongTensor([nin]), D([1.0])])  # row nin + 2 is out of range


def _norm_reference_forward(W, b, rows, vals, sizes, train):
    """THNN IndexLinear_updateOutput with maxNormalize, one key at a time."""
    out = np.zeros((len(sizes), b.size))
    nv = np.zeros(len(vals))
    p = 0
    for j, n in enumerate(sizes):
        out[j] = b
        for _ in range(n):
            r, v = rows[p], vals[p]
            a = abs(v)
            if train:
                if a > W[r, 0]:
                    W[r, 0], W[r, 1] = a, 1 / a
                W[r, 2] = 1
            nv[p] = (np.sign(v) if a > W[r, 0] else v * W[r, 1]) + W[r, 3]
            out[j] += W[r, 4:] * nv[p]
            p += 1
    return out, nv


@pytest.mark.parametrize("nout", [1, 3])
def test_index_linear_normalize_matches_sequential_reference(nout):
    nin = 5
    m = _il(nin, nout, normalize=True)
    m.weight._a[:, 3] = rs(nin, seed=9) * 0.1  # per-feature bias
    keys, vals = _il_input(11, 4, nin)  # repeated keys: the max-abs grows in input order
    rows = np.concatenate([np.asarray(k._a, np.int64).reshape(-1) for k in keys])
    v = np.concatenate([np.asarray(x._a).reshape(-1) for x in vals])
    sizes = [k.nElement() for k in keys]
    W, b = m.weight._a.copy(), m.bias._a.copy()
    # evaluate mode (train is nil until training()): no max-abs update, values clamped by sign
    ref, _ = _norm_reference_forward(W, b, rows, v, sizes, False)
    assert np.allclose(m.forward([keys, vals])._a, ref, rtol=1e-12, atol=1e-14)
    m.training()
    ref, nv = _norm_reference_forward(W, b, rows, v, sizes, True)
    assert np.allclose(m.forward([keys, vals])._a, ref, rtol=1e-12, atol=1e-14)
    assert np.array_equal(m.weight._a, W)
    assert np.allclose(m.normalizedValues._a, nv, rtol=1e-14)
    # updateParameters: per-key lr scaled by column 2, column 3 moved by the dot with the weights
    g = rs(4, nout, seed=12)
    m.backward([keys, vals], D(g))
    W2, b2 = W.copy(), b - 0.2 * g.sum(0)
    p = 0
    for j, n in enumerate(sizes):
        for _ in range(n):
            r = rows[p]
            lr = 0.2 * W2[r, 2]
            W2[r, 3] -= np.dot(g[j], W2[r, 4:]) * lr
            W2[r, 4:] -= nv[p] * g[j] * lr
            p += 1
    m.updateParameters(0.2)
    assert np.allclose(m.weight._a, W2, rtol=1e-12, atol=1e-14)
    assert np.allclose(m.bias._a, b2, rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize("nout,normalize,wd", [(3, False, 0), (3, False, 0.01), (1, False, 0.01),
                                               (3, True, 0.01), (1, True, 0.0)])
def test_index_linear_acc_update_matches_sequential_reference(nout, normalize, wd):
    nin = 5
    m = _il(nin, nout, normalize=normalize)
    m.weightDecay = wd
    m.training()
    keys, vals = _il_input(21, 3, nin)
    m.forward([keys, vals])
    rows = np.asarray(m.keys._a, np.int64)
    x = np.asarray((m.normalizedValues if normalize else m.values)._a)
    sizes = [k.nElement() for k in keys]
    g = rs(3, nout, seed=22)
    W, b = m.weight._a.copy(), m.bias._a.copy()
    lr, nz = 0.3, 4 if normalize else 0
    p = 0
    for j, n in enumerate(sizes):
        b -= lr * g[j]
        for _ in range(n):
            r = rows[p]
            if nout == 1 and normalize:
                val = g[j, 0] * lr
                W[r, 3] -= W[r, 4] * val * W[r, 2]
                W[r, 4] -= (val * x[p] - wd * W[r, 4]) * W[r, 2]
            else:
                s = W[r, 2] if normalize else 1.0
                if normalize:
                    W[r, 3] -= np.dot(W[r, 4:], g[j]) * lr * s
                W[r, nz:] -= wd * s * W[r, nz:]
                W[r, nz:] -= x[p] * lr * s * g[j]
            p += 1
    if nout == 1 and normalize:
        W[rows, 2] = 0
    m.accUpdateGradParameters([keys, vals], D(g), lr)
    assert np.allclose(m.weight._a, W, rtol=1e-12, atol=1e-14)
    assert np.allclose(m.bias._a, b, rtol=1e-12, atol=1e-14)


def test_index_linear_jacobian_wrt_values():
    nin, nout = 6, 2
    m = _il(nin, nout, doGradInput=True)
    keys = [torch.LongTensor([0, 3, 5]), torch.LongTensor([2, 4])]
    base = [rs(3, seed=1), rs(2, seed=2)]
    g = rs(2, nout, seed=3)

    def loss(vs):
        return float((m.forward([keys, [D(v.tolist()) for v in vs]])._a * g).sum())
    m.forward([keys, [D(v.tolist()) for v in base]])
    gi = m.backward([keys, [D(v.tolist()) for v in base]], D(g))
    eps = 1e-6
    for b in range(2):
        for i, k in enumerate(np.asarray(keys[b]._a)):
            up = [v.copy() for v in base]
            dn = [v.copy() for v in base]
            up[b][i] += eps
            dn[b][i] -= eps
            num = (loss(up) - loss(dn)) / (2 * eps)
            assert abs(num - gi[1][b]._a[k]) < 1e-7


def test_index_linear_t7_round_trip(tmp_path):
    m = _il(6, 3, keysOffset=1)
    keys, vals = _il_input(4, 2, 5)
    m.forward([keys, vals])
    m.backward([keys, vals], D(rs(2, 3, seed=1)))
    p = str(tmp_path / "il.t7")
    torch.save(p, m)
    back = torch.load(p)
    assert back.offset == 1 and np.array_equal(back.keys._a, m.keys._a)
    assert back.keys is back.running["keys"][0]
    assert np.array_equal(back.weight._a, m.weight._a)
    back.updateParameters(0.1)
    m.updateParameters(0.1)
    assert np.array_equal(back.weight._a, m.weight._a)
    # in the file, keys are 1-based and offset is keysOffset - 1 (Torch7's fields)
    fields = m._t7_fields_out(dict(m.__dict__))
    assert fields["offset"] == 0 and np.array_equal(fields["keys"]._a, m.keys._a + 1)


# -- BatchNormalization: accUpdateGradParameters is Module's (Torch7 defines none) ---------------------

@pytest.mark.parametrize("make,shape", [(lambda: nn.BatchNormalization(3), (5, 3)),
                                        (lambda: nn.SpatialBatchNormalization(2), (3, 2, 4, 4)),
                                        (lambda: nn.VolumetricBatchNormalization(2), (2, 2, 3, 3, 2))])
@pytest.mark.parametrize("train", [True, False])
def test_batchnorm_acc_update_is_weight_minus_lr_grad(make, shape, train):
    """Torch7: Module:accUpdateGradParameters points gradWeight/gradBias at weight/bias and calls
    accGradParameters(input, gradOutput, -lr): weight -= lr * dL/dweight, same for bias."""
    torch.manualSeed(2)
    m = make()
    m.bias.copy(D(rs(m.bias.nElement(), seed=1).tolist()))
    if not train:
        m.running_mean.copy(D(rs(m.running_mean.nElement(), seed=3).tolist()))
        m.evaluate()
    x, g = D(rs(*shape, seed=4)), D(rs(*shape, seed=5))
    ref = m.clone()
    ref.forward(x)
    ref.zeroGradParameters()
    ref.accGradParameters(x, g, 1)
    w0, b0 = m.weight._a.copy(), m.bias._a.copy()
    gw0, gb0 = m.gradWeight._a.copy(), m.gradBias._a.copy()
    m.forward(x)
    m.accUpdateGradParameters(x, g, 0.25)
    assert np.allclose(m.weight._a, w0 - 0.25 * ref.gradWeight._a, rtol=1e-13, atol=1e-15)
    assert np.allclose(m.bias._a, b0 - 0.25 * ref.gradBias._a, rtol=1e-13, atol=1e-15)
    # the gradient buffers are left as they were
    assert np.array_equal(m.gradWeight._a, gw0) and np.array_equal(m.gradBias._a, gb0)
    assert m.gradWeight is not m.weight
    # backwardUpdate = updateGradInput + accUpdateGradParameters
    m2 = ref.clone()
    m2.forward(x)
    gi = m2.backwardUpdate(x, g, 0.25).clone()
    assert np.allclose(m2.weight._a, ref.weight._a - 0.25 * ref.gradWeight._a, rtol=1e-13, atol=1e-15)
    assert np.allclose(gi._a, ref.updateGradInput(x, g)._a, rtol=1e-13, atol=1e-15)


def test_batchnorm_acc_update_without_affine_is_a_no_op():
    m = nn.BatchNormalization(3, 1e-5, 0.1, False)
    x = D(rs(4, 3))
    m.forward(x)
    m.accUpdateGradParameters(x, D(rs(4, 3, seed=1)), 0.1)
    assert m.__dict__.get("weight") is None and m.__dict__.get("bias") is None
