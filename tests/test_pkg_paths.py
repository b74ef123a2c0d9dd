"""require 'paths' against os.path/os as the reference (and libpaths' C rules for names)."""
import os

import pytest

from lua_compat.runtime import Runtime


@pytest.fixture(scope="module")
def rt():
    return Runtime()


def test_names(rt):
    cwd = os.getcwd()
    got = rt.execute("""return paths.concat('a', 'b/../c', '.', 'd/'), paths.concat('/x//y/', '..'),
        paths.concat(), paths.concat('/', '..'), paths.basename('/a/b.txt/', 'txt'),
        paths.basename('a/b.txt', '.txt'), paths.basename('a/b.txt', 'png'), paths.dirname('a//b'),
        paths.dirname('/a'), paths.dirname('abc'), paths.dirname('a/b/'), paths.extname('a.b/c'),
        paths.extname('abc'), paths.extname('x.tar.gz')""")
    assert got == (os.path.join(cwd, "a/c/d"), "/x", cwd, "/", "b", "b", "b.txt", "a/", "/", ".", "a",
                   "b/c", None, "gz")


def test_disk(rt, tmp_path):
    d = str(tmp_path)
    open(os.path.join(d, "f1.txt"), "w").close()
    open(os.path.join(d, "f2.lua"), "w").close()
    os.mkdir(os.path.join(d, "sub"))
    got = rt.execute("""local d = ...
        local all, files, dirs, lua = {}, {}, {}, {}
        for f in paths.files(d) do all[#all + 1] = f end
        for f in paths.iterfiles(d) do files[#files + 1] = f end
        for f in paths.iterdirs(d) do dirs[#dirs + 1] = f end
        for f in paths.files(d, '%.lua$') do lua[#lua + 1] = f end
        local ok = paths.mkdir(d .. '/new/deep')
        return table.concat(all, ','), table.concat(files, ','), table.concat(dirs, ','),
               table.concat(lua, ','), ok, paths.dirp(d .. '/new/deep'), paths.filep(d .. '/f1.txt'),
               paths.filep(d .. '/sub'), paths.dirp(d .. '/f1.txt'), paths.dir(d .. '/nope')""", d)
    assert got[:4] == (".,..,f1.txt,f2.lua,sub",
                       "f1.txt,f2.lua", "sub", "f2.lua")
    assert got[4:] == (True, True, True, False, False, None)
    assert os.path.isdir(os.path.join(d, "new", "deep"))
    # rmall wants 'yes'; rmdir of a missing folder answers nil, message, errno
    got = rt.execute("""local d = ...
        local a, msg = paths.rmall(d .. '/new', 'no')
        local b = paths.rmall(d .. '/new', 'yes')
        local c, m2, code = paths.rmdir(d .. '/new')
        return a, msg, b, c, m2, code""", d)
    assert got[0] is None and "yes" in got[1] and got[2] is True
    assert got[3] is None and got[4] == d + "/new: No such file or directory" and got[5] == 2
    assert not os.path.exists(os.path.join(d, "new"))


def test_misc(rt, tmp_path):
    script = tmp_path / "s.lua"
    script.write_text("return paths.thisfile(), paths.thisfile('x.lua'), paths.home, paths.is_win(),"
                      " paths.uname(), paths.tmpname()")
    got = rt.run_file(str(script))
    assert got[0] == str(script) and got[1] == str(tmp_path / "x.lua")
    assert got[2] == os.environ.get("HOME", ".") and got[3] is None and got[4] == os.uname().sysname
    assert os.path.basename(got[5]).startswith("luatmp") and not os.path.exists(got[5])
