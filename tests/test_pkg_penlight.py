"""Penlight (the Debian package's Lua sources) under LuaJIT, th's `path` global, and require's
messages for packages pytorch-lite does not provide."""
import os

import pytest

from lua_compat.packages.require import lua_dirs
from lua_compat.runtime import Runtime, LuaScriptError

needs_penlight = pytest.mark.skipif(not lua_dirs(), reason="penlight is not installed (apt-get install lua-penlight)")


@pytest.fixture(scope="module")
def rt():
    return Runtime()


@needs_penlight
def test_path_global_and_modules(rt, tmp_path):
    (tmp_path / "f.txt").write_text("hello\nworld\n")
    got = rt.execute("""local d = ...
        local pretty = require 'pl.pretty'
        local OrderedMap = require 'pl.OrderedMap'
        local m = OrderedMap()
        m:set('b', 1) m:set('a', 2)
        local keys = table.concat(m:keys(), ',')
        local dir = require 'pl.dir'
        local files = dir.getfiles(d)
        local class = require 'pl.class'
        local A = class()
        function A:_init(x) self.x = x end
        local List = require 'pl.List'
        return path.basename('/x/y.lua'), select(2, path.splitext('a/b.txt')), path.isdir(d), path.join('a', 'b'),
               require('pl.file').read(d .. '/f.txt'), require('pl.stringx').split('a b  c')[3],
               require('pl.tablex').size({a = 1, b = 2}), keys, #files, A(4).x,
               tostring(List({1, 2}):map(function(v) return v * 10 end)), pretty.write({1, 2}, ''),
               require('pl.utils').split('1;2', ';')[2]""", str(tmp_path))
    assert got == ("y.lua", ".txt", True, "a/b", "hello\nworld\n", "c", 2, "b,a", 1, 4, "{10,20}",
                   "{1,2}", "2")
    assert got[1] == os.path.splitext("a/b.txt")[1]


@needs_penlight
def test_lapp(rt):
    got = rt.execute("""arg = {'-n', '5', '--name', 'x'}
        local lapp = require 'pl.lapp'
        local opt = lapp [[
  -n (default 1) a number
  --name (string) a name
  --flag a flag
]]
        return opt.n, opt.name, opt.flag""")
    assert got == (5, "x", False)


def test_missing_package_one_line(rt, tmp_path):
    script = tmp_path / "main.lua"
    (tmp_path / "mine.lua").write_text("return {v = 3}")
    (tmp_path / "helper.lua").write_text("return {w = 4}")
    script.write_text("local m = require 'mine'\nlocal h = require './helper'\nassert(m.v + h.w == 7)\n"
                      "require 'inn'\n")
    with pytest.raises(LuaScriptError) as ei:
        Runtime().run_file(str(script))
    first = str(ei.value).splitlines()[0]
    assert first.endswith("main.lua:4: module 'inn' not found: pytorch-lite does not provide the Lua "
                          "package 'inn'")
    ok, msg = rt.execute("return pcall(require, 'fancy.sub')")
    assert ok is False and msg.startswith("module 'fancy.sub' not found") and "\n" not in msg
