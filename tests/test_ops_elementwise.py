"""Pointwise math and arithmetic: every value of the Torch7 'elementwise' fixtures, then PyTorch /
numpy as oracles on random data (method, function and result-tensor forms; double, float,
integer types; transposed views)."""
import math

import numpy as np
import pytest
import torch as pt

import pytorch_lite as torch
from pytorch_lite.errors import TorchTypeError, TorchValueError
import t7index

# NaN, inf and integer wrap-around are the point here: numpy's RuntimeWarnings about them are noise
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

# ---------------------------------------------------------------------------------------------------
# Torch7 fixtures: each Lua expression and the same computation in Python (0-based dims).

UNARY_X = ["abs", "sign", "neg", "exp", "sigmoid", "tanh", "sin", "cos", "tan", "atan", "sinh",
           "cosh", "ceil", "floor", "round", "trunc", "frac"]
FIXTURES = {}
FIXTURES.update({"torch.%s(x)" % f: (lambda f: lambda I: getattr(torch, f)(I["x"]))(f) for f in UNARY_X})
FIXTURES.update({"torch.%s(r)" % f: (lambda f: lambda I: getattr(torch, f)(I["r"]))(f)
                 for f in ["ceil", "floor", "round", "trunc", "frac", "abs", "sign"]})
FIXTURES.update({"torch.%s(p)" % f: (lambda f: lambda I: getattr(torch, f)(I["p"]))(f)
                 for f in ["log", "log1p", "sqrt", "rsqrt", "cinv", "exp"]})
FIXTURES.update({
    "torch.asin(u)": lambda I: torch.asin(I["u"]),
    "torch.acos(u)": lambda I: torch.acos(I["u"]),
    "torch.atan2(x, y)": lambda I: torch.atan2(I["x"], I["y"]),
    "torch.pow(x, 2)": lambda I: torch.pow(I["x"], 2),
    "torch.pow(x, 3)": lambda I: torch.pow(I["x"], 3),
    "torch.pow(p, 0.5)": lambda I: torch.pow(I["p"], 0.5),
    "torch.pow(p, -1.5)": lambda I: torch.pow(I["p"], -1.5),
    "torch.pow(2, x)": lambda I: torch.pow(2, I["x"]),
    "torch.cpow(p, y)": lambda I: torch.cpow(I["p"], I["y"]),
    "torch.fmod(x, 1.5)": lambda I: torch.fmod(I["x"], 1.5),
    "torch.fmod(x, -1.5)": lambda I: torch.fmod(I["x"], -1.5),
    "torch.remainder(x, 1.5)": lambda I: torch.remainder(I["x"], 1.5),
    "torch.remainder(x, -1.5)": lambda I: torch.remainder(I["x"], -1.5),
    "torch.clamp(x, -1, 1)": lambda I: torch.clamp(I["x"], -1, 1),
    "torch.lerp(x, y, 0.3)": lambda I: torch.lerp(I["x"], I["y"], 0.3),
    "torch.add(x, 2)": lambda I: torch.add(I["x"], 2),
    "torch.add(x, y)": lambda I: torch.add(I["x"], I["y"]),
    "torch.add(x, 2, y)": lambda I: torch.add(I["x"], 2, I["y"]),
    "torch.csub(x, y)": lambda I: torch.csub(I["x"], I["y"]),
    "torch.mul(x, -0.5)": lambda I: torch.mul(I["x"], -0.5),
    "torch.div(x, 4)": lambda I: torch.div(I["x"], 4),
    "torch.cmul(x, y)": lambda I: torch.cmul(I["x"], I["y"]),
    "torch.cdiv(x, y)": lambda I: torch.cdiv(I["x"], I["y"]),
    "torch.addcmul(x, 0.5, y, p)": lambda I: torch.addcmul(I["x"], 0.5, I["y"], I["p"]),
    "torch.addcdiv(x, 0.5, y, p)": lambda I: torch.addcdiv(I["x"], 0.5, I["y"], I["p"]),
    "torch.cmax(x, y)": lambda I: torch.cmax(I["x"], I["y"]),
    "torch.cmin(x, y)": lambda I: torch.cmin(I["x"], I["y"]),
    "torch.cmax(x, 0.5)": lambda I: torch.cmax(I["x"], 0.5),
    "torch.cmin(x, 0.5)": lambda I: torch.cmin(I["x"], 0.5),
    # Lua operators: the Python operators do the same elementwise work
    "x + y": lambda I: I["x"] + I["y"],
    "x - y": lambda I: I["x"] - I["y"],
    "x * 2": lambda I: I["x"] * 2,
    "2 * x": lambda I: 2 * I["x"],
    "x / 4": lambda I: I["x"] / 4,
    "-x": lambda I: -I["x"],
    "x + 1.5": lambda I: I["x"] + 1.5,
    # integer types: wrap-around, truncating division, C's % and the remainder's sign rule
    "ib:clone():add(10)": lambda I: I["ib"].clone().add(10),
    "ib:clone():mul(2)": lambda I: I["ib"].clone().mul(2),
    "ib:clone():add(-6)": lambda I: I["ib"].clone().add(-6),
    "ii:clone():div(2)": lambda I: I["ii"].clone().div(2),
    "ii:clone():add(1)": lambda I: I["ii"].clone().add(1),
    "torch.fmod(ii, 3)": lambda I: torch.fmod(I["ii"], 3),
    "torch.remainder(ii, 3)": lambda I: torch.remainder(I["ii"], 3),
    "il:clone():div(2)": lambda I: I["il"].clone().div(2),
    "il:clone():div(-2)": lambda I: I["il"].clone().div(-2),
    "torch.fmod(il, 4)": lambda I: torch.fmod(I["il"], 4),
    "torch.remainder(il, 4)": lambda I: torch.remainder(I["il"], 4),
    "torch.abs(il)": lambda I: torch.abs(I["il"]),
    "torch.sign(il)": lambda I: torch.sign(I["il"]),
    "il:clone():mul(3)": lambda I: I["il"].clone().mul(3),
    "torch.cmul(il, il)": lambda I: torch.cmul(I["il"], I["il"]),
})
OUT_OF_SCOPE = {
    "x * y:t()": "matrix product (Lua's * between matrices is mm): linalg",
}


def _inputs(topic):
    return {k: t7index.tensor(v) for k, v in t7index.load()[topic]["inputs"].items()}


def test_every_fixture_expression_is_covered():
    exprs = set(t7index.load()["elementwise"]["results"])
    assert exprs == set(FIXTURES) | set(OUT_OF_SCOPE)


@pytest.mark.parametrize("expr", sorted(FIXTURES))
def test_torch7_fixture(expr):
    inputs = _inputs("elementwise")
    before = {k: v.clone() for k, v in inputs.items()}
    t7index.check(FIXTURES[expr](inputs), t7index.load()["elementwise"]["results"][expr])
    for k, v in inputs.items():       # function forms and clone() leave the inputs alone
        assert torch.equal(v, before[k]) or k in ("r", "x", "p") and np.isnan(v.numpy()).any()


def test_pow_of_long_is_missing_like_torch7():
    missing = t7index.load()["elementwise"]["missing"]
    assert any(m.startswith("torch.pow(il, 2)") for m in missing)
    with pytest.raises(TorchTypeError, match="torch.LongTensor does not implement the torch.pow"):
        torch.pow(_inputs("elementwise")["il"], 2)


# ---------------------------------------------------------------------------------------------------
# Oracles on random data.

RNG = np.random.default_rng(7)
FLOATS = [np.float64, np.float32]
INTS = [np.uint8, np.int8, np.int16, np.int32, np.int64]
CLS = {np.dtype(c.dtype): c for c in (torch.ByteTensor, torch.CharTensor, torch.ShortTensor,
                                        torch.IntTensor, torch.LongTensor, torch.FloatTensor,
                                        torch.DoubleTensor)}


def rand(dtype, shape=(6, 5), lo=-4, hi=4, transposed=False):
    """A tensor of random values and its numpy copy; transposed gives a non-contiguous view."""
    dt = np.dtype(dtype)
    if transposed:
        shape = shape[::-1]
    if dt.kind == "f":
        a = RNG.uniform(lo, hi, shape).astype(dt)
    else:
        info = np.iinfo(dt)
        a = RNG.integers(max(lo, info.min), min(hi, info.max) + 1, shape).astype(dt)
    t = CLS[dt]._from_array(a)
    if transposed:
        t = t.t()
        assert not t.isContiguous()
    return t, t.numpy().copy()


def same(got, want, dtype):
    want = np.asarray(want)
    assert got.numpy().shape == want.shape
    if np.dtype(dtype).kind == "f":
        single = dtype == np.float32       # float32 remainder/fmod cancel: an absolute ulp of 50
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-5 if single else 1e-12,
                                   atol=1e-5 if single else 1e-300, equal_nan=True)
    else:
        np.testing.assert_array_equal(got.numpy(), want.astype(dtype))


def three_forms(name, t, args, want, dtype):
    """torch.f(t, ...) (new), torch.f(r, t, ...) (into r), t.f(...) (in place, returns t)."""
    f = getattr(torch, name)
    orig = t.clone()
    same(f(t, *args), want, dtype)
    assert torch.equal(t, orig)
    r = CLS[np.dtype(dtype)](2)
    assert f(r, t, *args) is r
    same(r, want, dtype)
    res = getattr(t, name)(*args)
    assert res is t
    same(t, want, dtype)


with np.errstate(all="ignore"):
    PT_UNARY = {  # name -> (PyTorch reference, low, high)
        "abs": (pt.abs, -4, 4), "neg": (pt.neg, -4, 4), "exp": (pt.exp, -4, 4),
        "log": (pt.log, 0.1, 9), "log1p": (pt.log1p, -0.9, 9), "sqrt": (pt.sqrt, 0, 9),
        "rsqrt": (pt.rsqrt, 0.1, 9), "sigmoid": (pt.sigmoid, -9, 9), "tanh": (pt.tanh, -4, 4),
        "sin": (pt.sin, -4, 4), "cos": (pt.cos, -4, 4), "tan": (pt.tan, -1.5, 1.5),
        "asin": (pt.asin, -1, 1), "acos": (pt.acos, -1, 1), "atan": (pt.atan, -4, 4),
        "sinh": (pt.sinh, -4, 4), "cosh": (pt.cosh, -4, 4), "ceil": (pt.ceil, -4, 4),
        "floor": (pt.floor, -4, 4), "trunc": (pt.trunc, -4, 4), "frac": (pt.frac, -4, 4),
        "cinv": (pt.reciprocal, 0.5, 4), "sign": (pt.sign, -4, 4),
    }


@pytest.mark.parametrize("transposed", [False, True])
@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("name", sorted(PT_UNARY))
def test_unary_against_pytorch(name, dtype, transposed):
    ref, lo, hi = PT_UNARY[name]
    t, a = rand(dtype, lo=lo, hi=hi, transposed=transposed)
    want = ref(pt.from_numpy(a)).numpy()
    three_forms(name, t, (), want, dtype)


@pytest.mark.parametrize("dtype", FLOATS)
def test_round_is_half_away_from_zero(dtype):
    v = np.array([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, -0.49999999999999994, 0.49999999999999994,
                  2.4999999999999996, -0.0, 0.0, 1e300, -7.0, 4503599627370495.5, np.inf, np.nan], dtype)
    got = torch.round(CLS[np.dtype(dtype)]._from_array(v)).numpy()
    want = np.array([math.copysign(math.floor(abs(e) + 0.5) if abs(e) - math.floor(abs(e)) >= 0.5
                                   else math.floor(abs(e)), e) if math.isfinite(e) else e
                     for e in v.astype(np.float64)], dtype)
    np.testing.assert_array_equal(got, want)
    assert np.array_equal(np.signbit(got), np.signbit(want))
    assert torch.round(-2.5) == -3.0 and torch.round(0.49999999999999994) == 0.0


def test_sign_and_frac_specials():
    t = torch.DoubleTensor([np.nan, -0.0, 0.0, -3.0, 2.0, np.inf, -np.inf])
    assert torch.sign(t).numpy().tolist() == [0, 0, 0, -1, 1, 1, -1]
    f = torch.frac(torch.DoubleTensor([-2.0, -0.0, 2.75, -2.75]))
    assert f.numpy().tolist() == [0.0, 0.0, 0.75, -0.75]
    assert not np.signbit(f.numpy()[:2]).any()          # x - trunc(x) gives +0, unlike fmod
    assert torch.sign(torch.ByteTensor([0, 3, 255])).numpy().tolist() == [0, 1, 1]


@pytest.mark.parametrize("dtype", INTS)
def test_integer_unary(dtype):
    t, a = rand(dtype, lo=-100, hi=100)
    three_forms("sign", t.clone(), (), np.sign(a) if dtype != np.uint8 else (a > 0), dtype)
    three_forms("abs", t.clone(), (), np.abs(a), dtype)
    with pytest.raises(TorchTypeError, match="does not implement the torch.exp"):
        torch.exp(t)


@pytest.mark.parametrize("transposed", [False, True])
@pytest.mark.parametrize("dtype", FLOATS)
@pytest.mark.parametrize("value", [1, 2, 3, 0.5, -0.5, -1, -2, 2.5, -1.5, 0])
def test_pow_number(value, dtype, transposed):
    t, a = rand(dtype, lo=0.1, hi=4, transposed=transposed)
    want = pt.pow(pt.from_numpy(a), value).numpy()
    three_forms("pow", t, (value,), want, dtype)


@pytest.mark.parametrize("dtype", FLOATS)
def test_number_pow_tensor_and_cpow(dtype):
    t, a = rand(dtype, lo=-3, hi=3)
    same(torch.pow(2, t), pt.pow(2, pt.from_numpy(a)).numpy(), dtype)
    r = CLS[np.dtype(dtype)]()
    assert torch.pow(r, 2, t) is r
    same(r, pt.pow(2, pt.from_numpy(a)).numpy(), dtype)
    assert t.clone().pow(2, t).numpy().tolist() == r.numpy().tolist()    # x.pow(2, t): 2^t into x
    b, bn = rand(dtype, lo=0.1, hi=3)
    three_forms("cpow", b.clone(), (t,), pt.pow(pt.from_numpy(bn), pt.from_numpy(a)).numpy(), dtype)
    assert torch.pow(2, 10) == 1024.0 and torch.exp(0) == 1.0 and torch.atan2(1, 1) == math.atan2(1, 1)


def test_cpow_integers_truncate_like_c():
    x = torch.LongTensor([2, 3, -2, 5])
    y = torch.LongTensor([10, 2, 3, -1])
    assert torch.cpow(x, y).numpy().tolist() == [1024, 9, -8, 0]


@pytest.mark.parametrize("dtype", FLOATS)
def test_atan2_and_lerp(dtype):
    t, a = rand(dtype)
    u, b = rand(dtype, transposed=True)
    three_forms("atan2", t.clone(), (u,), np.arctan2(a, b), dtype)
    want = a + np.asarray(0.3, dtype) * (b - a)
    three_forms("lerp", t.clone(), (u, 0.3), want, dtype)


# -- arithmetic -------------------------------------------------------------------------------------

def pt_t(a):
    return pt.from_numpy(np.ascontiguousarray(a))


@pytest.mark.parametrize("transposed", [False, True])
@pytest.mark.parametrize("dtype", FLOATS + INTS)
def test_arith_against_pytorch(dtype, transposed):
    t, a = rand(dtype, lo=-50, hi=50, transposed=transposed)
    u, b = rand(dtype, lo=1, hi=9, transposed=not transposed)
    kind = np.dtype(dtype).kind
    with np.errstate(all="ignore"):
        three_forms("add", t.clone(), (3,), (pt_t(a) + 3).numpy(), dtype)
        three_forms("add", t.clone(), (u,), (pt_t(a) + pt_t(b)).numpy(), dtype)
        three_forms("add", t.clone(), (2, u), (pt_t(a) + 2 * pt_t(b)).numpy(), dtype)
        three_forms("csub", t.clone(), (3,), (pt_t(a) - 3).numpy(), dtype)
        three_forms("csub", t.clone(), (u,), (pt_t(a) - pt_t(b)).numpy(), dtype)
        three_forms("csub", t.clone(), (2, u), (pt_t(a) - 2 * pt_t(b)).numpy(), dtype)
        three_forms("mul", t.clone(), (3,), (pt_t(a) * 3).numpy(), dtype)
        three_forms("cmul", t.clone(), (u,), (pt_t(a) * pt_t(b)).numpy(), dtype)
        rounding = None if kind == "f" else "trunc"
        three_forms("div", t.clone(), (3,), pt.div(pt_t(a), 3, rounding_mode=rounding).numpy(), dtype)
        three_forms("cdiv", t.clone(), (u,), pt.div(pt_t(a), pt_t(b), rounding_mode=rounding).numpy(), dtype)
        three_forms("fmod", t.clone(), (3,), pt.fmod(pt_t(a), 3).numpy(), dtype)
        three_forms("cfmod", t.clone(), (u,), pt.fmod(pt_t(a), pt_t(b)).numpy(), dtype)
        three_forms("remainder", t.clone(), (3,), pt.remainder(pt_t(a), 3).numpy(), dtype)
        three_forms("cremainder", t.clone(), (u,), pt.remainder(pt_t(a), pt_t(b)).numpy(), dtype)
        lo = 2 if dtype == np.uint8 else -5     # -5 would become 251 in a ByteTensor, as in C
        three_forms("clamp", t.clone(), (lo, 7), pt.clamp(pt_t(a), lo, 7).numpy(), dtype)
        three_forms("cmax", t.clone(), (u,), pt.maximum(pt_t(a), pt_t(b)).numpy(), dtype)
        three_forms("cmin", t.clone(), (u,), pt.minimum(pt_t(a), pt_t(b)).numpy(), dtype)
        three_forms("cmax", t.clone(), (4,), pt.clamp(pt_t(a), min=4).numpy(), dtype)
        three_forms("cmin", t.clone(), (4,), pt.clamp(pt_t(a), max=4).numpy(), dtype)
        w, c = rand(dtype, lo=1, hi=5)
        three_forms("addcmul", t.clone(), (2, u, w), (pt_t(a) + 2 * pt_t(b) * pt_t(c)).numpy(), dtype)
        three_forms("addcmul", t.clone(), (u, w), (pt_t(a) + pt_t(b) * pt_t(c)).numpy(), dtype)
        want = (pt_t(a) + pt.div(2 * pt_t(b), pt_t(c), rounding_mode=rounding)).numpy()
        three_forms("addcdiv", t.clone(), (2, u, w), want, dtype)


def test_method_forms_follow_torch7():
    x = torch.DoubleTensor([1, 2, 3])
    y = torch.DoubleTensor([10, 20, 30])
    z = torch.DoubleTensor(3).zero()
    assert z.add(x, y) is z and z.numpy().tolist() == [11, 22, 33]          # z = x + y
    assert z.mul(x, 2) is z and z.numpy().tolist() == [2, 4, 6]             # z = x * 2
    assert z.exp(torch.DoubleTensor([0, 0, 0])).numpy().tolist() == [1, 1, 1]
    assert x.numpy().tolist() == [1, 2, 3]


def test_csub_and_add_on_views_in_place():
    base = torch.DoubleTensor(np.arange(12.0).reshape(3, 4))
    col = base.select(1, 2)                                  # a strided view
    col.add(100)
    assert base.numpy()[:, 2].tolist() == [102, 106, 110]
    assert base.numpy()[:, 1].tolist() == [1, 5, 9]
    x = torch.DoubleTensor([1, 2, 3])
    x.add(2, x)                                              # x = x + 2*x through aliasing
    assert x.numpy().tolist() == [3, 6, 9]


def test_integer_type_rules():
    ii = torch.IntTensor([7, -7, 2147483647])
    assert torch.mul(ii, 2.9).numpy().tolist() == [14, -14, -2]          # 2.9 -> 2, wraps
    assert torch.add(torch.ByteTensor([250]), 10).numpy().tolist() == [4]
    assert torch.div(torch.CharTensor([-7, 7]), 2).numpy().tolist() == [-3, 3]
    assert torch.remainder(torch.IntTensor([-7, 7]), -3).numpy().tolist() == [-1, -2]
    assert torch.fmod(torch.IntTensor([-7, 7]), -3).numpy().tolist() == [-1, 1]
    for f, args in ((torch.div, (0,)), (torch.fmod, (0,)), (torch.remainder, (0,)),
                    (torch.cdiv, (torch.IntTensor([1, 0, 1]),))):
        with pytest.raises(TorchValueError, match="division by zero"):
            f(ii, *args)
    assert np.isnan(torch.remainder(torch.DoubleTensor([3.0]), 0).numpy()).all()
    assert np.isnan(torch.fmod(torch.DoubleTensor([3.0]), 0).numpy()).all()


def test_cmax_cmin_clamp_nan_rules():
    nan = float("nan")
    t = torch.DoubleTensor([nan, 1.0, 5.0, nan])
    s = torch.DoubleTensor([2.0, nan, 3.0, nan])
    # TH: t > s ? t : s
    got = torch.cmax(t, s).numpy()
    assert got[0] == 2.0 and np.isnan(got[1]) and got[2] == 5.0 and np.isnan(got[3])
    got = torch.cmin(t, s).numpy()
    assert got[0] == 2.0 and np.isnan(got[1]) and got[2] == 3.0 and np.isnan(got[3])
    assert torch.cmax(t, 2).numpy().tolist() == [2.0, 2.0, 5.0, 2.0]
    assert np.isnan(torch.cmax(t, nan).numpy()).all()
    c = torch.clamp(t, 0, 2).numpy()
    assert np.isnan(c[0]) and c[1:3].tolist() == [1.0, 2.0]
    assert torch.clamp(torch.DoubleTensor([0, 1.5, 3]), 2, 1).numpy().tolist() == [2, 2, 1]


@pytest.mark.parametrize("dtype", INTS)
def test_bitwise_against_numpy(dtype):
    t, a = rand(dtype, lo=-100, hi=100)
    u, b = rand(dtype, lo=0, hi=100, transposed=False)
    s, sh = rand(dtype, lo=0, hi=3)
    unsigned = np.dtype(dtype).newbyteorder("=").str.replace("i", "u")
    au, bu = a.view(unsigned), sh.view(unsigned)
    three_forms("bitand", t.clone(), (0x5A,), a & np.asarray(0x5A).astype(dtype), dtype)
    three_forms("bitor", t.clone(), (0x21,), a | np.asarray(0x21).astype(dtype), dtype)
    three_forms("bitxor", t.clone(), (0x33,), a ^ np.asarray(0x33).astype(dtype), dtype)
    three_forms("cbitand", t.clone(), (u,), a & b, dtype)
    three_forms("cbitor", t.clone(), (u,), a | b, dtype)
    three_forms("cbitxor", t.clone(), (u,), a ^ b, dtype)
    three_forms("lshift", t.clone(), (2,), (au << np.asarray(2).astype(unsigned)).view(dtype), dtype)
    three_forms("rshift", t.clone(), (2,), (au >> np.asarray(2).astype(unsigned)).view(dtype), dtype)
    three_forms("clshift", t.clone(), (s,), (au << bu).view(dtype), dtype)
    three_forms("crshift", t.clone(), (s,), (au >> bu).view(dtype), dtype)


def test_shifts_on_floats_scale_and_bitwise_ops_refuse_floats():
    x = torch.DoubleTensor([1.5, -3.0])
    assert torch.lshift(x, 3).numpy().tolist() == [12.0, -24.0]
    assert torch.rshift(x, 1).numpy().tolist() == [0.75, -1.5]
    assert torch.rshift(torch.IntTensor([-8]), 1).numpy().tolist() == [2147483644]  # unsigned shift
    with pytest.raises(TorchTypeError, match="bitand is only supported for integer type tensors"):
        torch.bitand(x, 1)


def test_size_mismatch_and_wrong_types_raise():
    x = torch.DoubleTensor(2, 3).fill(1)
    with pytest.raises(TorchValueError, match="inconsistent tensor size"):
        torch.cmul(x, torch.DoubleTensor(4).fill(1))
    same(torch.cmul(x, torch.DoubleTensor(6).fill(2)), np.full((2, 3), 2.0), np.float64)  # same count is fine
    with pytest.raises(TorchTypeError):
        torch.add(x, torch.FloatTensor(2, 3))
    with pytest.raises(TorchTypeError):
        torch.add(x, "1")


def test_scaled_add_is_fused_on_contiguous_tensors_like_TH():
    # TH's cadd runs BLAS axpy / AVX2 FMA on contiguous data: value*y + x with a single rounding
    from fractions import Fraction
    rng = np.random.RandomState(7)
    a, b = rng.rand(1000), rng.rand(1000)
    exact = np.array([float(Fraction(x) + Fraction(0.1) * Fraction(y)) for x, y in zip(a, b)])
    fused = torch.from_numpy(a.copy()).add(0.1, torch.from_numpy(b)).numpy()
    assert np.array_equal(fused, exact)
    assert not np.array_equal(a + np.multiply(b, 0.1), exact)  # two roundings do differ here
