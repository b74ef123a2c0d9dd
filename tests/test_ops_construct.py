"""Constructors (zeros/ones/eye/range/linspace/logspace), extractors (diag/tril/triu/histc) and
cat/repeatTensor/reshape/split/chunk: Torch7's recorded values (fixtures topic 'cat_repeat'),
the manual's examples, then numpy / PyTorch CPU as oracles in every calling form."""
import numpy as np
import pytest

import pytorch_lite as lite
from pytorch_lite.errors import TorchError, TorchTypeError, TorchValueError

import t7index

ref = pytest.importorskip("torch")   # PyTorch CPU, a test-only oracle

TYPES = {np.float32: lite.FloatTensor, np.float64: lite.DoubleTensor}
DTYPES = [np.float32, np.float64]
RNG = np.random.default_rng(11)


def npa(t):
    return np.array(t.numpy())


def rand(dtype, *shape):
    return TYPES[dtype](RNG.standard_normal(shape).astype(dtype))


def noncontig(t):
    """The same values as t, in a non-contiguous view."""
    big = type(t)(*(tuple(t.size()) + (2,))).zero()
    v = big.select(t.dim(), 0)
    v.copy(t)
    assert not v.isContiguous()
    return v


# -- Torch7's recorded values -------------------------------------------------------------------

CAT_REPEAT = {
    "b:expandAs(a):clone()": lambda I: I["b"].expandAs(I["a"]).clone(),
    "torch.cat(a, a)": lambda I: lite.cat(I["a"], I["a"]),
    "torch.cat(a, b, 1)": lambda I: lite.cat(I["a"], I["b"], 0),
    "torch.cat(a, c, 2)": lambda I: lite.cat(I["a"], I["c"], 1),
    "torch.cat(v, w)": lambda I: lite.cat(I["v"], I["w"]),
    "torch.cat({a, c, a}, 2)": lambda I: lite.cat([I["a"], I["c"], I["a"]], 1),
    "torch.cat({v, w, v}, 1)": lambda I: lite.cat([I["v"], I["w"], I["v"]], 0),
    "torch.chunk(torch.range(1, 7), 3)": lambda I: lite.chunk(lite.range(1, 7), 3),
    "torch.repeatTensor(a, 2, 1, 2)": lambda I: lite.repeatTensor(I["a"], 2, 1, 2),
    "torch.repeatTensor(a, 2, 3)": lambda I: lite.repeatTensor(I["a"], 2, 3),
    "torch.repeatTensor(v, 2)": lambda I: lite.repeatTensor(I["v"], 2),
    "torch.repeatTensor(v, 3, 2)": lambda I: lite.repeatTensor(I["v"], 3, 2),
    "torch.split(a, 2, 2)": lambda I: lite.split(I["a"], 2, 1),
    "torch.split(torch.range(1, 7), 3)": lambda I: lite.split(lite.range(1, 7), 3),
    "v:view(3, 1):expand(3, 4):clone()": lambda I: I["v"].view(3, 1).expand(3, 4).clone(),
}


def _check(got, want):
    if isinstance(want, dict) and set(want) != {"values", "indices"}:
        assert isinstance(got, list) and len(got) == len(want)
        for i, part in enumerate(got):
            t7index.check(part, want[str(i + 1)])
        return
    t7index.check(got, want)


def test_fixture_cat_repeat_covers_every_result():
    assert set(t7index.load()["cat_repeat"]["results"]) == set(CAT_REPEAT)


@pytest.mark.parametrize("expr", sorted(CAT_REPEAT))
def test_fixture_cat_repeat(expr):
    topic = t7index.load()["cat_repeat"]
    inputs = {k: t7index.tensor(v) for k, v in topic["inputs"].items()}
    _check(CAT_REPEAT[expr](inputs), topic["results"][expr])


def test_manual_examples():
    # torch7 doc/maths.md: range, cat
    assert lite.range(2, 5).tolist() == [2, 3, 4, 5]
    np.testing.assert_allclose(npa(lite.range(2, 5, 1.2)), [2, 3.2, 4.4], rtol=1e-15)
    got = lite.cat(lite.ones(3, 2), lite.zeros(2, 2), 0)
    assert got.tolist() == [[1, 1]] * 3 + [[0, 0]] * 2
    got = lite.cat(lite.ones(2, 2), lite.zeros(2, 2), 1)
    assert got.tolist() == [[1, 1, 0, 0]] * 2
    assert lite.cat(lite.ones(3), lite.zeros(2)).tolist() == [1, 1, 1, 0, 0]


# -- constructors ------------------------------------------------------------------------------------

@pytest.mark.parametrize("name,value", [("zeros", 0), ("ones", 1)])
def test_zeros_ones(name, value):
    fn = getattr(lite, name)
    t = fn(2, 3)
    assert type(t) is lite.DoubleTensor and tuple(t.size()) == (2, 3) and np.all(npa(t) == value)
    t = fn(lite.LongStorage([2, 1, 2, 1, 3]))
    assert tuple(t.size()) == (2, 1, 2, 1, 3) and np.all(npa(t) == value)
    assert tuple(fn([4, 2]).size()) == (4, 2)
    x = lite.FloatTensor(10).fill(7)
    st = x.storage()
    assert getattr(x, name)(2, 3) is x                     # method form resizes x itself
    assert type(x) is lite.FloatTensor and tuple(x.size()) == (2, 3) and np.all(npa(x) == value)
    assert x.storage() is st                                # storage kept: it fits
    r = lite.IntTensor()
    assert fn(r, 4) is r and r.tolist() == [value] * 4
    with pytest.raises(TorchError):
        fn(2, -1)


def test_default_type_is_followed():
    try:
        lite.setdefaulttensortype("torch.FloatTensor")
        assert type(lite.zeros(2)) is lite.FloatTensor
        assert type(lite.range(1, 3)) is lite.FloatTensor
        assert type(lite.eye(2)) is lite.FloatTensor
    finally:
        lite.setdefaulttensortype("torch.DoubleTensor")


def test_eye():
    np.testing.assert_array_equal(npa(lite.eye(3)), np.eye(3))
    np.testing.assert_array_equal(npa(lite.eye(2, 4)), np.eye(2, 4))
    np.testing.assert_array_equal(npa(lite.eye(4, 2)), np.eye(4, 2))
    x = lite.LongTensor()
    assert x.eye(3) is x and x.tolist() == np.eye(3, dtype=int).tolist()


def test_range():
    assert lite.range(1, 7).tolist() == list(range(1, 8))
    np.testing.assert_allclose(npa(lite.range(0, 1, 0.1)), np.arange(11) * 0.1, rtol=0, atol=0)
    assert lite.range(5, 1, -2).tolist() == [5, 3, 1]
    assert lite.range(-1, 1, 0.5).tolist() == [-1, -0.5, 0, 0.5, 1]
    assert lite.range(3, 3).tolist() == [3]
    x = lite.LongTensor()
    assert x.range(-3, 4, 3) is x and x.tolist() == [-3, 0, 3]
    assert type(x) is lite.LongTensor
    f = lite.FloatTensor()
    np.testing.assert_array_equal(npa(f.range(0, 1, 0.25)), np.array([0, 0.25, 0.5, 0.75, 1], np.float32))
    np.testing.assert_array_equal(npa(lite.range(2, 5, 1.2)), ref.arange(2, 5.0000001, 1.2, dtype=ref.float64).numpy())
    with pytest.raises(TorchValueError):
        lite.range(1, 5, 0)
    with pytest.raises(TorchValueError):
        lite.range(5, 1)
    with pytest.raises(TorchValueError):
        lite.range(1, 5, -1)


@pytest.mark.parametrize("dtype", DTYPES)
def test_linspace_logspace(dtype):
    cls = TYPES[dtype]
    a, b, n = dtype(-1.5), dtype(2.25), 7
    i = np.arange(n, dtype=dtype)
    want = a + i * (b - a) / dtype(n - 1)                 # Torch7's formula, in the tensor's type
    got = cls().linspace(-1.5, 2.25, n)
    assert type(got) is cls
    np.testing.assert_array_equal(npa(got), want)
    np.testing.assert_allclose(npa(got), ref.linspace(-1.5, 2.25, n, dtype=ref.float64).numpy(),
                               rtol=1e-6 if dtype == np.float32 else 1e-15, atol=1e-6 if dtype == np.float32 else 1e-15)
    got = cls().logspace(-1, 2, 5)
    np.testing.assert_allclose(npa(got), ref.logspace(-1, 2, 5, dtype=ref.float64).numpy(),
                               rtol=1e-6 if dtype == np.float32 else 1e-14)
    assert tuple(lite.linspace(0, 1).size()) == (100,)
    assert tuple(lite.logspace(0, 1).size()) == (100,)
    assert lite.linspace(3, 3, 1).tolist() == [3]
    with pytest.raises(TorchValueError):
        lite.linspace(0, 1, 1)
    r = cls()
    assert lite.linspace(r, 0, 1, 5) is r and npa(r).tolist() == [0, 0.25, 0.5, 0.75, 1]
    # the count is a C long in TH: a fractional one truncates (torch7's timeSort.lua passes one)
    assert npa(lite.linspace(0, 1, 5.9)).tolist() == [0, 0.25, 0.5, 0.75, 1]
    assert tuple(lite.logspace(0, 1, 3.2).size()) == (3,)
    assert tuple(lite.eye(2.7).size()) == (2, 2)


# -- extractors --------------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("k", [0, 1, -2, 3])
def test_diag(dtype, k):
    v = rand(dtype, 4)
    for src in (v, noncontig(v)):
        got = lite.diag(src, k)
        assert type(got) is TYPES[dtype]
        np.testing.assert_array_equal(npa(got), np.diag(npa(v), k))
        np.testing.assert_array_equal(npa(src.diag(k)), np.diag(npa(v), k))
    m = rand(dtype, 4, 5)
    for src in (m, noncontig(m)):
        np.testing.assert_array_equal(npa(lite.diag(src, k)), np.diag(npa(m), k))
        r = TYPES[dtype](9, 9)
        assert lite.diag(r, src, k) is r
        np.testing.assert_array_equal(npa(r), np.diag(npa(m), k))
    with pytest.raises(TorchValueError):
        lite.diag(rand(dtype, 2, 2, 2))
    with pytest.raises(TorchValueError):
        lite.diag(m, 9)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("k", [0, 1, -1, 5])
@pytest.mark.parametrize("name", ["tril", "triu"])
def test_tril_triu(dtype, k, name):
    m = rand(dtype, 4, 5)
    want = getattr(np, name)(npa(m), k)
    for src in (m, noncontig(m)):
        np.testing.assert_array_equal(npa(getattr(lite, name)(src, k)), want)
        np.testing.assert_array_equal(npa(getattr(src, name)(k)), want)
        np.testing.assert_array_equal(npa(getattr(ref, name)(ref.from_numpy(npa(src)), k)), want)
        r = TYPES[dtype]()
        assert getattr(lite, name)(r, src, k) is r
        np.testing.assert_array_equal(npa(r), want)
    x = m.clone()
    getattr(lite, name)(x, x, k)                              # result is the source
    np.testing.assert_array_equal(npa(x), want)
    assert getattr(lite, name)(lite.LongTensor([[1, 2], [3, 4]])).tolist() == getattr(np, name)([[1, 2], [3, 4]]).tolist()
    with pytest.raises(TorchValueError):
        getattr(lite, name)(rand(dtype, 3))


@pytest.mark.parametrize("dtype", DTYPES)
def test_histc(dtype):
    x = rand(dtype, 50, 3)
    for args, (lo, hi, bins) in [((), (0, 0, 100)), ((10,), (0, 0, 10)), ((7, -1, 1), (-1, 1, 7))]:
        got = lite.histc(x, *args)
        assert type(got) is TYPES[dtype] and tuple(got.size()) == (bins,)
        want = ref.histc(ref.from_numpy(npa(x)), bins=bins, min=lo, max=hi).numpy()
        np.testing.assert_array_equal(npa(got), want)
        np.testing.assert_array_equal(npa(noncontig(x).histc(*args)), want)
    assert npa(lite.histc(TYPES[dtype]([2, 2, 2]), 4)).tolist() == [0, 0, 3, 0]   # all equal: [v-1, v+1]
    with pytest.raises(TorchTypeError):
        lite.histc(lite.LongTensor([1, 2]))


# -- cat / repeatTensor / reshape / split / chunk -------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
def test_cat(dtype):
    a, b = rand(dtype, 2, 3, 4), rand(dtype, 2, 5, 4)
    want = np.concatenate([npa(a), npa(b)], axis=1)
    for x, y in ((a, b), (noncontig(a), noncontig(b))):
        np.testing.assert_array_equal(npa(lite.cat(x, y, 1)), want)
        np.testing.assert_array_equal(npa(lite.cat([x, y], 1)), want)
        np.testing.assert_array_equal(npa(x.cat(y, 1)), want)
        np.testing.assert_array_equal(npa(lite.cat(x, x)), np.concatenate([npa(a)] * 2, axis=2))   # last dim
        np.testing.assert_array_equal(npa(lite.cat(x, y, -2)), want)
        np.testing.assert_array_equal(npa(ref.cat([ref.from_numpy(npa(x)), ref.from_numpy(npa(y))], 1)), want)
    r = TYPES[dtype](1)
    assert lite.cat(r, a, b, 1) is r
    np.testing.assert_array_equal(npa(r), want)
    r = TYPES[dtype]()
    assert lite.cat(r, [a, b, a], 1) is r and tuple(r.size()) == (2, 11, 4)
    x = TYPES[dtype]()
    assert x.cat([a, b], 1) is x                                # method with a list writes into x
    np.testing.assert_array_equal(npa(x), want)
    x = a.clone()
    lite.cat(x, x, b, 1)                                        # result overlapping an input
    np.testing.assert_array_equal(npa(x), want)
    with pytest.raises(TorchValueError):
        lite.cat(a, b, 0)
    with pytest.raises(TorchTypeError):
        lite.cat(a, lite.LongTensor(2, 3, 4))


def test_cat_torch7_size_rules():
    # TH's catArray: a missing trailing dimension counts as size 1
    v, m = lite.DoubleTensor([1, 2, 3]), lite.DoubleTensor([[4], [5], [6]])
    assert lite.cat(m, v, 1).tolist() == [[4, 1], [5, 2], [6, 3]]
    assert lite.cat(m, v).tolist() == [[4, 1], [5, 2], [6, 3]]     # default: the last of the most dims
    with pytest.raises(TorchValueError):
        lite.cat(m.t(), v, 0)                                       # 1x3 against 3x1
    assert lite.cat(v, v, 1).tolist() == [[1, 1], [2, 2], [3, 3]]
    assert lite.cat(lite.DoubleTensor(), v).tolist() == [1, 2, 3]  # empty tensors are skipped


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("reps", [(2,), (2, 3), (3, 1, 2), (1, 2, 2, 2)])
def test_repeat_tensor(dtype, reps):
    for shape in [(3,), (2, 3)]:
        if len(reps) < len(shape):
            with pytest.raises(TorchValueError):
                lite.repeatTensor(rand(dtype, *shape), *reps)
            continue
        x = rand(dtype, *shape)
        want = ref.from_numpy(npa(x)).repeat(*reps).numpy()
        np.testing.assert_array_equal(npa(lite.repeatTensor(x, *reps)), want)
        np.testing.assert_array_equal(npa(x.repeatTensor(*reps)), want)
        np.testing.assert_array_equal(npa(noncontig(x).repeatTensor(list(reps))), want)
        r = TYPES[dtype]()
        assert lite.repeatTensor(r, x, *reps) is r
        np.testing.assert_array_equal(npa(r), want)


@pytest.mark.parametrize("dtype", DTYPES)
def test_reshape(dtype):
    x = rand(dtype, 2, 6)
    for src in (x, noncontig(x), x.t()):
        want = npa(src).reshape(3, 4)
        got = lite.reshape(src, 3, 4)
        np.testing.assert_array_equal(npa(got), want)
        assert not got.storage().isSharedWith(src.storage())     # a copy, as the manual says
        np.testing.assert_array_equal(npa(src.reshape(lite.LongStorage([4, 3]))), npa(src).reshape(4, 3))
        r = TYPES[dtype]()
        assert lite.reshape(r, src, 12) is r and npa(r).tolist() == npa(src).reshape(-1).tolist()
    with pytest.raises(TorchValueError):
        lite.reshape(x, 5, 2)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("dim", [0, 1])
def test_split_chunk(dtype, dim):
    x = rand(dtype, 7, 5)
    for size in (1, 2, 3, 7, 9):
        parts = lite.split(x, size, dim)
        want = ref.split(ref.from_numpy(npa(x)), size, dim)
        assert isinstance(parts, list) and len(parts) == len(want)
        for p, w in zip(parts, want):
            np.testing.assert_array_equal(npa(p), w.numpy())
            assert p.storage() is x.storage()                    # views
        assert [tuple(p.size()) for p in x.split(size, dim)] == [tuple(w.shape) for w in want]
        n = 3
        chunks = lite.chunk(x, n, dim)
        step = -(-x.size(dim) // n)
        assert [p.size(dim) for p in chunks] == [min(step, x.size(dim) - s) for s in range(0, x.size(dim), step)]
        np.testing.assert_array_equal(np.concatenate([npa(p) for p in chunks], axis=dim), npa(x))
    res = ["old"]
    assert lite.split(res, x, 3, dim) is res and len(res) == -(-x.size(dim) // 3)
    res = []
    assert lite.chunk(res, x, 2, dim) is res and len(res) == 2
    assert [p.size(0) for p in lite.split(x, 3)] == [3, 3, 1]       # default: the first dimension
    parts = x.split(2, dim)
    parts[0].fill(0)
    assert np.all(npa(x).take(range(2), axis=dim) == 0)
    with pytest.raises(TorchValueError):
        lite.split(x, 0)
    with pytest.raises(TorchError):
        lite.split(x, 2, 2)
