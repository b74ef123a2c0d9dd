"""sort / topk / kthvalue / median / mode against Torch7's fixtures, numpy and PyTorch CPU."""
import collections
import os
import re

import numpy as np
import pytest

import pytorch_lite as torch
import t7index
from pytorch_lite.errors import TorchIndexError, TorchTypeError, TorchValueError

pt = pytest.importorskip("torch")

FIX = t7index.topic_arrays("sort") if os.path.exists(t7index.INDEX) else None
needs_fixtures = pytest.mark.skipif(FIX is None, reason="Torch7 fixtures not available")

# which positional argument (after the tensor) of each function is a dimension
_DIM_ARG = {"sort": 0, "topk": 1, "kthvalue": 1, "median": 0, "mode": 0}


def _py_call(expr, inputs):
    """Evaluate a Lua 'torch.f(name, a, b, ...)' call with 1-based dims made 0-based."""
    m = re.fullmatch(r"torch\.(\w+)\((\w+)((?:, [\w.-]+)*)\)", expr)
    fname, tname, rest = m.groups()
    args = []
    for j, a in enumerate(filter(None, (s.strip() for s in rest.split(",")))):
        if a in ("true", "false"):
            args.append(a == "true")
        elif j == _DIM_ARG[fname]:
            args.append(int(a) - 1)
        else:
            args.append(int(a))
    return getattr(torch, fname)(inputs[tname], *args)


@needs_fixtures
@pytest.mark.parametrize("expr", sorted(FIX["results"]) if FIX else [])
def test_torch7_fixture(expr):
    inputs = {k: torch.from_numpy(v.copy()) for k, v in FIX["inputs"].items()}
    want = FIX["results"][expr]
    values, indices = _py_call(expr, inputs)
    assert values.typename == "torch.DoubleTensor" and indices.typename == "torch.LongTensor"
    np.testing.assert_array_equal(values.numpy(), want["values"])
    assert values.numpy().shape == want["values"].shape
    np.testing.assert_array_equal(indices.numpy(), want["indices"] - 1)
    assert indices.numpy().shape == want["indices"].shape


# -- random data against numpy / PyTorch ------------------------------------------------------

TYPES = [(torch.FloatTensor, np.float32), (torch.DoubleTensor, np.float64), (torch.LongTensor, np.int64)]


def _distinct(rng, shape, dtype):
    """Tie-free data (a permutation, scaled), so indices are unambiguous."""
    n = int(np.prod(shape))
    vals = rng.permutation(n).astype(np.float64) - n // 2
    if dtype != np.int64:
        vals = vals * 0.37
    return vals.astype(dtype).reshape(shape)


def _tensor(cls, arr, layout):
    """arr as a `cls` tensor: contiguous, or a transposed / strided view holding the same values."""
    if layout == "contiguous":
        return torch.from_numpy(np.ascontiguousarray(arr))
    if layout == "transposed":
        base = torch.from_numpy(np.ascontiguousarray(np.swapaxes(arr, 0, -1)))
        t = base.transpose(0, arr.ndim - 1)
    else:  # every other element of a wider buffer along the last dim
        wide = np.zeros(arr.shape[:-1] + (2 * arr.shape[-1],), arr.dtype)
        wide[..., ::2] = arr
        t = torch.from_numpy(wide)[(slice(None),) * (arr.ndim - 1) + (slice(None, None, 2),)]
    assert not t.isContiguous()
    np.testing.assert_array_equal(t.numpy(), arr)
    return t


LAYOUTS = ["contiguous", "transposed", "strided"]


@pytest.mark.parametrize("cls,dtype", TYPES)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("dim", [0, 1, 2, -1])
@pytest.mark.parametrize("descending", [False, True])
def test_sort_matches_numpy(cls, dtype, layout, dim, descending):
    rng = np.random.default_rng(abs(dim) * 7 + descending)
    arr = _distinct(rng, (4, 13, 6), dtype)
    x = _tensor(cls, arr, layout)
    before = x.numpy().copy()
    v, i = x.sort(dim, descending)
    order = np.argsort(-arr if descending else arr, axis=dim, kind="stable")
    np.testing.assert_array_equal(i.numpy(), order)
    np.testing.assert_array_equal(v.numpy(), np.take_along_axis(arr, order, axis=dim))
    assert type(v) is cls and i.typename == "torch.LongTensor"
    np.testing.assert_array_equal(x.numpy(), before)  # the method form returns new tensors


def test_sort_forms_and_defaults():
    rng = np.random.default_rng(1)
    arr = _distinct(rng, (5, 7), np.float64)
    x = torch.from_numpy(arr.copy())
    v0, i0 = torch.sort(x)                       # default: last dim, ascending
    np.testing.assert_array_equal(i0.numpy(), np.argsort(arr, axis=1))
    v1, i1 = torch.sort(x, True)                 # descending with the default dim
    np.testing.assert_array_equal(i1.numpy(), np.argsort(-arr, axis=1))
    rv, ri = torch.DoubleTensor(), torch.LongTensor(2)
    r = torch.sort(rv, ri, x, 0, True)
    assert r[0] is rv and r[1] is ri
    np.testing.assert_array_equal(ri.numpy(), np.argsort(-arr, axis=0))
    np.testing.assert_array_equal(rv.numpy(), -np.sort(-arr, axis=0))
    # results may overwrite the source itself
    y = x.clone()
    torch.sort(y, torch.LongTensor(), y, 1)
    np.testing.assert_array_equal(y.numpy(), np.sort(arr, axis=1))


@pytest.mark.parametrize("n", [2, 5, 11, 12, 40, 257])
@pytest.mark.parametrize("descending", [False, True])
def test_sort_with_ties(n, descending):
    rng = np.random.default_rng(n)
    arr = rng.integers(0, 4, size=(3, n)).astype(np.float64)
    x = torch.from_numpy(arr)
    v, i = torch.sort(x, 1, descending)
    want = -np.sort(-arr, axis=1) if descending else np.sort(arr, axis=1)
    np.testing.assert_array_equal(v.numpy(), want)
    idx = i.numpy()
    assert all(sorted(r) == list(range(n)) for r in idx.tolist())
    np.testing.assert_array_equal(np.take_along_axis(arr, idx, 1), want)
    if n <= 11:  # TH leaves rows of <= 11 elements to its insertion pass: a stable order
        np.testing.assert_array_equal(idx, np.argsort(-arr if descending else arr, axis=1, kind="stable"))


def test_sort_large_parallel_rows_and_nan():
    rng = np.random.default_rng(3)
    arr = rng.standard_normal((300, 401))
    v, i = torch.sort(torch.from_numpy(arr), 1)
    np.testing.assert_array_equal(v.numpy(), np.sort(arr, axis=1))
    np.testing.assert_array_equal(i.numpy(), np.argsort(arr, axis=1))
    # NaN: no crash, a permutation comes back, finite values keep their order
    a = np.array([3.0, np.nan, 1.0, 2.0, np.nan, 0.5] * 5)
    v, i = torch.sort(torch.from_numpy(a))
    assert sorted(i.numpy().tolist()) == list(range(a.size))
    np.testing.assert_array_equal(v.numpy(), a[i.numpy()])


@pytest.mark.parametrize("cls,dtype", TYPES)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("largest", [False, True])
@pytest.mark.parametrize("dim", [0, 2])
def test_topk_matches_pytorch(cls, dtype, layout, largest, dim):
    rng = np.random.default_rng(11 + dim)
    arr = _distinct(rng, (9, 5, 14), dtype)
    x = _tensor(cls, arr, layout)
    k = 4
    v, i = x.topk(k, dim, largest, True)
    pv, pi = pt.topk(pt.from_numpy(arr), k, dim=dim, largest=largest, sorted=True)
    np.testing.assert_array_equal(v.numpy(), pv.numpy())
    np.testing.assert_array_equal(i.numpy(), pi.numpy())
    # unsorted: the same set of elements, each with its own index
    uv, ui = torch.topk(x, k, dim, largest)
    np.testing.assert_array_equal(np.sort(ui.numpy(), axis=dim), np.sort(pi.numpy(), axis=dim))
    np.testing.assert_array_equal(uv.numpy(), np.take_along_axis(arr, ui.numpy(), axis=dim))


def test_topk_defaults_and_result_form():
    arr = np.array([[4.0, -1.0, 7.0, 2.0, 0.0]])
    x = torch.from_numpy(arr)
    v, i = x.topk()                        # k=1, last dim, smallest
    assert v.numpy().tolist() == [[-1.0]] and i.numpy().tolist() == [[1]]
    v, i = torch.topk(x, 2, True, True)    # k, largest, sorted with the default dim
    assert v.numpy().tolist() == [[7.0, 4.0]] and i.numpy().tolist() == [[2, 0]]
    rv, ri = torch.DoubleTensor(), torch.LongTensor()
    out = torch.topk(rv, ri, x, 3, 1, False, True)
    assert out[0] is rv and out[1] is ri
    assert rv.numpy().tolist() == [[-1.0, 0.0, 2.0]] and ri.numpy().tolist() == [[1, 4, 3]]
    v, i = torch.topk(x, 5, 1, True, True)  # k == size
    assert v.numpy().tolist() == [[7.0, 4.0, 2.0, 0.0, -1.0]]


@pytest.mark.parametrize("cls,dtype", TYPES)
@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("dim", [0, 1, 2])
def test_kthvalue_median_match_pytorch(cls, dtype, layout, dim):
    rng = np.random.default_rng(5 + dim)
    arr = _distinct(rng, (6, 7, 8), dtype)
    x = _tensor(cls, arr, layout)
    n = arr.shape[dim]
    for k in (1, 3, n):
        v, i = x.kthvalue(k, dim)
        pv, pi = pt.kthvalue(pt.from_numpy(arr), k, dim=dim, keepdim=True)
        np.testing.assert_array_equal(v.numpy(), pv.numpy())
        np.testing.assert_array_equal(i.numpy(), pi.numpy())
    v, i = torch.median(x, dim)
    pv, pi = pt.median(pt.from_numpy(arr), dim=dim, keepdim=True)  # also the lower median
    np.testing.assert_array_equal(v.numpy(), pv.numpy())
    np.testing.assert_array_equal(i.numpy(), pi.numpy())
    np.testing.assert_array_equal(v.numpy(), np.take(np.sort(arr, axis=dim), [(n - 1) // 2], axis=dim))


def test_kthvalue_median_mode_forms():
    arr = np.array([[3.0, 1.0, 2.0, 5.0], [9.0, 7.0, 8.0, 6.0]])
    x = torch.from_numpy(arr)
    v, i = x.kthvalue(2)                  # default: last dim, kept with size 1
    assert v.numpy().tolist() == [[2.0], [7.0]] and i.numpy().tolist() == [[2], [1]]
    v, i = x.median()
    assert v.numpy().tolist() == [[2.0], [7.0]] and i.numpy().tolist() == [[2], [1]]
    rv, ri = torch.DoubleTensor(7), torch.LongTensor()
    assert torch.median(rv, ri, x, 0)[0] is rv
    assert rv.numpy().tolist() == [[3.0, 1.0, 2.0, 5.0]] and ri.numpy().tolist() == [[0, 0, 0, 0]]
    assert torch.kthvalue(rv, ri, x, 4, 1)[1] is ri
    assert rv.numpy().tolist() == [[5.0], [9.0]] and ri.numpy().tolist() == [[3], [0]]
    assert torch.mode(rv, ri, x)[0] is rv
    v1, i1 = torch.median(torch.DoubleTensor([4.0, 1.0, 3.0, 2.0]))
    assert v1.numpy().tolist() == [2.0] and i1.numpy().tolist() == [3]


def _mode_reference(row):
    """Most frequent value (smallest among equally frequent ones) and its last position."""
    counts = collections.Counter(row.tolist())
    best = max(counts.values())
    value = min(v for v, c in counts.items() if c == best)
    return value, max(j for j, v in enumerate(row.tolist()) if v == value)


@pytest.mark.parametrize("cls,dtype", TYPES + [(torch.ByteTensor, np.uint8), (torch.IntTensor, np.int32)])
@pytest.mark.parametrize("n", [7, 11, 60])
def test_mode_matches_reference(cls, dtype, n):
    rng = np.random.default_rng(n)
    arr = rng.integers(0, 5, size=(8, n)).astype(dtype)
    x = _tensor(cls, arr, "transposed")
    v, i = torch.mode(x, 1)
    for r in range(arr.shape[0]):
        value, last = _mode_reference(arr[r])
        assert v.numpy()[r, 0] == value
        if n <= 11:   # the insertion-only path keeps equal values in order
            assert i.numpy()[r, 0] == last
        else:
            assert arr[r, i.numpy()[r, 0]] == value
    v0, i0 = x.mode(0)
    assert v0.numpy().shape == (1, n)
    for c in range(n):
        assert v0.numpy()[0, c] == _mode_reference(arr[:, c])[0]


@pytest.mark.parametrize("cls", [torch.ByteTensor, torch.CharTensor, torch.ShortTensor, torch.IntTensor])
def test_small_integer_types(cls):
    arr = np.array([[5, 3, 9, 1, 3], [0, 2, 2, 7, 4]], dtype=cls.dtype)
    x = torch.from_numpy(arr.copy())
    v, i = x.sort(1)
    np.testing.assert_array_equal(v.numpy(), np.sort(arr, axis=1))
    np.testing.assert_array_equal(i.numpy(), np.argsort(arr, axis=1, kind="stable"))
    v, i = x.sort(1, True)
    np.testing.assert_array_equal(i.numpy(), np.array([[2, 0, 1, 4, 3], [3, 4, 1, 2, 0]]))
    assert x.kthvalue(2)[0].numpy().tolist() == [[3], [2]]
    assert x.topk(2, 1, True, True)[0].numpy().tolist() == [[9, 5], [7, 4]]


def test_bad_arguments_raise_our_errors():
    x = torch.DoubleTensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    for call in (lambda: x.sort(2), lambda: x.topk(1, 5), lambda: x.kthvalue(1, -3),
                 lambda: x.median(2), lambda: x.mode(7)):
        with pytest.raises(TorchIndexError):
            call()
    for k in (0, 4, -1):
        with pytest.raises(TorchIndexError):
            x.topk(k)
        with pytest.raises(TorchIndexError):
            x.kthvalue(k)
    with pytest.raises(TorchTypeError):
        x.kthvalue(1.5)
    with pytest.raises(TorchTypeError):
        torch.sort(x, "a")
    with pytest.raises(TorchTypeError):               # values result of the wrong type
        torch.sort(torch.FloatTensor(), torch.LongTensor(), x)
    with pytest.raises(TorchValueError):
        torch.DoubleTensor().sort()
    with pytest.raises(TorchTypeError):
        torch.HalfTensor(3).sort()
