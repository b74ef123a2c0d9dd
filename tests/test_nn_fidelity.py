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
from pytorch_lite.tensor import Tensor

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
