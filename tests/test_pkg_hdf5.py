"""require 'hdf5' (torch-hdf5's API) with h5py itself as the reference."""
import numpy as np
import pytest

h5py = pytest.importorskip("h5py")

from lua_compat.runtime import Runtime, LuaScriptError


@pytest.fixture(scope="module")
def rt():
    return Runtime()


def test_write_then_h5py_reads(rt, tmp_path):
    p = str(tmp_path / "w.h5")
    rt.execute("""require 'hdf5'
        local f = hdf5.open(..., 'w')
        local x = torch.range(1, 12):view(3, 4)
        f:write('/data/x', x)
        f:write('/data/i', torch.IntTensor({{1, 2}, {3, 4}}))
        f:write('/grp', {a = torch.FloatTensor({1.5, 2.5}), b = torch.ByteTensor({7})})
        f:write('/z', torch.Tensor(100, 10):fill(2), hdf5.DataSetOptions():setChunked(10, 10):setDeflate(3))
        f:close()""", p)
    with h5py.File(p, "r") as f:
        np.testing.assert_array_equal(f["data/x"][()], np.arange(1, 13, dtype=np.float64).reshape(3, 4))
        assert f["data/x"].dtype == np.float64 and f["data/i"].dtype == np.int32
        np.testing.assert_array_equal(f["data/i"][()], [[1, 2], [3, 4]])
        assert f["grp/a"].dtype == np.float32 and list(f["grp/a"][()]) == [1.5, 2.5]
        assert f["grp/b"].dtype == np.uint8 and f["grp/b"][0] == 7
        assert f["z"].chunks == (10, 10) and f["z"].compression == "gzip" and f["z"][()].sum() == 2000


def test_read_h5py_file(rt, tmp_path):
    p = str(tmp_path / "r.h5")
    a = np.random.RandomState(0).randn(4, 5, 6)
    with h5py.File(p, "w") as f:
        f["a"] = a
        f["g/f32"] = a[0].astype(np.float32)
        f["g/i64"] = np.arange(5, dtype=np.int64)
    got = rt.execute("""require 'hdf5'
        local f = hdf5.open(..., 'r')
        local a = f:read('/a'):all()
        local part = f:read('/a'):partial({2, 3}, {1, 5}, {4, 4})
        local g = f:read('/g'):all()
        local everything = f:all()
        local size = f:read('a'):dataspaceSize()
        f:close()
        return a, part, torch.type(a), torch.type(g.f32), torch.type(g.i64), g.i64[5],
               torch.type(everything.g.f32), size[1], size[2], size[3]""", p)
    np.testing.assert_array_equal(got[0].numpy(), a)
    np.testing.assert_array_equal(got[1].numpy(), a[1:3, 0:5, 3:4])
    assert got[2:] == ("torch.DoubleTensor", "torch.FloatTensor", "torch.LongTensor", 4,
                       "torch.FloatTensor", 4, 5, 6)


def test_errors(rt, tmp_path):
    p = str(tmp_path / "e.h5")
    with h5py.File(p, "w") as f:
        f["a"] = np.zeros((2, 2))
    with pytest.raises(LuaScriptError, match="has no object at /nope"):
        rt.execute("require 'hdf5' local f = hdf5.open(..., 'r') f:read('/nope')", p)
    with pytest.raises(LuaScriptError, match=r"range \{1, 3\} is outside dimension 1 of size 2"):
        rt.execute("require 'hdf5' hdf5.open(..., 'r'):read('/a'):partial({1, 3}, {1, 1})", p)
    with pytest.raises(LuaScriptError, match="cannot open"):
        rt.execute("require 'hdf5' hdf5.open(..., 'r')", str(tmp_path / "missing.h5"))
