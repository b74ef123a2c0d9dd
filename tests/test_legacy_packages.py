"""Package behaviour that well-known legacy programs rely on (found running them unmodified);
each test is our own small Lua reproducing what the program does."""
import os

import pytest

from lua_compat.runtime import Runtime


@pytest.fixture(scope="module")
def rt():
    return Runtime()


def test_require_lfs_sets_global(rt, tmp_path):
    # LuaFileSystem's luaopen_lfs sets the global `lfs`; char-rnn's train.lua does
    # `require 'lfs'` and then calls `lfs.mkdir` / `lfs.attributes` through the global
    d = str(tmp_path / "cv")
    got = rt.execute("""require 'lfs'
        local d = ...
        local ok = lfs.mkdir(d)
        return ok, lfs.attributes(d, 'mode'), rawequal(lfs, require 'lfs')""", d)
    assert got == (True, "directory", True)
    assert os.path.isdir(d)
