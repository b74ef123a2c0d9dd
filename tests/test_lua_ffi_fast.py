"""The tensor methods Lua runs without crossing into Python (lua_compat/lua/prelude.lua over
csrc/plite_meta.h, csrc/_views.pyx and csrc/_small.pyx's FFI entry points).

Every case is run from Lua and compared bit for bit with the numpy path of the same Python
method (csrc/_small.pyx's Python-side functions switched off: test_tensor_fast_paths's
numpy_path fixture), and the tests check that the fast
path was taken (the FFI entry points count their calls; a profile hook sees no Python call) and
that the struct follows every change of a tensor's geometry and storage."""
import io
import re
import sys

import numpy as np
import pytest

import pytorch_lite as torch
from pytorch_lite import _small, _views
from lua_compat import Runtime
from test_tensor_fast_paths import numpy_path  # noqa: F401  (the fixture)

FLOATS = [torch.FloatTensor, torch.DoubleTensor]
pytestmark = pytest.mark.filterwarnings("ignore::RuntimeWarning")   # NaN/overflow cases, on purpose


@pytest.fixture(scope="module")
def rt():
    return Runtime(stdout=io.StringIO())


def same_bits(a, b):
    a, b = np.asarray(a), np.asarray(b)
    return a.dtype == b.dtype and a.shape == b.shape and a.tobytes() == b.tobytes()


def rand(cls, shape, rng):
    a = rng.randn(*shape) * 10.0 ** rng.uniform(-6, 6, shape)
    return cls(a.astype(cls.dtype))


def operands(cls, rng):
    """(x, y) pairs of one element count: the fast path's cases and the ones it declines."""
    for n in (1, 7, 16, 129, 1000, 20000):
        yield "vector%d" % n, rand(cls, (n,), rng), rand(cls, (n,), rng)
    big = rand(cls, (6, 10), rng)
    yield "narrow rows", big.narrow(0, 1, 2), big.narrow(0, 3, 2)
    yield "columns", big.narrow(1, 2, 3), big.narrow(1, 5, 3)
    yield "shapes differ", rand(cls, (4, 5), rng), rand(cls, (20,), rng)
    yield "transposed", rand(cls, (3, 4), rng).t(), rand(cls, (4, 3), rng)
    special = cls(np.array([np.nan, np.inf, -np.inf, -0.0, 0.0, 1e-40, -3.5, 7], dtype=cls.dtype))
    yield "specials", special, special.clone().mul(-1)


def lua_fn(rt, code):
    return rt.execute("return function(a, b, v) %s end" % code)


def as_lua_sees_it(rt, value):
    """value as the Lua caller holds it: LuaJIT keeps one canonical NaN (the sign bit set).  A -0
    stays -0 (as in Torch7's C; the Python method would get lupa's integer 0)."""
    if value != value:
        return rt.execute("return function(v) return v end")(value)
    return value


def bits_of(t):
    return t.numpy().copy()


def test_struct_layout_is_the_compiled_one(rt):
    layout = _views.meta_layout()
    fields = [k for k in layout if k != "sizeof"]
    got = rt.execute("""
        local ffi = require 'ffi'
        local out = {sizeof = ffi.sizeof('plite_meta')}
        for _, f in ipairs({...}) do out[f] = ffi.offsetof('plite_meta', f) end
        return out""", *fields)
    assert {k: got[k] for k in layout} == layout


@pytest.mark.parametrize("cls", FLOATS)
@pytest.mark.parametrize("op", ["add", "csub", "cmul", "add_scalar", "csub_scalar", "mul"])
def test_arithmetic_from_lua_is_the_numpy_path(rt, cls, op, numpy_path):
    code = {"add": "return a:add(b) == a", "csub": "return a:csub(b) == a", "cmul": "return a:cmul(b) == a",
            "add_scalar": "return a:add(v) == a", "csub_scalar": "return a:csub(v) == a",
            "mul": "return a:mul(v) == a"}[op]
    f = lua_fn(rt, code)
    rng = np.random.RandomState(1)
    for what, x, y in operands(cls, rng):
        for value in (0.5, 3, -1.25e-3, 1e300, 2.0 ** 60, float("nan")):
            a, b = x.clone(), y.clone()
            assert f(a, b, value) is True
            value = as_lua_sees_it(rt, value)
            with numpy_path():
                a2, b2 = x.clone(), y.clone()
                {"add": lambda: a2.add(b2), "csub": lambda: a2.csub(b2), "cmul": lambda: a2.cmul(b2),
                 "add_scalar": lambda: a2.add(value), "csub_scalar": lambda: a2.csub(value),
                 "mul": lambda: a2.mul(value)}[op]()
            assert same_bits(bits_of(a), bits_of(a2)), (op, what, value)


@pytest.mark.parametrize("cls", FLOATS)
def test_fill_zero_copy_from_lua_are_the_numpy_path(rt, cls, numpy_path):
    fill, zero, copy = lua_fn(rt, "a:fill(v) return a"), lua_fn(rt, "return a:zero()"), lua_fn(rt, "return a:copy(b)")
    rng = np.random.RandomState(2)
    for what, x, y in operands(cls, rng):
        for value in (0.1, -7, 1e300, float("nan")):
            a = x.clone()
            assert fill(a, None, value) is a
            value = as_lua_sees_it(rt, value)
            with numpy_path():
                a2 = x.clone().fill(value)
            assert same_bits(bits_of(a), bits_of(a2)), (what, value)
        a = x.clone()
        assert zero(a) is a and same_bits(bits_of(a), np.zeros(x._size, cls.dtype))
        a = x.clone()
        assert copy(a, y) is a
        with numpy_path():
            a2 = x.clone().copy(y)
        assert same_bits(bits_of(a), bits_of(a2)), what


@pytest.mark.parametrize("cls", FLOATS)
def test_sum_max_min_from_lua_are_the_numpy_path(rt, cls, numpy_path):
    f = lua_fn(rt, "return a:sum(), a:max(), a:min()")
    rng = np.random.RandomState(3)
    cases = list(operands(cls, rng))
    big = rand(cls, (9, 7), rng)
    cases.append(("strided column", big.select(1, 2), None))
    cases.append(("zeros", cls(5).zero(), None))
    for what, x, _ in cases:
        got = f(x)
        with numpy_path():
            want = (x.sum(), x.max(), x.min())
        for g, w in zip(got, want):
            assert np.float64(g).tobytes() == np.float64(w).tobytes() or (np.isnan(g) and np.isnan(w)), what


@pytest.mark.parametrize("cls", FLOATS)
def test_a_negative_zero_number_stays_negative_on_the_fast_path(rt, cls):
    # Torch7's C gets -0.0 from Lua; lupa hands Python the integer 0 (a known limit of the slow path)
    x = cls(4).fill(-0.0)
    r = rt.execute("return function(x) x:mul(-0) local y = x:clone():fill(-0) return x, y end")(x)
    assert np.signbit(x.numpy()).tolist() == [False] * 4          # -0 * -0 = +0
    assert np.signbit(r[1].numpy()).tolist() == [True] * 4


def test_the_fast_paths_are_taken_and_stay_in_lua(rt):
    a, b = torch.DoubleTensor(16).fill(1), torch.DoubleTensor(16).fill(2)
    loop = rt.execute("""return function(a, b, n)
        local s = 0
        for i = 1, n do
           a:add(b):mul(0.5):csub(0.25)
           a:cmul(b)
           a:fill(1):add(3)
           s = s + a:sum() + a:max() - a:min() + a:size(1) + a:dim() + a:nElement() + a:stride(1)
           a[3] = a[2] + a[1]
           b:copy(a):zero():add(2)
        end
        return s
    end""")
    loop(a, b, 1)                       # the structs are made on first use
    calls = []

    def hook(frame, event, arg):
        if event == "call":
            calls.append(frame.f_code.co_name)
    before = _small.ffi_count()
    sys.setprofile(hook)
    try:
        s = loop(a, b, 100)
    finally:
        sys.setprofile(None)
    # per iteration: add mul csub cmul fill add sum max min copy zero add
    assert _small.ffi_count() - before == 100 * 12
    assert calls == []
    assert s == 100 * (16 * 4 + 4 - 4 + 16 + 1 + 16 + 1)     # a is all 4 when summed
    assert a.tolist()[:3] == [4, 4, 8] and b.tolist() == [2] * 16


def test_the_struct_follows_geometry_and_storage_changes(rt):
    f = rt.execute("""return function(a)
        local out = {}
        a:fill(1)
        out[1] = a:sum()
        a:resize(8):fill(2)
        out[2] = a:sum() + a:size(1)
        a:storage():resize(1000)          -- reallocates: every view's struct is dropped
        a:fill(3)
        out[3] = a:sum()
        a:set(torch.DoubleTensor(3):fill(5))
        out[4] = a:sum() + a:nElement()
        a:resize(2, 3):zero()
        out[5] = a:dim() + a:size(2)
        local v = a:view(6)
        v[6] = 9
        out[6] = a[2][3]
        a:resize(4):fill(1)
        out[7] = a:sum()
        return out
    end""")
    a = torch.DoubleTensor(4)
    out = f(a)
    assert [out[i] for i in range(1, 8)] == [4, 24, 24, 18, 5, 9, 4]
    # a Python-side change of geometry reaches Lua too
    g = rt.execute("return function(a) return a:sum(), a:size(1), a:dim() end")
    a.resize(3, 1).fill(2)
    assert tuple(g(a)) == (6, 3, 2)
    a.set(torch.DoubleTensor(5).fill(1))
    assert tuple(g(a)) == (5, 5, 1)


def test_resize_to_the_same_size_keeps_the_view():
    a = torch.FloatTensor(3, 4)
    _views.meta_address(a)
    arr = a._a
    a.resize(3, 4)
    assert a._th.valid == 1 and a._a is arr
    a.resize(4, 3)
    assert a._th.valid == 0 and a._a.shape == (4, 3)


def test_a_copied_meta_slot_is_not_shared():
    a = torch.DoubleTensor(4).fill(1)
    _views.meta_address(a)
    b = torch.DoubleTensor(2).fill(3)
    b._th = a._th                      # a slot copied by hand must not make b mirror a
    assert _views.meta_address(b) != _views.meta_address(a)
    assert b._th.valid == 1 and b.sum() == 6


@pytest.mark.parametrize("cls", [torch.ByteTensor, torch.CharTensor, torch.ShortTensor, torch.IntTensor,
                                 torch.LongTensor, torch.FloatTensor, torch.DoubleTensor])
def test_vector_elements_from_lua(rt, cls):
    info = np.iinfo(cls.dtype) if cls.dtype.kind in "iu" else None
    values = [info.min, info.max, 1, 0] if info else [0.1, -2.5e-30, 1e30, -0.0]
    if cls is torch.LongTensor:
        values = [-2 ** 53, 2 ** 53, 1, 0]
    x = cls(np.array(values, dtype=cls.dtype))
    col = cls(np.array([values, values, values], dtype=cls.dtype).T.copy()).select(1, 1)   # stride 3
    read = rt.execute("return function(x) local t = {} for r = 1, 3 do for i = 1, x:size(1) do "
                      "t[#t + 1] = x[i] end end return t end")
    for t in (x, col):
        got = read(t)
        assert [got[i] for i in range(1, 13)] == [v.item() for v in np.array(values, dtype=cls.dtype)] * 3
    write = rt.execute("return function(x, v) for r = 1, 3 do x[2] = v end return x[2] end")
    for v in (0.1, 1e30, 300, -1.5):
        t = x.clone()
        with np.errstate(all="ignore"):
            if cls.dtype.kind in "iu" and not (info.min <= int(v) <= info.max):
                continue
            want = cls(np.array([values[0], v, values[2], values[3]])).tolist()[1] if cls.dtype.kind == "f" \
                else int(v)
        assert write(t, v) == want and t.tolist()[1] == want


def test_indexing_keeps_its_other_forms_and_errors(rt):
    r = rt.execute("""
        local m = torch.Tensor{{1, 2}, {3, 4}}
        local row = m[2]
        row[1] = row[1] + row[1]            -- a vector view: reaches m
        local ok, err = pcall(function() return row[3] end)
        local ok2, err2 = pcall(function() row[0] = 1 end)
        local v = torch.Tensor{1, 2, 3}
        v[2.0] = 7
        return m[2][1], torch.type(row), ok, err, ok2, v[2], v[{2}], (#v)[1]
    """)
    assert r[0] == 6 and r[1] == "torch.DoubleTensor"
    assert r[2] is False and re.match(r"\(string\):5: .*out of range", r[3])
    assert r[4] is False
    assert r[5] == 7 and r[6] == 7 and r[7] == 3


def test_errors_still_come_from_the_python_methods(rt):
    r = rt.execute("""
        local a = torch.DoubleTensor(4):fill(1)
        a:sum()
        local ok1, e1 = pcall(function() return a:add(torch.FloatTensor(4)) end)
        local ok2, e2 = pcall(function() return a:size(3) end)
        local ok3, e3 = pcall(function() return a:narrow(1, 3, 5) end)
        local ok4, e4 = pcall(function() return a:add(torch.DoubleTensor(5)) end)
        return ok1, e1, ok2, e2, ok3, e3, ok4, e4
    """)
    oks, errs = r[0::2], r[1::2]
    assert not any(oks)
    assert all(isinstance(e, str) and re.match(r"\(string\):\d: ", e) for e in errs), errs


def test_narrow_from_lua(rt):
    a = torch.DoubleTensor(np.arange(24.0).reshape(4, 6))
    f = rt.execute("""return function(a)
        local r = a:narrow(1, 2, 2)
        local c = a:narrow(2, 3, 2)                    -- not contiguous
        local v = a:select(1, 1):narrow(1, 2, 4)
        local t = a:narrow(1, 4 / 2, 5 / 2)            -- Torch7's C truncated these
        return r:sum(), c:sum(), v:sum(), t:size(1), torch.type(r), r:storage() == a:storage(),
               r:narrow(2, 1, 1):sum()
    end""")
    got = f(a)
    x = np.arange(24.0).reshape(4, 6)
    assert got[0] == x[1:3].sum() and got[1] == x[:, 2:4].sum() and got[2] == x[0, 1:5].sum()
    assert got[3] == 2 and got[4] == "torch.DoubleTensor" and got[6] == x[1:3, 0].sum()


def test_read_only_storage_is_not_written(rt):
    base = np.arange(4.0)
    base.flags.writeable = False
    x = torch.from_numpy(base)
    f = rt.execute("return function(x) return pcall(function() x:add(1) end) end")
    ok = f(x)
    assert base.tolist() == [0, 1, 2, 3]
    assert (ok if not isinstance(ok, tuple) else ok[0]) is False
    g = rt.execute("return function(x) return pcall(function() x[1] = 5 end) end")
    g(x)
    assert base.tolist() == [0, 1, 2, 3]


def test_lua_patched_methods_still_win():
    rt = Runtime(stdout=io.StringIO())
    r = rt.execute("""
        local old = torch.DoubleTensor.add
        function torch.FloatTensor:add(x) return 'patched' end
        local a = torch.FloatTensor(3):fill(1)
        local b = torch.DoubleTensor(3):fill(1)
        return a:add(a), b:add(b):sum()
    """)
    assert r[0] == "patched" and r[1] == 6


def test_tensors_the_struct_cannot_describe_keep_the_python_methods(rt):
    x = torch.DoubleTensor(*([1] * 8 + [3])).fill(2)          # 9 dimensions
    assert _views.meta_address(x) == 0
    assert _views.meta_address("not a tensor") == 0
    f = rt.execute("return function(x) x:add(1) return x:sum(), x:dim(), x:size(9), x:nElement() end")
    before = _small.ffi_count()
    assert tuple(f(x)) == (9, 9, 3, 3)
    assert _small.ffi_count() == before


def test_a_fresh_view_gets_its_struct_from_the_storage_and_loses_it_on_reallocation():
    import ctypes
    a = torch.DoubleTensor(10).fill(1)
    v = a.narrow(0, 2, 4)
    addr = _views.meta_address(v)              # no numpy view built: straight from the storage
    layout = _views.meta_layout()
    data = ctypes.c_void_p.from_address(addr + layout["data"]).value
    assert data == a.storage()._data.ctypes.data + 2 * 8
    assert ctypes.c_double.from_address(addr + layout["nelem"]).value == 4
    a.storage().resize(1000)                   # a new buffer: the struct must not point at the old one
    assert v._th.valid == 0
    assert _views.meta_address(v) == addr and v._th.valid == 1
    assert ctypes.c_void_p.from_address(addr + layout["data"]).value == a.storage()._data.ctypes.data + 16


def test_select_and_matrix_indexing_from_lua(rt):
    x = torch.DoubleTensor(np.arange(60.0).reshape(3, 4, 5))
    f = rt.execute("""return function(x)
        local out = {}
        for r = 1, 3 do                                  -- the second pass runs on the structs
           x[2][3][4] = x[2][3][4] + 1000
           out[#out + 1] = x[3][1][5]
           out[#out + 1] = x:select(2, 4):sum()
           out[#out + 1] = x[1]:select(2, 2):sum()       -- a strided column
           out[#out + 1] = x:select(3, 5)[2][1]
        end
        local ok, err = pcall(function() return x:select(1, 4) end)
        local ok2, err2 = pcall(function() return x[0] end)
        return out, ok, err, ok2
    end""")
    out, ok, err, ok2 = f(x)
    ref = np.arange(60.0).reshape(3, 4, 5)
    got = [out[i] for i in range(1, 13)]
    want = []
    for r in range(3):
        ref[1, 2, 3] += 1000
        want += [ref[2, 0, 4], ref[:, 3, :].sum(), ref[0, :, 1].sum(), ref[:, :, 4][1, 0]]
    assert got == want and x.numpy()[1, 2, 3] == 3 * 1000 + 33
    assert ok is False and re.match(r"\(string\):\d+: .*out of range", err) and ok2 is False


def test_structs_read_in_a_compiled_loop_follow_changes_made_inside_it(rt):
    # LuaJIT compiles the loop; the geometry and storage changes happen in Python between FFI
    # calls, and every read after them must see the new struct
    f = rt.execute("""return function(n)
        local a = torch.DoubleTensor(3):fill(1)
        local s, sizes = 0, 0
        for i = 1, n do
           a:add(1)
           if i % 7 == 0 then a:resize(i % 5 + 1):fill(i) end
           if i % 11 == 0 then a:storage():resize(64 + i) end
           if i % 13 == 0 then a:set(torch.DoubleTensor(2):fill(-i)) end
           s = s + a:sum() + a[1]
           sizes = sizes + a:size(1) + a:nElement()
        end
        return s, sizes
    end""")
    a = torch.DoubleTensor(3).fill(1)
    s = sizes = 0.0
    for i in range(1, 2001):
        a.add(1)
        if i % 7 == 0:
            a.resize(i % 5 + 1).fill(i)
        if i % 11 == 0:
            a.storage().resize(64 + i)
        if i % 13 == 0:
            a.set(torch.DoubleTensor(2).fill(-i))
        s += a.sum() + a[0]
        sizes += a.size(0) + a.nElement()
    assert tuple(f(2000)) == (s, sizes)
