"""The compiled fast paths of the tensor core give exactly what the general paths give.

csrc/_views.pyx builds a tensor's numpy array (Tensor._a) from its storage's buffer; the general
path (Tensor._build_array, np.ndarray over the buffer) is the reference: same shape, strides,
memory, values and writeability, the same error for a view outside its storage, and the array is
dropped when the storage reallocates.
"""
import gc

import numpy as np
import pytest

import pytorch_lite as torch
from pytorch_lite.errors import TorchValueError

TYPES = [torch.ByteTensor, torch.CharTensor, torch.ShortTensor, torch.IntTensor, torch.LongTensor,
         torch.FloatTensor, torch.DoubleTensor, torch.HalfTensor]


def general_array(t):
    """The array the general path (Tensor._build_array) builds, on a fresh tensor like t."""
    return type(t)._make(t._storage, t._offset, t._size, t._stride)._build_array()


def views_of(x):
    """A spread of views: narrow, select, transpose, unfold, expand, sub, a 1-element view."""
    yield x
    yield x.narrow(0, 1, 2)
    yield x.select(1, 2)
    yield x.t()
    yield x.narrow(1, 1, 3).t()
    yield x.unfold(1, 2, 2)
    yield x.select(0, 1).unfold(0, 3, 1)
    yield x.narrow(0, 2, 1).narrow(1, 4, 1)
    yield x.view(-1)
    yield x.select(0, 2).view(1, 5).expand(3, 5)
    yield x.sub(1, 2, 0, -1)


@pytest.mark.parametrize("cls", TYPES)
def test_view_arrays_match_the_general_path(cls):
    x = cls(np.arange(20).reshape(4, 5).astype(cls.dtype))
    for v in views_of(x):
        a = v._a
        ref = general_array(v)
        assert type(a) is np.ndarray and a.dtype == cls.dtype
        assert a.shape == ref.shape and a.strides == ref.strides
        assert a.__array_interface__["data"] == ref.__array_interface__["data"]
        assert np.array_equal(a, ref) and a.flags.writeable
        assert np.shares_memory(a, x._storage._data)
        assert v._a is a          # cached


def test_view_array_writes_reach_the_storage():
    x = torch.DoubleTensor(3, 4).zero()
    v = x.narrow(1, 1, 2)
    v._a[...] = 7
    assert x.tolist() == [[0, 7, 7, 0]] * 3


def test_read_only_storage_gives_read_only_arrays():
    base = np.arange(6.0)
    base.flags.writeable = False
    x = torch.from_numpy(base)
    assert not x.narrow(0, 1, 3)._a.flags.writeable
    assert not general_array(x.narrow(0, 1, 3)).flags.writeable


def test_view_outside_storage_is_the_same_error():
    x = torch.DoubleTensor(6)
    bad = torch.DoubleTensor._make(x._storage, 4, (3,), (1,))
    with pytest.raises(TorchValueError, match="lies outside its storage of size 6"):
        bad._a
    neg = torch.DoubleTensor._make(x._storage, -1, (2,), (1,))
    with pytest.raises(TorchValueError, match="lies outside"):
        neg._a


def test_empty_and_unset_tensors():
    assert torch.DoubleTensor()._a.shape == (0,)
    e = torch.FloatTensor(3)
    e.resize(0)
    assert e._a.shape == (0,) and e._a.dtype == np.float32


def test_memmap_storage_goes_through_the_general_path(tmp_path):
    p = tmp_path / "d.bin"
    np.arange(8, dtype=np.float64).tofile(p)
    s = torch.DoubleStorage(str(p), False, 8)
    t = torch.DoubleTensor(s, 2, (3,))
    assert t._a.tolist() == [2.0, 3.0, 4.0]


def test_storage_reallocation_drops_cached_arrays():
    x = torch.DoubleTensor(4).fill(1)
    v = x.narrow(0, 1, 2)
    old = v._a
    x._storage.resize(10)          # a new buffer: every viewer must rebuild
    v._a[...] = 5
    assert v._a is not old and x.tolist() == [1, 5, 5, 1]
    assert not np.shares_memory(v._a, old)


def test_invalidate_is_idempotent_and_rebuilds():
    x = torch.DoubleTensor(5).fill(2)
    x._invalidate()
    x._invalidate()
    assert x._a.tolist() == [2.0] * 5
    x.resize(2, 2)
    assert x._a.shape == (2, 2)


def test_viewer_list_stays_bounded():
    # short-lived views register with their storage; dead ones and repeats are compacted away
    x = torch.FloatTensor(64).zero()
    keep = [x.narrow(0, i, 1) for i in range(10)]
    for k in keep:
        k._a
    for _ in range(5000):
        x.narrow(0, 3, 4)._a
    for _ in range(200):                 # one long-lived tensor rebuilt again and again
        keep[0].resize(1)
        keep[0]._invalidate()
        keep[0]._a
    gc.collect()
    assert len(x._storage._viewers) <= 2 * 11 + 16
    x._storage.resize(128)
    assert all(k._a.base is not None and np.shares_memory(k._a, x._storage._data) for k in keep)


def test_array_attribute_type_checks():
    desc = torch.Tensor.__dict__["_a"]
    with pytest.raises(TypeError):
        desc.__get__(object(), object)
    with pytest.raises(AttributeError):
        torch.DoubleTensor(2).no_such_attribute


# -- csrc/_small.pyx: small float tensors computed from the buffer --------------------------------
# Each case runs twice: with the compiled loops, and with them switched off (every function
# answering "not applicable"), which is the numpy path; the results must agree bit for bit.

from pytorch_lite import _small  # noqa: E402

FLOATS = [torch.FloatTensor, torch.DoubleTensor]


@pytest.fixture
def numpy_path(monkeypatch):
    """A context switching csrc/_small.pyx off."""
    import contextlib

    @contextlib.contextmanager
    def off():
        with monkeypatch.context() as m:
            for name in ("binary", "scalar", "copy", "fill"):
                m.setattr(_small, name, lambda *a: False)
            m.setattr(_small, "sum_all", lambda *a: None)
            m.setattr(_small, "extreme_all", lambda *a: None)
            yield
    return off


def same_bits(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def rand(cls, shape, rng, scale=True):
    a = rng.randn(*shape)
    if scale:
        a *= 10.0 ** rng.uniform(-6, 6, shape)
    return cls(a.astype(cls.dtype))


def operands(cls, rng):
    """(result, x, y) triples of one element count: fresh, in place, views, non-contiguous."""
    for n in (1, 7, 16, 129, 1000, 20000):
        x, y = rand(cls, (n,), rng), rand(cls, (n,), rng)
        yield "vector%d" % n, x, y
    big = rand(cls, (6, 10), rng)
    yield "narrow rows", big.narrow(0, 1, 2), big.narrow(0, 3, 2)
    yield "columns", big.narrow(1, 2, 3), big.narrow(1, 5, 3)          # not contiguous: numpy
    yield "shapes differ", rand(cls, (4, 5), rng), rand(cls, (20,), rng)
    yield "transposed", rand(cls, (3, 4), rng).t(), rand(cls, (4, 3), rng)


@pytest.mark.parametrize("cls", FLOATS)
@pytest.mark.parametrize("op", ["add", "csub", "cmul", "add_scalar", "csub_scalar", "mul", "add_scaled"])
def test_pointwise_in_place_matches_numpy_path(cls, op, numpy_path):
    rng = np.random.RandomState(1)
    for what, x, y in operands(cls, rng):
        for value in (0.5, 3, -1.25e-3, 1e300, 2 ** 53, 2 ** 60):
            results = []
            for fast in (True, False):
                a, b = x.clone(), y.clone()
                ctx = numpy_path() if not fast else _nullcontext()
                with ctx:
                    if op in ("add", "csub", "cmul"):
                        r = getattr(a, op)(b)
                    elif op == "add_scaled":
                        r = a.add(value, b)
                    elif op == "add_scalar":
                        r = a.add(value)
                    elif op == "csub_scalar":
                        r = a.csub(value)
                    else:
                        r = a.mul(value)
                assert r is a
                results.append(a.numpy().copy())
            assert same_bits(*results), (op, what, value)


@pytest.mark.parametrize("cls", FLOATS)
def test_pointwise_into_result_and_aliasing_match_numpy_path(cls, numpy_path):
    start = rand(cls, (40,), np.random.RandomState(2))
    outs = []
    for fast in (True, False):
        base = start.clone()
        with (numpy_path() if not fast else _nullcontext()):
            r = cls(10)
            torch.add(r, base.narrow(0, 0, 10), base.narrow(0, 10, 10))      # into a result
            torch.mul(r, r, 2.5)
            torch.cmul(base.narrow(0, 5, 10), base.narrow(0, 0, 10), base.narrow(0, 20, 10))  # overlaps
            base.narrow(0, 30, 10).add(base.narrow(0, 30, 10))               # the same elements
            base.narrow(0, 1, 10).copy(base.narrow(0, 0, 10))                # an overlapping copy
            n = cls(5, 2).copy(base.narrow(0, 12, 10))
        outs.append((r.numpy().copy(), base.numpy().copy(), n.numpy().copy()))
    for a, b in zip(*outs):
        assert same_bits(a, b)


@pytest.mark.parametrize("cls", FLOATS)
def test_fast_paths_apply_to_small_contiguous_tensors(cls):
    # the comparisons above are not vacuous: these cases do take the compiled loops
    a, b = cls(4, 4).fill(1.5), cls(16).fill(2)
    assert _small.binary(_small.ADD, a, a, b) and _small.scalar(_small.MUL, a, a, 0.5)
    assert _small.copy(b, a) and _small.fill(a.narrow(0, 1, 2), 3)
    assert _small.sum_all(a.select(1, 2)) == 1.75 + 3 + 3 + 1.75    # (1.5 + 2) * 0.5, rows 1-2 filled
    assert not _small.binary(_small.ADD, a.t(), a.t(), b)          # not contiguous
    assert not _small.scalar(_small.ADD, a, a, np.float64(2))      # not a Python number


@pytest.mark.parametrize("cls", FLOATS)
def test_fill_and_copy_match_numpy_path(cls, numpy_path):
    rng = np.random.RandomState(3)
    for value in (0.1, -0.0, 3, 1e40, -(2 ** 53), float("inf"), float("nan")):
        got = []
        for fast in (True, False):
            t = rand(cls, (5, 6), rng).narrow(0, 1, 3)
            with (numpy_path() if not fast else _nullcontext()):
                t.fill(value)
            got.append(t.numpy().copy())
        assert same_bits(*got), value
    got = []
    start = rand(cls, (4, 5), rng)
    for fast in (True, False):
        t = start.clone()
        with (numpy_path() if not fast else _nullcontext()):
            t.narrow(1, 0, 2).zero()            # not contiguous: numpy either way
            t.narrow(0, 1, 2).zero()
        got.append(t.numpy().copy())
    assert same_bits(*got) and not np.signbit(got[0][1:3]).any()
    src = rand(cls, (2, 7), rng)
    got = []
    for fast in (True, False):
        with (numpy_path() if not fast else _nullcontext()):
            got.append(cls(7, 2).copy(src).numpy().copy())
    assert same_bits(*got)


@pytest.mark.parametrize("cls", FLOATS)
def test_sum_matches_numpy_path(cls, numpy_path):
    rng = np.random.RandomState(4)
    cases = []
    for n in list(range(1, 140)) + [255, 256, 257, 1000, 1023, 4097, 8191, 8192, 8193, 30000]:
        cases.append(rand(cls, (n,), rng))
    big = rand(cls, (50, 40), rng)
    cases += [big, big.narrow(0, 3, 7), big.select(1, 5), big.select(1, 5).narrow(0, 2, 30), big.t(),
              big.narrow(1, 0, 4), big.view(2000).unfold(0, 5, 3), big.select(0, 2).view(1, 40).expand(3, 40)]
    cases += [cls([-0.0]), cls([-0.0] * 9), cls([1e308, 1e308, -1e308]) if cls is torch.DoubleTensor
              else cls([3e38, 3e38, -3e38]), cls([float("nan"), 1.0]), cls([float("inf"), -float("inf"), 2])]
    for t in cases:
        fast = t.sum()
        with numpy_path():
            slow = t.sum()
        assert type(fast) is type(slow) is float
        assert same_bits(fast, slow), (t._size, fast, slow)


@pytest.mark.parametrize("cls", FLOATS)
@pytest.mark.parametrize("op", ["max", "min"])
def test_max_min_match_numpy_path(cls, op, numpy_path):
    rng = np.random.RandomState(6)
    nan, inf = float("nan"), float("inf")
    cases = [rand(cls, (n,), rng) for n in (1, 2, 7, 100, 8192, 9000)]
    big = rand(cls, (30, 20), rng)
    cases += [big, big.t(), big.select(1, 3), big.narrow(0, 2, 5), big.select(0, 1).view(1, 20).expand(4, 20)]
    cases += [cls(v) for v in ([nan, 1.0], [1.0, nan, 2.0], [-0.0, 0.0], [0.0, -0.0], [-0.0, -1.0],
                               [0.0, 1.0, -0.0], [-inf, -inf], [inf, 3.0], [-5.0, -0.0, -3.0], [2.0, 2.0, -2.0])]
    for t in cases:
        fast = getattr(t, op)()
        with numpy_path():
            slow = getattr(t, op)()
        assert type(fast) is type(slow) is float
        assert same_bits(fast, slow), (op, t._size, fast, slow)
    assert _small.extreme_all(cls([1.0, 3.0, -2.0]), True) == 3.0          # the compiled loop did run
    assert _small.extreme_all(cls([1.0, 3.0, -2.0]), False) == -2.0


def test_fast_paths_keep_the_numpy_path_errors(numpy_path):
    x, y = torch.DoubleTensor(4), torch.DoubleTensor(5)
    for fast in (True, False):
        with (numpy_path() if not fast else _nullcontext()):
            with pytest.raises(TorchValueError, match="inconsistent tensor size"):
                x.add(y)
            with pytest.raises(TorchValueError, match="sizes do not match"):
                x.copy(y)
            with pytest.raises(torch.errors.TorchTypeError):
                x.fill("a")
            bad = torch.DoubleTensor._make(x._storage, 2, (3,), (1,))
            with pytest.raises(TorchValueError, match="lies outside"):
                bad.sum()
            with pytest.raises(TorchValueError, match="lies outside"):
                bad.mul(2)
            with pytest.raises(TorchValueError, match="lies outside"):
                bad.max()
            with pytest.raises(TorchValueError, match="one dimension"):
                torch.DoubleTensor().max()


def test_integer_and_half_tensors_take_the_numpy_path():
    for cls in (torch.IntTensor, torch.LongTensor, torch.ByteTensor, torch.HalfTensor):
        a = cls(np.arange(6).astype(cls.dtype))
        assert not _small.binary(_small.ADD, a, a, a) and _small.sum_all(a) is None
        assert a.add(a).tolist() == [0, 2, 4, 6, 8, 10] and a.sum() == 30


def _nullcontext():
    import contextlib
    return contextlib.nullcontext()


# -- geometry helpers (csrc/_views.pyx) and view's common case -----------------------------------

def reference_contiguous(size, stride):
    """TH's THTensor_isContiguous, written out: strides match the products of later sizes, except
    where the size is 1."""
    acc = 1
    for n, s in reversed(list(zip(size, stride))):
        if n != 1:
            if s != acc:
                return False
            acc *= n
    return len(size) == len(stride)


def test_geometry_helpers_match_their_definitions():
    from pytorch_lite import _views
    rng = np.random.RandomState(5)
    assert _views.contig_strides(()) == () and _views.contig_strides([2, 3, 4]) == (12, 4, 1)
    for _ in range(300):
        nd = rng.randint(0, 5)
        size = tuple(int(v) for v in rng.randint(1, 4, nd))
        expect = tuple(int(np.prod(size[i + 1:])) for i in range(nd))
        assert _views.contig_strides(size) == expect
        stride = tuple(int(v) for v in rng.randint(0, 30, nd))
        if rng.rand() < 0.5:
            stride = tuple(s if rng.rand() < 0.7 else e for s, e in zip(stride, expect))
        assert _views.is_contiguous(size, stride) == reference_contiguous(size, stride), (size, stride)
        assert _views.is_contiguous(size, expect)


def test_view_common_case_and_errors():
    x = torch.DoubleTensor(np.arange(12.0))
    v = x.view(3, 4)
    assert v._size == (3, 4) and v._stride == (4, 1) and v.storage() is x.storage()
    assert x.narrow(0, 2, 6).view(2, 3).tolist() == [[2, 3, 4], [5, 6, 7]]
    assert x.view(3, 4).t().contiguous().view(12).tolist() == np.arange(12.0).reshape(3, 4).T.ravel().tolist()
    assert x.view(1, 12, 1)._stride == (12, 1, 1)
    with pytest.raises(TorchValueError, match="inconsistent"):
        x.view(5, 2)
    with pytest.raises(TorchValueError, match="not contiguous"):
        x.view(3, 4).t().view(12)
    with pytest.raises(TorchValueError, match="positive"):
        x.view(0, 12)
    assert x.view(-1, 6)._size == (2, 6) and x.view(torch.LongStorage([4, 3]))._size == (4, 3)


def test_other_array_modules_keep_building_through_getattr(tmp_path):
    # a tensor class whose storages hold something else than a plain numpy array (CuPy arrays for
    # the Cuda types) builds `_a` in its own __getattr__, as before the compiled path existed
    calls = []

    class Other(torch.DoubleTensor):
        __slots__ = ()

        def __getattr__(self, name):
            calls.append(name)
            return torch.DoubleTensor.__getattr__(self, name)

    p = tmp_path / "d.bin"
    np.arange(6, dtype=np.float64).tofile(p)
    t = Other._make(torch.DoubleStorage(str(p), False, 6), 1, (2,), (2,))   # a memmap: not plain
    assert t._a.tolist() == [1.0, 3.0] and calls == ["_a"]
    assert t._a.tolist() == [1.0, 3.0] and calls == ["_a"]        # cached
    plain = Other._make(torch.DoubleStorage(6), 0, (3,), (1,))
    assert plain._a.shape == (3,) and calls == ["_a"]              # numpy storages: built directly


@pytest.mark.parametrize("cls", FLOATS)
def test_fast_paths_never_write_a_read_only_storage(cls):
    base = np.arange(4, dtype=cls.dtype)
    base.flags.writeable = False
    x = torch.from_numpy(base)
    for op in (lambda: x.add(1.0), lambda: x.mul(2.0), lambda: x.cmul(x), lambda: x.fill(3.0),
               lambda: x.zero(), lambda: x.copy(cls(4).fill(9))):
        with pytest.raises(Exception):
            op()
    assert base.tolist() == [0, 1, 2, 3]


def test_resize_to_the_same_sizes_keeps_the_strides():
    # TH's resizeNd returns at once when the sizes already match (only a stride argument, which
    # resize does not pass, could differ): a transposed view stays transposed, same elements
    base = torch.DoubleTensor(np.arange(12.0).reshape(3, 4))
    x = base.t()
    arr = x._a
    assert x.resize(4, 3) is x and x.stride(0) == 1 and x.stride(1) == 4 and x._a is arr
    assert x.resize(torch.LongStorage([4, 3])).stride(1) == 4
    assert x.numpy().tolist() == np.arange(12.0).reshape(3, 4).T.tolist()
    x.resize(2, 6)
    assert x.isContiguous() and x.stride(0) == 6
