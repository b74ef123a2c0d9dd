"""require 'lfs' against os.stat/os.listdir as the reference."""
import os
import stat

import pytest

from lua_compat.runtime import Runtime


@pytest.fixture(scope="module")
def rt():
    return Runtime()


def test_attributes(rt, tmp_path):
    f = tmp_path / "a.bin"
    f.write_bytes(b"x" * 123)
    os.chmod(f, 0o640)
    os.symlink(f, tmp_path / "ln")
    st = os.stat(f)
    got = rt.execute("""local lfs = require 'lfs'
        local p, l = ...
        local a = lfs.attributes(p)
        local t = {}
        lfs.attributes(p, t)
        local s = lfs.symlinkattributes(l)
        return a.mode, a.size, a.permissions, a.modification, a.ino, lfs.attributes(p, 'size'),
               t.nlink, s.mode, s.target, lfs.attributes(l, 'mode')""", str(f), str(tmp_path / "ln"))
    assert got == ("file", 123, "rw-r-----", int(st.st_mtime), st.st_ino, 123, st.st_nlink, "link",
                   str(f), "file")
    got = rt.execute("local lfs = require 'lfs' return lfs.attributes(...)", str(tmp_path / "none"))
    assert got == (None, str(tmp_path / "none") + ": No such file or directory", 2)
    assert rt.execute("return require('lfs').attributes(...).mode", str(tmp_path)) == "directory"
    assert stat.S_ISDIR(os.stat(tmp_path).st_mode)


def test_dirs(rt, tmp_path):
    (tmp_path / "b").write_text("1")
    (tmp_path / "a").write_text("2")
    got = rt.execute("""local lfs = require 'lfs'
        local d = ...
        local names = {}
        for n in lfs.dir(d) do names[#names + 1] = n end
        local ok1 = lfs.mkdir(d .. '/sub')
        local ok2, err, code = lfs.mkdir(d .. '/sub')
        local here = lfs.currentdir()
        assert(lfs.chdir(d .. '/sub'))
        local inside = lfs.currentdir()
        lfs.chdir(here)
        local r = lfs.rmdir(d .. '/sub')
        local bad = pcall(lfs.dir, d .. '/missing')
        assert(lfs.touch(d .. '/t', 1000, 2000))
        return table.concat(names, ','), ok1, ok2, err, code, inside, r, bad""", str(tmp_path))
    assert got == (".,..,a,b", True, None,
                   str(tmp_path / "sub") + ": File exists", 17, str(tmp_path / "sub"), True, False)
    st = os.stat(tmp_path / "t")
    assert (st.st_atime, st.st_mtime) == (1000, 2000)
