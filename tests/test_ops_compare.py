"""Comparisons: every value of the Torch7 'comparisons' fixtures, then numpy on random data for
the new-ByteTensor, method and result-tensor forms (ByteTensor or the input's own type)."""

import numpy as np
import pytest

import pytorch_lite as torch
from pytorch_lite.errors import TorchTypeError, TorchValueError
import t7index

# NaN, inf and integer wrap-around are the point here: numpy's RuntimeWarnings about them are noise
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")

OPS = {"lt": np.less, "le": np.less_equal, "gt": np.greater, "ge": np.greater_equal,
       "eq": np.equal, "ne": np.not_equal}
FIXTURES = {}
for _f in OPS:
    FIXTURES["torch.%s(x, y)" % _f] = (lambda f: lambda I: getattr(torch, f)(I["x"], I["y"]))(_f)
    FIXTURES["torch.%s(x, 0.5)" % _f] = (lambda f: lambda I: getattr(torch, f)(I["x"], 0.5))(_f)
    FIXTURES["torch.%s(n, 0)" % _f] = (lambda f: lambda I: getattr(torch, f)(I["n"], 0))(_f)
FIXTURES.update({
    "x:eq(y):sum()": lambda I: I["x"].eq(I["y"]).sum(),
    "torch.equal(x, y)": lambda I: torch.equal(I["x"], I["y"]),
    "torch.equal(x, x:clone())": lambda I: torch.equal(I["x"], I["x"].clone()),
    "torch.eq(n, n)": lambda I: torch.eq(I["n"], I["n"]),
    "torch.ne(n, n)": lambda I: torch.ne(I["n"], I["n"]),
    "torch.max(n)": lambda I: torch.max(I["n"]),
    "torch.min(n)": lambda I: torch.min(I["n"]),
    "x:eq(y):type()": lambda I: I["x"].eq(I["y"]).type(),
    "torch.lt(x:float(), 1)": lambda I: torch.lt(I["x"].float(), 1),
    "torch.gt(L({1, 5, 3}), 2)": lambda I: torch.gt(torch.LongTensor([1, 5, 3]), 2),
})
OUT_OF_SCOPE = {"torch.sort(D({3, 1, 2}))": "sort lives in ops/sort.py (tests/test_ops_sort.py)"}


def test_every_fixture_expression_is_covered():
    assert set(t7index.load()["comparisons"]["results"]) == set(FIXTURES) | set(OUT_OF_SCOPE)


@pytest.mark.parametrize("expr", sorted(FIXTURES))
def test_torch7_fixture(expr):
    inputs = {k: t7index.tensor(v) for k, v in t7index.load()["comparisons"]["inputs"].items()}
    t7index.check(FIXTURES[expr](inputs), t7index.load()["comparisons"]["results"][expr])


RNG = np.random.default_rng(5)
CLS = {np.dtype(c.dtype): c for c in (torch.ByteTensor, torch.CharTensor, torch.ShortTensor,
                                        torch.IntTensor, torch.LongTensor, torch.FloatTensor,
                                        torch.DoubleTensor)}


@pytest.mark.parametrize("transposed", [False, True])
@pytest.mark.parametrize("dtype", [np.float64, np.float32, np.uint8, np.int8, np.int16, np.int32, np.int64])
@pytest.mark.parametrize("name", sorted(OPS))
def test_against_numpy(name, dtype, transposed):
    a = RNG.integers(0, 4, (5, 6)).astype(dtype)
    b = RNG.integers(0, 4, (5, 6)).astype(dtype)
    if np.dtype(dtype).kind == "f":
        a[0, 0] = b[1, 1] = np.nan
    cls = CLS[np.dtype(dtype)]
    t, u = cls._from_array(a), cls._from_array(b)
    if transposed:
        t, u, a, b = t.t(), u.t(), a.T, b.T
    ref = OPS[name]
    for arg, other in ((u, b), (2, np.asarray(2, dtype))):
        want = ref(a, other).astype(np.uint8)
        got = getattr(torch, name)(t, arg)
        assert got.typename == "torch.ByteTensor"
        np.testing.assert_array_equal(got.numpy(), want)
        np.testing.assert_array_equal(getattr(t, name)(arg).numpy(), want)       # a new ByteTensor
        r = torch.ByteTensor(3)
        assert getattr(torch, name)(r, t, arg) is r
        np.testing.assert_array_equal(r.numpy(), want)
        r2 = cls()
        assert getattr(r2, name)(t, arg) is r2                                     # r.lt(a, b): same type
        np.testing.assert_array_equal(r2.numpy(), want.astype(dtype))


def test_number_is_converted_to_the_element_type_first():
    ii = torch.IntTensor([1, 2, 3])
    assert torch.lt(ii, 2.9).numpy().tolist() == [1, 0, 0]       # 2.9 -> 2, as a C cast
    assert torch.eq(torch.ByteTensor([255, 1]), -1).numpy().tolist() == [1, 0]


def test_equal_and_errors():
    x = torch.DoubleTensor([1, 2, float("nan")])
    assert torch.equal(x, x) is False                             # NaN != NaN
    assert x.narrow(0, 0, 2).equal(torch.DoubleTensor([1, 2])) is True
    assert torch.equal(torch.DoubleTensor([1, 2]), torch.DoubleTensor([[1, 2]])) is False
    with pytest.raises(TorchTypeError):
        torch.lt(torch.LongTensor(2), x, 1)                       # result of a third type
    with pytest.raises(TorchValueError):
        torch.lt(x, torch.DoubleTensor(4))
