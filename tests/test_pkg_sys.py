"""require 'sys' (torch/sys): clocks, execute, split, COLORS."""
import os
import time

import pytest

from lua_compat.runtime import Runtime


@pytest.fixture(scope="module")
def rt():
    return Runtime()


def test_clock_and_sleep(rt):
    before = time.time()
    got = rt.execute("require 'sys' sys.tic() sys.sleep(0.05) return sys.toc(), sys.clock()")
    assert 0.045 < got[0] < 5 and before <= got[1] <= time.time()


def test_execute(rt, tmp_path):
    (tmp_path / "z1").write_text("")
    got = rt.execute("""require 'sys'
        local d = ...
        return sys.execute('printf "  out\\n"; echo err 1>&2'), sys.ls(d), sys.OS, sys.uname(),
               sys.fstat(d .. '/z1'), sys.dirname('/a/b'), sys.pwd()""", str(tmp_path))
    assert got[:4] == ("out\nerr", "z1", "linux", "linux")
    assert got[4] == os.stat(tmp_path / "z1").st_mtime and got[5] == "/a" and got[6] == os.getcwd()


def test_helpers(rt):
    got = rt.execute("""require 'sys'
        local t = sys.split(',a,,b,c', ',')
        return #t, t[1], t[2], t[3], t[4], sys.isNaN(0/0), sys.isNaN(1), sys.COLORS.red, sys.COLORS.none""")
    assert got == (4, "a", "", "b", "c", True, False, "\x1b[0;31m", "\x1b[0m")
