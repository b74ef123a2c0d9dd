"""Reductions: every value of the Torch7 'reductions', 'cumulative', 'stdvar' and 'norms'
fixtures (Lua's 1-based dims and indices moved to 0-based), then numpy / PyTorch on random data."""
import math

import numpy as np
import pytest
import torch as pt

import pytorch_lite as torch
from pytorch_lite.errors import TorchIndexError, TorchTypeError, TorchValueError
import t7index

# NaN, inf and integer wrap-around are the point here: numpy's RuntimeWarnings about them are noise
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

D = torch.DoubleTensor
FIXTURES = {"reductions": {}, "cumulative": {}, "stdvar": {}, "norms": {}}
R = FIXTURES["reductions"]
for _f in ("sum", "prod", "mean", "max", "min"):
    R["torch.%s(x)" % _f] = (lambda f: lambda I: getattr(torch, f)(I["x"]))(_f)
    for _v, _dims in (("x", (1, 2)), ("t3", (2, 3))):
        for _d in _dims:
            R["torch.%s(%s, %d)" % (_f, _v, _d)] = (lambda f, v, d: lambda I: getattr(torch, f)(I[v], d - 1))(_f, _v, _d)
R.update({
    "torch.max(tie, 2)": lambda I: torch.max(I["tie"], 1),
    "torch.min(tie, 2)": lambda I: torch.min(I["tie"], 1),
    "torch.max(tie, 1)": lambda I: torch.max(I["tie"], 0),
    "torch.min(tie, 1)": lambda I: torch.min(I["tie"], 0),
    "torch.sum(il)": lambda I: torch.sum(I["il"]),
    "torch.sum(il, 2)": lambda I: torch.sum(I["il"], 1),
    "torch.max(il, 1)": lambda I: torch.max(I["il"], 0),
    "torch.prod(il, 2)": lambda I: torch.prod(I["il"], 1),
    "torch.mean(x:float(), 2)": lambda I: torch.mean(I["x"].float(), 1),
    "x:max()": lambda I: I["x"].max(),
    "x:sum()": lambda I: I["x"].sum(),
    "torch.cmax(x, 0)": lambda I: torch.cmax(I["x"], 0),
    "x:ne(0):all()": lambda I: I["x"].ne(0).all(),
    "x:gt(3):any()": lambda I: I["x"].gt(3).any(),
    "x:gt(5):any()": lambda I: I["x"].gt(5).any(),
})
FIXTURES["cumulative"].update({
    "torch.cumsum(v)": lambda I: torch.cumsum(I["v"]),
    "torch.cumprod(v)": lambda I: torch.cumprod(I["v"]),
    "torch.cumsum(x)": lambda I: torch.cumsum(I["x"]),
    "torch.cumsum(x, 1)": lambda I: torch.cumsum(I["x"], 0),
    "torch.cumsum(x, 2)": lambda I: torch.cumsum(I["x"], 1),
    "torch.cumprod(x)": lambda I: torch.cumprod(I["x"]),
    "torch.cumprod(x, 1)": lambda I: torch.cumprod(I["x"], 0),
    "torch.cumprod(x, 2)": lambda I: torch.cumprod(I["x"], 1),
    "torch.cumsum(il, 2)": lambda I: torch.cumsum(I["il"], 1),
    "torch.cumprod(il, 1)": lambda I: torch.cumprod(I["il"], 0),
})
S = FIXTURES["stdvar"]
for _f in ("std", "var"):
    for _v in ("v", "x"):
        S["torch.%s(%s)" % (_f, _v)] = (lambda f, v: lambda I: getattr(torch, f)(I[v]))(_f, _v)
        S["torch.%s(%s, true)" % (_f, _v)] = (lambda f, v: lambda I: getattr(torch, f)(I[v], True))(_f, _v)
    for _d in (1, 2):
        S["torch.%s(x, %d)" % (_f, _d)] = (lambda f, d: lambda I: getattr(torch, f)(I["x"], d - 1))(_f, _d)
        S["torch.%s(x, %d, true)" % (_f, _d)] = (lambda f, d: lambda I: getattr(torch, f)(I["x"], d - 1, True))(_f, _d)
S.update({
    "torch.std(v, 1, false)": lambda I: torch.std(I["v"], 0, False),
    "torch.var(v, 1, true)": lambda I: torch.var(I["v"], 0, True),
    "torch.std(one, 2)": lambda I: torch.std(I["one"], 1),
    "torch.var(one, 2, true)": lambda I: torch.var(I["one"], 1, True),
    "torch.std(D({42}))": lambda I: torch.std(D([42])),
})
FIXTURES["norms"].update({
    "torch.norm(x)": lambda I: torch.norm(I["x"]),
    "torch.norm(x, 1)": lambda I: torch.norm(I["x"], 1),
    "torch.norm(x, 3)": lambda I: torch.norm(I["x"], 3),
    "torch.norm(x, 0.5)": lambda I: torch.norm(I["x"], 0.5),
    "torch.norm(x, 0)": lambda I: torch.norm(I["x"], 0),
    "torch.norm(x, math.huge)": lambda I: torch.norm(I["x"], math.inf),
    "torch.norm(x, 2, 1)": lambda I: torch.norm(I["x"], 2, 0),
    "torch.norm(x, 2, 2)": lambda I: torch.norm(I["x"], 2, 1),
    "torch.norm(x, 1, 2)": lambda I: torch.norm(I["x"], 1, 1),
    "torch.norm(x, 3, 1)": lambda I: torch.norm(I["x"], 3, 0),
    "torch.norm(x, 0, 2)": lambda I: torch.norm(I["x"], 0, 1),
    "torch.renorm(x, 2, 1, 3)": lambda I: torch.renorm(I["x"], 2, 0, 3),
    "torch.renorm(x, 1, 2, 4)": lambda I: torch.renorm(I["x"], 1, 1, 4),
    "torch.renorm(x, 2, 2, 100)": lambda I: torch.renorm(I["x"], 2, 1, 100),
    "torch.dist(x, y)": lambda I: torch.dist(I["x"], I["y"]),
    "torch.dist(x, y, 1)": lambda I: torch.dist(I["x"], I["y"], 1),
    "torch.dist(x, y, 3)": lambda I: torch.dist(I["x"], I["y"], 3),
    "torch.dist(x, y, math.huge)": lambda I: torch.dist(I["x"], I["y"], math.inf),
})
CASES = [(topic, expr) for topic in sorted(FIXTURES) for expr in sorted(FIXTURES[topic])]


@pytest.mark.parametrize("topic", sorted(FIXTURES))
def test_every_fixture_expression_is_covered(topic):
    assert set(t7index.load()[topic]["results"]) == set(FIXTURES[topic])
    assert t7index.load()[topic]["missing"] == []


@pytest.mark.parametrize("topic,expr", CASES)
def test_torch7_fixture(topic, expr):
    inputs = {k: t7index.tensor(v) for k, v in t7index.load()[topic]["inputs"].items()}
    t7index.check(FIXTURES[topic][expr](inputs), t7index.load()[topic]["results"][expr], index_shift=1)


# ---------------------------------------------------------------------------------------------------
RNG = np.random.default_rng(11)
CLS = {np.dtype(c.dtype): c for c in (torch.ByteTensor, torch.CharTensor, torch.ShortTensor,
                                        torch.IntTensor, torch.LongTensor, torch.FloatTensor,
                                        torch.DoubleTensor)}
ALL = [np.float64, np.float32, np.uint8, np.int8, np.int16, np.int32, np.int64]


def rand(dtype, shape=(4, 5, 3), transposed=False, lo=-9, hi=9):
    dt = np.dtype(dtype)
    a = (RNG.uniform(lo, hi, shape) if dt.kind == "f"
         else RNG.integers(max(lo, np.iinfo(dt).min), hi + 1, shape)).astype(dt)
    t = CLS[dt]._from_array(a)
    if transposed:
        t = t.transpose(0, 2)
        assert not t.isContiguous()
    return t, t.numpy().copy()


def close(got, want, dtype):
    got = got.numpy() if isinstance(got, torch.Tensor) else np.asarray(got)
    want = np.asarray(want)
    assert got.shape == want.shape
    if np.dtype(dtype).kind == "f":
        tol = 1e-5 if dtype == np.float32 else 1e-12
        np.testing.assert_allclose(got, want, rtol=tol, atol=tol, equal_nan=True)
    else:
        np.testing.assert_array_equal(got, want)


def forms(name, t, args, want, dtype, nout=1):
    """torch.f(t, ...), t.f(...) and torch.f(r..., t, ...) agree with want."""
    f = getattr(torch, name)
    got = f(t, *args)
    meth = getattr(t, name)(*args)
    if nout == 1:
        close(got, want, dtype)
        close(meth, want, dtype)
        r = type(t)()
        assert f(r, t, *args) is r
        close(r, want, dtype)
    else:
        for g, m, w in zip(got, meth, want):
            close(g, w, w.dtype)
            close(m, w, w.dtype)
        v, i = type(t)(), torch.LongTensor()
        assert f(v, i, t, *args) == (v, i)
        close(v, want[0], dtype)
        close(i, want[1], np.int64)


def wrapped(a_int64, dtype):
    return a_int64.astype(dtype)    # C conversion of a long accumulator: keeps the low bits


@pytest.mark.parametrize("transposed", [False, True])
@pytest.mark.parametrize("dtype", ALL)
def test_sum_prod_cum_against_numpy(dtype, transposed):
    t, a = rand(dtype, transposed=transposed, lo=-3, hi=3)
    acc = np.float64 if np.dtype(dtype).kind == "f" else np.int64
    assert torch.sum(t) == pytest.approx(a.sum(dtype=acc), rel=1e-12)
    assert torch.prod(t) == pytest.approx(a.prod(dtype=acc), rel=1e-12)
    assert t.sum() == torch.sum(t)
    assert type(torch.sum(t)) is (float if acc is np.float64 else int)
    for d in range(3):
        forms("sum", t, (d,), wrapped(a.sum(axis=d, dtype=acc, keepdims=True), dtype), dtype)
        forms("prod", t, (d,), wrapped(a.prod(axis=d, dtype=acc, keepdims=True), dtype), dtype)
        forms("cumsum", t, (d,), wrapped(np.cumsum(a, axis=d, dtype=acc), dtype), dtype)
        forms("cumprod", t, (d,), wrapped(np.cumprod(a, axis=d, dtype=acc), dtype), dtype)
    close(torch.cumsum(t), wrapped(np.cumsum(a, axis=0, dtype=acc), dtype), dtype)


@pytest.mark.parametrize("transposed", [False, True])
@pytest.mark.parametrize("dtype", ALL)
def test_max_min_against_pytorch(dtype, transposed):
    t, a = rand(dtype, transposed=transposed, lo=0, hi=4)       # small range: many ties
    assert torch.max(t) == a.max() and torch.min(t) == a.min() and t.max() == a.max()
    p = pt.from_numpy(np.ascontiguousarray(a).astype(np.float64))
    for d in range(3):
        for name, npf in (("max", np.argmax), ("min", np.argmin)):
            idx = npf(a, axis=d, keepdims=True)                  # first position on ties
            vals = np.take_along_axis(a, idx, axis=d)
            forms(name, t, (d,), (vals, idx.astype(np.int64)), dtype, nout=2)
            pv, _ = getattr(pt, name)(p, d, keepdim=True)
            close(torch.DoubleTensor(vals.astype(np.float64)), pv.numpy(), np.float64)


def test_max_min_with_nan():
    n = D([1, float("nan"), -1, float("inf"), float("nan")])
    assert math.isnan(torch.max(n)) and math.isnan(torch.min(n))
    m = D([[1, float("nan"), 5], [7, 2, float("nan")]])
    for f in (torch.max, torch.min):
        v, i = f(m, 1)
        assert np.isnan(v.numpy()).all() and i.numpy().ravel().tolist() == [1, 2]
        v, i = f(m.t(), 0)                                        # the strided path too
        assert np.isnan(v.numpy()).all() and i.numpy().ravel().tolist() == [1, 2]


@pytest.mark.parametrize("transposed", [False, True])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_mean_std_var_norm_against_pytorch(dtype, transposed):
    t, a = rand(dtype, transposed=transposed)
    p = pt.from_numpy(np.ascontiguousarray(a).astype(np.float64))
    assert torch.mean(t) == pytest.approx(p.mean().item(), rel=1e-6)
    for unbiased, flag in ((True, False), (False, True)):
        assert torch.var(t, flag) == pytest.approx(p.var(unbiased=unbiased).item(), rel=1e-6)
        assert torch.std(t, flag) == pytest.approx(p.std(unbiased=unbiased).item(), rel=1e-6)
    for d in range(3):
        forms("mean", t, (d,), p.mean(d, keepdim=True).numpy().astype(dtype), dtype)
        for unbiased, flag in ((True, False), (False, True)):
            forms("var", t, (d, flag), p.var(d, unbiased=unbiased, keepdim=True).numpy().astype(dtype), dtype)
            forms("std", t, (d, flag), p.std(d, unbiased=unbiased, keepdim=True).numpy().astype(dtype), dtype)
        for q in (2, 1, 3, 0.5):
            forms("norm", t, (q, d), p.norm(q, d, keepdim=True).numpy().astype(dtype), dtype)
        forms("norm", t, (0, d), (p != 0).sum(d, keepdim=True).numpy().astype(dtype), dtype)
    for q in (2, 1, 3, 0.5):
        assert torch.norm(t, q) == pytest.approx(p.norm(q).item(), rel=1e-6)
    assert torch.norm(t, 0) == np.count_nonzero(a)
    u, b = rand(dtype, transposed=not transposed)
    pb = pt.from_numpy(np.ascontiguousarray(b).astype(np.float64).reshape(a.shape))  # TH pairs elements in order
    for q in (2, 1, 3):
        assert torch.dist(t, u, q) == pytest.approx(pt.dist(p, pb, q).item(), rel=1e-5)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_renorm_against_pytorch(dtype):
    t, a = rand(dtype)
    p = pt.from_numpy(np.ascontiguousarray(a).astype(np.float64))
    for q, d, maxnorm in ((2, 0, 5.0), (1, 2, 20.0), (3, 1, 4.0)):
        want = pt.renorm(p, q, d, maxnorm).numpy().astype(dtype)
        r = type(t)()
        close(torch.renorm(t, q, d, maxnorm), want, dtype)
        assert torch.renorm(r, t, q, d, maxnorm) is r
        close(r, want, dtype)
        c = t.clone()
        assert c.renorm(q, d, maxnorm) is c                       # the method works in place
        close(c, want, dtype)


def test_all_any_and_errors():
    b = torch.ByteTensor([1, 0, 2])
    assert torch.any(b) is True and torch.all(b) is False and torch.ByteTensor([2, 1]).all() is True
    with pytest.raises(TorchTypeError):
        torch.all(D([1, 2]))
    with pytest.raises(TorchValueError):
        torch.ByteTensor().any()
    with pytest.raises(TorchTypeError, match="does not implement the torch.mean"):
        torch.mean(torch.LongTensor([1, 2]))
    with pytest.raises(TorchIndexError):
        torch.sum(D([1, 2]), 1)
    with pytest.raises(TorchValueError):
        torch.max(D())
    with pytest.raises(TorchValueError, match="at least 2 dimensions"):
        torch.renorm(D([1, 2]), 2, 0, 1)
