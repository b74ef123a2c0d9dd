"""require 'hdf5' (deepmind/torch-hdf5's API) with h5py itself as the reference: files written from
Lua are read with h5py directly, files written with h5py are read from Lua."""
import os
import re

import numpy as np
import pytest

h5py = pytest.importorskip("h5py")

from lua_compat.runtime import Runtime, LuaScriptError


@pytest.fixture(scope="module")
def rt():
    return Runtime()


# tensor type -> the HDF5 element type torch-hdf5 writes it as (its fileTypeMap: little-endian)
WRITE_TYPES = [("ByteTensor", "|u1"), ("CharTensor", "|i1"), ("ShortTensor", "<i2"),
               ("IntTensor", "<i4"), ("LongTensor", "<i8"), ("FloatTensor", "<f4"),
               ("DoubleTensor", "<f8")]


@pytest.mark.parametrize("tname,dtype", WRITE_TYPES)
def test_write_each_tensor_type(rt, tmp_path, tname, dtype):
    p = str(tmp_path / "t.h5")
    rt.execute("""require 'hdf5'
        local path, tname = ...
        local f = hdf5.open(path, 'w')
        local k = 0
        f:write('data', torch[tname](4, 6):apply(function() k = k + 1 return k end))
        f:close()""", p, tname)
    with h5py.File(p, "r") as f:
        assert f["data"].dtype.str == dtype
        assert f["data"].chunks is None and f["data"].maxshape == (4, 6)
        np.testing.assert_array_equal(f["data"][()], np.arange(1, 25).reshape(4, 6))


def test_write_groups_noncontiguous_and_tables(rt, tmp_path):
    p = str(tmp_path / "w.h5")
    rt.execute("""require 'hdf5'
        local f = hdf5.open(..., 'w')
        local x = torch.range(1, 12):view(3, 4)
        f:write('/data/x', x)
        f:write('/data/xt', x:t())                 -- non-contiguous: written in index order
        f:write('/grp', {a = torch.FloatTensor({1.5, 2.5}), sub = {b = torch.ByteTensor({7})}})
        f:write('/', {top = torch.IntTensor({{1, 2}, {3, 4}}), [3] = torch.LongTensor({9})})
        f:write('/empty', {})
        f:close()""", p)
    x = np.arange(1, 13, dtype=np.float64).reshape(3, 4)
    with h5py.File(p, "r") as f:
        np.testing.assert_array_equal(f["data/x"][()], x)
        np.testing.assert_array_equal(f["data/xt"][()], x.T)
        assert f["grp/a"].dtype == np.float32 and list(f["grp/a"][()]) == [1.5, 2.5]
        assert f["grp/sub/b"].dtype == np.uint8 and f["grp/sub/b"][0] == 7
        np.testing.assert_array_equal(f["top"][()], [[1, 2], [3, 4]])
        assert f["3"][()].tolist() == [9]
        assert isinstance(f["empty"], h5py.Group) and len(f["empty"]) == 0
        assert sorted(f.keys()) == ["3", "data", "empty", "grp", "top"]


def test_chunked_and_deflate_layout(rt, tmp_path):
    p = str(tmp_path / "c.h5")
    out = rt.execute("""require 'hdf5'
        local f = hdf5.open(..., 'w')
        local opt = hdf5.DataSetOptions():setChunked(10, 10):setDeflate(3)
        f:write('/z', torch.Tensor(100, 10):fill(2), opt)
        local small = hdf5.DataSetOptions():setChunked(4, 4)
        f:write('/small', torch.Tensor(2, 3):fill(1), small)    -- chunks shrink to the data
        f:write('/d6', torch.zeros(50, 50), hdf5.DataSetOptions():setChunked(25, 25):setDeflate())
        local chunks, level, maxsize = f:read('/z'):layout()
        local s = tostring(small)
        f:close()
        return s, chunks[1], chunks[2], level, maxsize[1], maxsize[2]""", p)
    # the options keep the size given (torch-hdf5 shrank them in place: a quirk not kept)
    assert out == ("[DataSetOptions: chunking=4x4]", 10, 10, 3, -1, 10)
    with h5py.File(p, "r") as f:
        assert f["z"].chunks == (10, 10) and f["z"].compression == "gzip" and f["z"].compression_opts == 3
        assert f["z"].maxshape == (None, 10) and f["z"][()].sum() == 2000
        assert f["small"].chunks == (2, 3) and f["small"].compression is None
        assert f["small"].maxshape == (None, 3)
        assert f["d6"].compression_opts == 6     # setDeflate()'s default level


def test_read_h5py_file(rt, tmp_path):
    p = str(tmp_path / "r.h5")
    a = np.random.RandomState(0).randn(4, 5, 6)
    with h5py.File(p, "w") as f:
        f["a"] = a
        f["g/f32"] = a[0].astype(np.float32)
        f["g/i64"] = np.arange(5, dtype=np.int64)
        f["g/deep/big"] = np.arange(3, dtype=">f8")
    got = rt.execute("""require 'hdf5'
        local f = hdf5.open(..., 'r')
        local a = f:read('/a'):all()
        local g = f:read('/g'):all()
        local everything = f:all()
        local size = f:read('a'):dataspaceSize()
        local same = f:read('g'):read({'deep', 'big'}):all()
        f:close()
        return a, torch.type(a), torch.type(g.f32), torch.type(g.i64), g.i64[5],
               torch.type(everything.g.f32), size[1], size[2], size[3], #size, same, everything.g.deep.big""", p)
    np.testing.assert_array_equal(got[0].numpy(), a)
    assert got[1:10] == ("torch.DoubleTensor", "torch.FloatTensor", "torch.LongTensor", 4,
                         "torch.FloatTensor", 4, 5, 6, 3)
    assert got[10].numpy().tolist() == [0, 1, 2] and got[11].numpy().tolist() == [0, 1, 2]


# (h5py dtype, values, tensor type torch-hdf5 reads, values read): integers by size, the bits kept
READ_TYPES = [
    ("u1", [0, 200, 255], "torch.ByteTensor", [0, 200, 255]),
    ("i1", [-1, 5, -128], "torch.ByteTensor", [255, 5, 128]),
    ("i2", [-300, 7, 32767], "torch.ShortTensor", [-300, 7, 32767]),
    ("u2", [65535, 1, 40000], "torch.ShortTensor", [-1, 1, 40000 - 65536]),
    ("u4", [2 ** 32 - 1, 3, 9], "torch.IntTensor", [-1, 3, 9]),
    (">i4", [-5, 6, 2 ** 31 - 1], "torch.IntTensor", [-5, 6, 2 ** 31 - 1]),
    ("u8", [2 ** 64 - 1, 0, 1], "torch.LongTensor", [-1, 0, 1]),
    ("f2", [0.5, -2.0, 1024.0], "torch.FloatTensor", [0.5, -2.0, 1024.0]),
    ("?", [True, False, True], "torch.ByteTensor", [1, 0, 1]),
]


@pytest.mark.parametrize("dtype,values,tname,expect", READ_TYPES)
def test_read_types_by_size(rt, tmp_path, dtype, values, tname, expect):
    p = str(tmp_path / "types.h5")
    with h5py.File(p, "w") as f:
        f["v"] = np.array(values, dtype=dtype)
    t, typename, factory = rt.execute("""require 'hdf5'
        local f = hdf5.open(..., 'r')
        local d = f:read('v')
        local t = d:all()
        local factory = d:getTensorFactory()
        f:close()
        return t, torch.type(t), torch.type(factory())""", p)
    assert typename == tname and factory == tname
    assert t.numpy().tolist() == expect


def test_read_scalar_empty_and_unsupported(rt, tmp_path):
    p = str(tmp_path / "odd.h5")
    with h5py.File(p, "w") as f:
        f["scalar"] = 3.25
        f["empty"] = np.zeros((0,), dtype=np.float32)
        f["text"] = b"hello"
    got = rt.execute("""require 'hdf5'
        local f = hdf5.open(..., 'r')
        local s, e = f:read('scalar'):all(), f:read('empty'):all()
        local ok, err = pcall(function() return f:read('text'):all() end)
        f:close()
        return s:nElement(), s[1], torch.type(e), e:nElement(), ok, err""", p)
    assert got[:5] == (1, 3.25, "torch.FloatTensor", 0, False)
    assert "(string):4:" in got[5] and "data of class STRING" in got[5]


def test_partial_matches_numpy_slicing(rt, tmp_path):
    p = str(tmp_path / "p.h5")
    a = np.random.RandomState(1).randn(7, 5, 6)
    with h5py.File(p, "w") as f:
        f.create_dataset("a", data=a, chunks=(3, 2, 4))
    got = rt.execute("""require 'hdf5'
        local f = hdf5.open(..., 'r')
        local d = f:read('/a')
        local r = {d:partial({2, 3}, {1, 5}, {4, 4}), d:partial(7, {2, 4}, 6), d:partial({1, 7}, {1, 5}, {1, 6}),
                   d:partial(1, 1, 1)}
        f:close()
        return r[1], r[2], r[3], r[4]""", p)
    refs = [a[1:3, 0:5, 3:4], a[6:7, 1:4, 5:6], a, a[0:1, 0:1, 0:1]]   # a single index keeps its dimension
    for g, want in zip(got, refs):
        assert tuple(g.size()) == want.shape
        np.testing.assert_array_equal(g.numpy(), want)


def test_append_grows_chunked_dataset(rt, tmp_path):
    p = str(tmp_path / "a.h5")
    out = rt.execute("""require 'hdf5'
        local path = ...
        local f = hdf5.open(path, 'w')
        f:write('/log/x', torch.range(1, 6):view(2, 3), hdf5.DataSetOptions():setChunked(4, 3))
        f:close()
        f = hdf5.open(path, 'r+')
        f:append('/log/x', torch.range(7, 9):view(1, 3))
        f:append('log/x', torch.FloatTensor({{10, 11, 12}, {13, 14, 15}}))   -- converted to the dataset's type
        local size = f:read('/log/x'):dataspaceSize()
        f:close()
        f = hdf5.open(path)      -- 'a' on an existing file: read/write
        f:append('/log', {x = torch.Tensor({{16, 17, 18}})})   -- a table appends to its group's datasets
        f:close()
        return size[1], size[2]""", p)
    assert out == (5, 3)
    with h5py.File(p, "r") as f:
        assert f["log/x"].shape == (6, 3) and f["log/x"].dtype == np.float64
        np.testing.assert_array_equal(f["log/x"][()], np.arange(1, 19).reshape(6, 3))


def test_serialized_file_reaches_the_open_file(rt, tmp_path):
    p = str(tmp_path / "s.h5")
    out = rt.execute("""require 'hdf5'
        local f = hdf5.open(..., 'w')
        f:write('g/data', torch.range(1, 4))
        local copy = torch.deserialize(torch.serialize(f))
        local t = copy:read('g/data'):all()
        local name = copy:filename()
        copy:close()
        return torch.type(copy), t:sum(), name, copy._rootGroup._parent == copy""", p)
    assert out == ("hdf5.HDF5File", 10, p, True)


def test_tostring_forms(rt, tmp_path):
    p = str(tmp_path / "n.h5")
    out = rt.execute("""require 'hdf5'
        local f = hdf5.open(..., 'w')
        f:write('g/d', torch.zeros(2))
        local s = {tostring(f), tostring(f:read('g')), tostring(f:read('g/d')),
                   tostring(hdf5.DataSetOptions()), tostring(hdf5.DataSetOptions():setChunked(3, 4, 5)),
                   f:_printOpenObjects()}
        f:close()
        return unpack(s)""", p)
    assert out[0].startswith("[HDF5File: (") and out[0].endswith(" / FILE) %s]" % p)
    assert out[1].startswith("[HDF5Group ") and out[1].endswith(" /g]")
    assert out[2].startswith("[HDF5DataSet (") and out[2].endswith(" /g/d DATASET)]")
    assert out[3:] == ("[DataSetOptions: chunking=none]", "[DataSetOptions: chunking=3x4x5]", 4)   # file, /, g, d


def test_test_utils_and_debug_mode(rt, tmp_path):
    out = rt.execute("""require 'hdf5'
        local U = hdf5._testUtils
        local dir
        U.withTmpDir(function(d) dir = d assert(paths.dirp(d)) end)
        local gone = not paths.dirp(dir)
        local dir2
        local ok = pcall(U.withTmpDir, function(d) dir2 = d error('boom') end)
        local a = {x = torch.Tensor({1, 2}), y = {z = torch.Tensor({3})}}
        local b = {x = torch.Tensor({1, 2.5}), y = {z = torch.Tensor({3})}}
        local r1 = U.deepAlmostEq(a, b, 0.6)
        local r2, why = U.deepAlmostEq(a, b, 0.4)
        local r3, why3 = U.deepAlmostEq({x = torch.FloatTensor({1})}, {x = torch.Tensor({1})}, 1)
        local r4, why4 = U.deepAlmostEq({x = 1}, {y = 1}, 1)
        return gone, ok, not paths.dirp(dir2), r1, r2, why, r3, why3, r4, why4, a.x[2]""")
    assert out == (True, False, True, True, False, "tensor values differ by 0.5 > 0.4", False,
                   "type mismatch", False, "mismatching table keys", 2)


def test_debug_mode_logs_with_the_script_line(tmp_path, capsys):
    rt = Runtime()   # debug mode stays on in its runtime
    p = str(tmp_path / "dbg.h5")
    out = rt.execute("""require 'hdf5'
        local before = hdf5._inDebugMode()
        local f = hdf5.open(..., 'w')      -- quiet
        hdf5.debugMode()
        f:write('g/x', torch.zeros(2))
        f:close()
        return before, hdf5._inDebugMode()""", p)
    assert out == (False, True)
    text = capsys.readouterr().out
    assert re.search(r"^\(string\):5 Creating child 'g' of \[HDF5Group \d+ /\]", text, re.M), text
    assert re.search(r"^\(string\):6 Closing \[HDF5File: \(\d+ / FILE\) %s\]" % re.escape(p), text, re.M), text
    assert "Opening" not in text


ERRORS = [
    # (Lua after `local f = hdf5.open(path, 'w') f:write('a', torch.zeros(2, 3))`, message)
    ("f:write('b', torch.zeros(7, 5), hdf5.DataSetOptions():setChunked(4, 4, 4))",
     "Chunk size must have same number of dimensions as data! Chunk size has 3 dimensions; data has 2"),
    ("hdf5.DataSetOptions():setChunked(4, 0)", "chunk sizes must be positive integers; size 2 is 0"),
    ("hdf5.DataSetOptions():setChunked(2.5)", "chunk sizes must be positive integers; size 1 is 2.5"),
    ("hdf5.DataSetOptions():setDeflate(10)", "the level must be an integer from 0 to 9, got 10"),
    ("f:write('c', torch.zeros(2), hdf5.DataSetOptions():setDeflate(1))",
     "TorchValueError: hdf5: cannot write /c with deflate but no chunking"),
    ("f:read('nope')", "HDF5Group:read() - no such child 'nope' for [HDF5Group"),
    ("f:write('g/h/x', torch.zeros(1)) f:read('g/h/nope')", ("no such child 'nope' for [HDF5Group ", " /g/h]")),
    ("f:write('g/h/x', torch.zeros(1)) f:read('g'):read({'h', 'x', 'y'})", "'x' in [HDF5Group "),
    ("f:read('a/b')", ("HDF5Group:read() - 'a' in [HDF5Group ", " /] is a dataset, not a group")),
    ("f:read('a'):partial({1, 3}, {1, 1})", "range {1, 3} is outside dimension 1 of size 2"),
    ("f:read('a'):partial(1, 1, 1)", "dimension mismatch. Expected 2 but 3 were given."),
    ("f:read('a'):partial('x', 1)", "range 1 must be an index or {first, last}"),
    ("f:write('a', torch.zeros(2))", "TorchValueError: hdf5: cannot write /a in"),
    ("f:write('a/x', torch.zeros(2))", ("HDF5Group:write() - 'a' in [HDF5Group ", " /] is a dataset, not a group")),
    ("f:append('a', torch.zeros(1, 3))", "cannot append to /a: it was written without chunking"),
    ("f:append('zz', torch.zeros(1, 3))", "HDF5Group:append() - no dataset 'zz'"),
    ("f:write('q', torch.zeros(1, 3), hdf5.DataSetOptions():setChunked(1, 3)) f:append('q', torch.zeros(1, 4))",
     "cannot append a tensor of size 1x4 to /q of size 1x3"),
    ("f:write('/', torch.zeros(2))", "must provide a table when writing to the root location"),
    ("f:write('n', 3)", "HDF5File:write() requires a tensor or table as its second parameter, got number"),
    ("f:write('t', {x = 'text'})", "torch-hdf5: writing data of type string is not supported"),
    ("f:close() f:read('a')", "TorchValueError: hdf5: the file %(path)s is closed"),
    ("f:close() hdf5.open(path, 'r'):write('b', torch.zeros(1))", "is open read-only (mode 'r')"),
    ("f:close() hdf5.open(path, 'w-')", "cannot create %(path)s with mode 'w-': the file exists"),
    ("hdf5.open(path, 'rw')", "Unknown mode 'rw' for hdf5.open()"),
    ("hdf5.open(path .. '.missing', 'r')", "cannot open %(path)s.missing with mode 'r': no such file"),
    ("hdf5.open(path .. '.d/x.h5')", "HDF5File.open: no such directory %(path)s.d"),
]


@pytest.mark.parametrize("code,message", ERRORS)
def test_errors(rt, tmp_path, code, message):
    p = str(tmp_path / "e.h5")
    with pytest.raises(LuaScriptError) as info:
        rt.execute("""require 'hdf5' local path = ...
            local f = hdf5.open(path, 'w') f:write('a', torch.zeros(2, 3))
            %s""" % code, p)
    msg = str(info.value)
    assert msg.startswith("(string):3: "), msg      # the Lua line that made the bad call
    for part in (message,) if isinstance(message, str) else message:
        assert part % {"path": p} in msg, msg
    rt.execute("for _, f in ipairs({}) do end")       # the runtime is still usable
    assert os.path.exists(p)


def test_open_file_passed_to_threads(rt, tmp_path):
    # torch-hdf5's usage.md: an open file handed to `threads` workers, each reading its dataset
    p = str(tmp_path / "th.h5")
    with h5py.File(p, "w") as f:
        f["data1"] = np.arange(10.0)
        f["data2"] = np.arange(100.0, 110.0)
    sums = rt.execute("""require 'hdf5'
        local threads = require 'threads'
        local mainfile = hdf5.open(..., 'r')
        local got = {}
        local pool = threads.Threads(2, function() require 'torch' require 'hdf5' end)
        pool:specific(true)
        for i = 1, 2 do
            pool:addjob(i, function(h5file) return __threadid, h5file:read('data' .. __threadid):all() end,
                        function(id, t) got[id] = t:sum() end, mainfile)
        end
        pool:synchronize()
        pool:terminate()
        mainfile:close()
        return got[1], got[2]""", p)
    assert sums == (45, 1045)
