"""The torch.File family from Lua (torch7 doc/file.md, diskfile.md, memoryfile.md, serialization):
closures and their upvalues, instances of Lua classes, writeObject's hook, unwritable objects
named by their place, several objects on one file, referenced(), MemoryFile over a storage,
readString/writeString, ascii numbers, serializeToStorage, Generator objects."""
import io
import os

import pytest

import pytorch_lite as torch
from lua_compat import Runtime


@pytest.fixture
def rt():
    return Runtime(stdout=io.StringIO())


ROUND_TRIP = """
local function roundtrip(obj, hook)
   local f = torch.MemoryFile():binary()
   f:writeObject(obj, nil, hook)
   f:seek(1)
   return f:readObject()
end
"""


def test_closures_and_upvalues(rt):
    r = rt.execute(ROUND_TRIP + """
    local a, b, c = 1, nil, 2
    local function pick() if not b then return c end return a end
    local suffix = '5'
    local function num(s) return tonumber(s .. suffix) end
    local fact
    fact = function(n) if n <= 1 then return 1 end return n * fact(n - 1) end
    local i, j = 1, 2
    local counter = {}
    counter.inc = function() i = i + 1 j = j + 2 end
    counter.get = function() return i, j end
    local p, n, fa, cc = roundtrip(pick), roundtrip(num), roundtrip(fact), roundtrip(counter)
    cc.inc()
    local ci, cj = cc.get()
    local oi = counter.get()
    return p(), n('3'), fa(5), ci, cj, oi
    """)
    # the copied closures share their upvalues with each other (upvaluejoin), not with the originals
    assert r == (2, 35, 120, 2, 4, 1)


def test_lua_class_instances_and_the_hook(rt):
    r = rt.execute(ROUND_TRIP + """
    local M = {}
    local A = torch.class('FileTestA', M)
    function A:__init(v) self.v = v end
    function A:get() return self.v end
    local B = torch.class('FileTestB', M)
    function B:get() return 'b' end
    local s = M.FileTestA(7)
    local back = roundtrip({s1 = s, s2 = s, t = torch.Tensor{1, 2}})
    local hooked = roundtrip({s1 = s, s2 = s}, function(o)
       if torch.typename(o) == 'FileTestA' then return M.FileTestB() end
       return o
    end)
    return torch.typename(back.s1), back.s1:get(), back.s1 == back.s2, back.t[2],
           torch.typename(hooked.s1), hooked.s1:get(), hooked.s1 == hooked.s2
    """)
    assert r == ("FileTestA", 7, True, 2, "FileTestB", "b", True)


def test_unwritable_objects_are_named_by_their_place(rt):
    ok, msg = rt.execute("""
    local lib = io   -- an upvalue holding C functions, which string.dump refuses
    local inner = {baz = function() return lib.open end}
    local outer = {theinner = inner}
    local function f() return outer end
    return pcall(torch.serialize, f)
    """)
    assert ok is False
    assert msg.startswith("Unwritable object <function> at <?>.outer.theinner.baz.lib")


def test_unwritable_fields_of_an_object_are_left_out_with_a_warning(rt):
    r = rt.execute("""
    local M = {}
    torch.class('FileTestC', M)
    local o = M.FileTestC()
    o.ok, o.bad = 1, coroutine.create(function() end)
    local back = torch.deserialize(torch.serialize(o))
    return back.ok, back.bad
    """)
    assert r == (1, None)
    assert "$ Warning: cannot write object field <bad> of <FileTestC>" in rt._stdout.getvalue()


def test_several_objects_on_one_file_share_references(rt):
    r = rt.execute("""
    local f = torch.MemoryFile():binary()
    local t = torch.Tensor{1, 2, 3}
    f:writeObject(t)
    f:writeObject({t, 'x'})
    f:writeDouble(2.5)
    local shared = {}
    f:referenced(false)
    f:writeObject({shared, shared})
    local unref = f:isReferenced()
    f:referenced(true)
    f:seek(1)
    local a = f:readObject()
    local b = f:readObject()
    local d = f:readDouble()
    local c = f:readObject()
    return a == b[1], b[2], d, c[1] == c[2], unref
    """)
    # written without references, the same table became two
    assert r == (True, "x", 2.5, False, False)


def test_memory_file_over_a_storage_and_strings(rt):
    r = rt.execute("""
    local f = torch.MemoryFile()
    f:writeString('hello\\nworld')
    local s = f:storage()
    local g = torch.MemoryFile(s, 'r')
    local line = g:readString('*l')
    local rest = g:readString('*a')
    local a = torch.MemoryFile():ascii()
    a:writeDouble(0.1)
    a:writeFloat(0.1)
    a:writeInt(-3)
    local text = a:storage():string()
    a:seek(1)
    return s:size(), s[s:size()], line, rest, text, a:readDouble(), a:readFloat(), a:readInt()
    """)
    assert r[:4] == (12, 0, "hello", "world")   # the storage ends with the MemoryFile's NUL
    assert r[4] == "0.10000000000000001\n0.100000001\n-3\n\x00"
    assert r[5] == 0.1 and abs(r[6] - 0.1) < 1e-8 and r[7] == -3


def test_serialize_to_storage(rt, tmp_path):
    path = str(tmp_path / "x.t7")
    r = rt.execute("""
    local path = ...
    torch.save(path, {a = 42, 'foo'})
    local s = torch.serializeToStorage({a = 42, 'foo'})
    local back = torch.deserializeFromStorage(s)
    local g = torch.Generator()
    torch.manualSeed(g, 5)
    local g2 = torch.deserialize(torch.serialize(g))
    return s:size(), torch.type(s), back.a, back[1], torch.random(g) == torch.random(g2)
    """, path)
    assert r == (os.path.getsize(path), "torch.CharStorage", 42, "foo", True)
    assert torch.load(path) == {1: "foo", "a": 42}


def test_numbers_written_and_read_as_storages(rt):
    # Torch7's File: writeX(XStorage) writes every element and returns the count (in ascii on one
    # line, space-separated); readX(n) returns a new XStorage, readX(storage) fills it;
    # writeX(number) returns nothing
    r = rt.execute("""
    local out = {}
    for _, mode in ipairs({'binary', 'ascii'}) do
       local f = torch.MemoryFile()
       f[mode](f)
       local n1, n2, n3 = f:writeLong(torch.LongStorage{3, -4, 5}), f:writeInt(7), f:writeDouble(torch.DoubleStorage{0.5, 1.25})
       f:seek(1)
       local s = f:readLong(3)
       local i = f:readInt()
       local d = torch.DoubleStorage(2)
       local nd = f:readDouble(d)
       local ok = pcall(f.writeLong, f, torch.IntStorage{1})
       out[#out + 1] = {n1, n2 == nil, n3, torch.type(s), s[1], s[2], s[3], i, nd, d[1], d[2], ok}
       if mode == 'ascii' then out[#out + 1] = f:storage():string() end
    end
    return out[1], out[2], out[3]
    """)
    want = [3, True, 2, "torch.LongStorage", 3, -4, 5, 7, 2, 0.5, 1.25, False]
    assert list(r[0].values()) == want and list(r[1].values()) == want
    assert r[2] == "3 -4 5\n7\n0.5 1.25\n\x00"


def test_file_modes_buffering_spacing_and_byte_order(rt, tmp_path):
    # noBuffer: a write is on disk at once (torchnet reads its index through a second file);
    # noAutoSpacing: ascii numbers without separators; bigEndianEncoding: binary numbers
    # byte-swapped (objects keep Torch7's layout and refuse it)
    r = rt.execute("""
    local path = ...
    local f = torch.DiskFile(path, 'w'):binary():noBuffer()
    f:writeInt(258)
    local first = torch.DiskFile(path, 'r'):binary():readInt()
    f:bigEndianEncoding()
    f:writeInt(258)
    f:close()
    local h = torch.DiskFile(path, 'r'):binary()
    local a1, a2 = h:readInt(), h:readInt()
    local m = torch.MemoryFile():ascii():noAutoSpacing()
    m:writeInt(1) m:writeString(',') m:writeInt(2)
    local ok = pcall(function() return torch.MemoryFile():binary():bigEndianEncoding():writeObject({1}) end)
    local l = torch.MemoryFile():binary():bigEndianEncoding():littleEndianEncoding()
    l:writeObject({1})
    return first, a1, a2, m:storage():string(), m:isAutoSpacing(), ok
    """, str(tmp_path / "f.bin"))
    assert r == (258, 258, 0x02010000, "1,2\x00", False, False)


def test_storage_round_trips_keep_a_last_zero_byte(rt):
    # serializeToStorage drops the MemoryFile's NUL; deserializeFromStorage puts one back before
    # reading, as Torch7 does, so content ending in a 0 byte (a LongTensor's last long) survives;
    # a MemoryFile over a storage without the closing NUL is refused, as THMemoryFile does
    r = rt.execute("""
    local s = torch.serializeToStorage(torch.LongTensor{1, 2})
    local back = torch.deserializeFromStorage(s)
    local ok, err = pcall(torch.MemoryFile, torch.CharStorage{65, 66}, 'r')
    local m = torch.MemoryFile(torch.CharStorage{65, 66, 0}, 'r')
    local fromtensor = torch.deserializeFromStorage(torch.CharTensor(s))   -- torchnet passes a tensor
    return s[s:size()], torch.type(back), back[2], ok, tostring(err):match('terminated by 0') ~= nil,
           m:readString('*a'), fromtensor[1]
    """)
    assert r == (0, "torch.LongTensor", 2, False, True, "AB", 1)


def test_pipe_file_reads_and_writes_through_a_command(rt, tmp_path):
    out = tmp_path / "piped.txt"
    got = rt.execute("""
        local path = ...
        local p = torch.PipeFile('echo 3 4.5; echo hello')
        local a, b = p:readInt(), p:readDouble()
        local rest = p:readString('*a')
        local readable, writable = p:isReadable(), p:isWritable()
        p:close()
        local w = torch.PipeFile('cat > ' .. path, 'w')
        w:writeInt(42)
        w:writeString('done')
        w:close()
        local bad = pcall(torch.PipeFile, 'true', 'rw')
        return a, b, rest, readable, writable, bad""", str(out))
    assert got == (3, 4.5, "hello\n", True, False, False)
    assert out.read_text() == "42\ndone"


def test_quiet_disk_file_gives_nil_instead_of_an_error(rt, tmp_path):
    got = rt.execute("""
        local missing = ...
        local q = torch.DiskFile(missing, 'r', true)
        local ok, err = pcall(torch.DiskFile, missing, 'r')
        return q == nil, ok, tostring(err):match('cannot open') ~= nil""", str(tmp_path / "nope.t7"))
    assert got == (True, False, True)
