"""require 'tds': tds.Hash/tds.Vec live in Lua, round-tripping through t7 files written by the real
tds (python-torchfile's fixtures), and dict/list-like in Python."""
import os

import pytest

import pytorch_lite as torch
from lua_compat.runtime import Runtime, LuaScriptError
from fixture_paths import PUBLIC

HASH = os.path.join(PUBLIC, "python-torchfile", "testfiles_x86_64__tds_hash.t7")
VEC = os.path.join(PUBLIC, "python-torchfile", "testfiles_x86_64__tds_vec.t7")
needs_fixtures = pytest.mark.skipif(not os.path.exists(HASH), reason="public fixtures absent")


@pytest.fixture(scope="module")
def rt():
    return Runtime()


@needs_fixtures
def test_fixtures_load_live_and_write_back(rt, tmp_path):
    h2, v2 = str(tmp_path / "h.t7"), str(tmp_path / "v.t7")
    got = rt.execute("""require 'tds'
        local hp, vp, h2, v2 = ...
        local h, v = torch.load(hp), torch.load(vp)
        local keys, s = {}, 0
        for k, x in pairs(h) do keys[#keys + 1] = k s = s + k * x end
        table.sort(keys)
        local items = {}
        for i, x in ipairs(v) do items[#items + 1] = i .. '=' .. x end
        torch.save(h2, h) torch.save(v2, v)
        return torch.type(h), #h, h[10], table.concat(keys, ','), s, torch.type(v), #v, v[1], v[2], v[3],
               table.concat(items, ',')""", HASH, VEC, h2, v2)
    ref_h, ref_v = torch.load(HASH), torch.load(VEC)      # the serializer's own reading
    assert dict(ref_h) == {1: 2, 2: 3, 10: 11} and list(ref_v) == [123, 456]
    assert got == ("tds.Hash", 3, 11, "1,2,10", sum(k * x for k, x in ref_h.items()), "tds.Vec", 2, 123, 456, None,
                   "1=123,2=456")
    assert open(h2, "rb").read() == open(HASH, "rb").read()
    assert open(v2, "rb").read() == open(VEC, "rb").read()


@needs_fixtures
def test_modify_in_lua_read_in_python(rt, tmp_path):
    out = str(tmp_path / "m.t7")
    rt.execute("""require 'tds'
        local vp, out = ...
        local v = torch.load(vp)
        v[#v + 1] = 'x'
        v:insert(1, 7)
        local h = tds.Hash()
        h.vec, h.t, h[3] = v, torch.range(1, 3), 'three'
        torch.save(out, h)""", VEC, out)
    back = torch.load(out)
    assert type(back).__name__ == "TdsHash" and list(back["vec"]) == [7, 123, 456, "x"]
    assert back[3] == "three" and back["t"].tolist() == [1, 2, 3]


def test_vec_api(rt):
    got = rt.execute("""require 'tds'
        local v = tds.Vec(5, 3, 9, 1)
        v:sort()
        local asc = v:concat(',')
        v:sort(function(a, b) return a > b end)
        local desc = v:concat(',')
        v:insert(2, 100)
        local r = v:remove(1)
        v[8] = 4
        local n = #v
        v:resize(2)
        local w = tds.Vec({'a', 'b'})
        local ok, err = pcall(function() v[1] = {} end)
        return asc, desc, r, n, v[7], #v, v:concat('-'), w:concat(), ok""")
    assert got == ("1,3,5,9", "9,5,3,1", 9, 8, None, 2, "100-5", "ab", False)


def test_hash_api(rt):
    got = rt.execute("""require 'tds'
        local h = tds.Hash({a = 1, b = 2})
        h[1.5] = 'f'
        h.a = nil
        local sum, n = 0, 0
        for k, x in pairs(h) do n = n + 1 if type(x) == 'number' then sum = sum + x end end
        return #h, h.b, h[1.5], h.a, n, sum""")
    assert got == (2, 2, "f", None, 2, 2)
