"""Classes that write and read themselves (a Lua ``write``/``read`` method), as Torch7's File calls
them: after the version and class name the object's body is whatever its write method writes to
the file, numbered with the rest of the stream; reading makes an instance and hands it the file at
that point.  dpnn's nn.Serial is the best-known user (and its clone goes through the file too).

The expected bytes are built here from File.lua's layout (tag, index, version, class name, body),
not by the writer under test."""
import io
import struct

import pytest

from lua_compat.runtime import Runtime


@pytest.fixture
def rt():
    return Runtime(stdout=io.StringIO())


def _i(v):
    return struct.pack("<i", v)


def _s(b):
    return _i(len(b)) + b


def _table(index, items):
    # items: already-encoded (key, value) byte pairs
    return _i(3) + _i(index) + _i(len(items)) + b"".join(k + v for k, v in items)


def _num(x):
    return _i(1) + struct.pack("<d", x)


def _str(b):
    return _i(2) + _s(b)


LUA_CLASS = """
    local Foo = torch.class('SelfW')
    function Foo:__init(x) self.x = x self.hidden = 'never written' end
    function Foo:write(f)
       f:writeDouble(self.x * 2)
       f:writeInt(7)
       f:writeObject({a = self.x})
    end
    function Foo:read(f, version)
       self.x = f:readDouble() / 2
       self.seven = f:readInt()
       self.tbl = f:readObject()
       self.version = version
    end
"""


def test_lua_class_body_is_what_its_write_method_writes(rt):
    data = rt.execute(LUA_CLASS + """
        local s = torch.serializeToStorage(SelfW(21))
        return s:string()""")
    data = data.encode("latin-1") if isinstance(data, str) else bytes(data)
    expected = (_i(4) + _i(1) + _s(b"V 1") + _s(b"SelfW")
                + struct.pack("<d", 42.0) + _i(7)
                + _table(2, [(_str(b"a"), _num(21.0))]))
    assert data == expected


def test_lua_class_reads_itself_and_references_stay_shared(rt):
    got = rt.execute(LUA_CLASS + """
        local o = SelfW(21)
        local back = torch.deserialize(torch.serialize({o, o, 5}))
        local b = back[1]
        return torch.type(b), b.x, b.seven, b.tbl.a, b.version, b.hidden, rawequal(back[1], back[2]), back[3]""")
    assert got == ("SelfW", 21, 7, 21, 1, None, True, 5)


def test_lua_class_in_ascii_files(rt, tmp_path):
    got = rt.execute(LUA_CLASS + """
        local path = ...
        torch.save(path, {SelfW(1.5)}, 'ascii')
        local b = torch.load(path, 'ascii')[1]
        return b.x, b.seven, b.tbl.a""", str(tmp_path / "a.t7"))
    assert got == (1.5, 7, 1.5)
    text = (tmp_path / "a.t7").read_bytes()
    assert b"SelfW\n3\n7\n" in text   # the body's numbers, in the file's ascii form


SERIAL = """
    require 'nn'
    local S = torch.class('nn.SelfSerial', 'nn.Decorator')
    function S:write(file)
       local state = {}
       for k, v in pairs(self) do state[k] = v end
       state.output, state.gradInput = nil, nil   -- left out of the file, as dpnn's light modes do
       state.writes = (self.writes or 0) + 1
       file:writeObject(state)
    end
    function S:read(file)
       for k, v in pairs(file:readObject()) do self[k] = v end
    end
"""


def test_python_backed_lua_subclass_writes_itself_and_clones_through_the_file(rt):
    got = rt.execute(SERIAL + """
        torch.manualSeed(1)
        local m = nn.SelfSerial(nn.Linear(3, 2))
        local x = torch.randn(4, 3)
        local y = m:forward(x):clone()
        local c = m:clone()
        local f = torch.MemoryFile():binary()
        f:writeObject(m)
        f:writeObject(m)
        f:seek(1)
        local r1, r2 = f:readObject(), f:readObject()
        return torch.type(c), c.writes, c.output == nil, m.writes == nil,
               c.modules[1].weight:dist(m.modules[1].weight), c:forward(x):dist(y),
               torch.pointer(c.modules[1].weight) ~= torch.pointer(m.modules[1].weight),
               r1 == r2, torch.type(r1.modules[1])""")
    assert got == ("nn.SelfSerial", 1, True, True, 0, 0, True, True, "nn.Linear")


def test_python_backed_lua_subclass_inside_a_saved_network(rt, tmp_path):
    got = rt.execute(SERIAL + """
        local path = ...
        torch.manualSeed(2)
        local net = nn.Sequential():add(nn.SelfSerial(nn.Linear(3, 4))):add(nn.Tanh())
        local x = torch.randn(2, 3)
        local y = net:forward(x):clone()
        torch.save(path, net)
        local back = torch.load(path)
        return back.modules[1].writes, back:forward(x):dist(y)""", str(tmp_path / "n.t7"))
    assert got == (1, 0)


def test_a_read_only_file_refuses_writing_inside_read(rt):
    got = rt.execute("""
        local C = torch.class('SelfBad')
        function C:write(f) f:writeInt(1) end
        function C:read(f) f:writeObject(3) end
        return pcall(torch.deserialize, torch.serialize(SelfBad()))""")
    assert got[0] is False and "being read" in str(got[1])


def test_list_held_tables_take_any_key_as_lua_tables_do(rt):
    # rnn's AbstractRecurrent writes and clears sparse step indices in tables that a loaded (or
    # file-cloned) module holds as Python lists: each operation must match a plain Lua table
    got = rt.execute("""
        require 'nn'
        local m = nn.Linear(2, 2)
        m.steps = {'z'}
        local py = torch.deserialize(torch.serialize(m)).steps   -- now held by Python as a list
        assert(B_kind == nil and type(py) == 'table' and torch.type(py) == 'table')
        local function run(t)
           t[1] = 'a'
           t[-3] = nil            -- nil to a missing key: nothing
           t[4] = 'd'             -- past the end: holes before it
           t[7] = nil
           local keys = {}
           for k, v in pairs(t) do keys[#keys + 1] = k .. '=' .. v end
           local n = 0
           for _ in ipairs(t) do n = n + 1 end
           t[4] = nil             -- the last one gone: so are the holes before it
           return table.concat({table.concat(keys, ','), n, tostring(t[4] == nil), tostring(t[2] == nil)}, '|'), #t
        end
        local s1, n1 = run(py)
        local s2, n2 = run({'z'})
        local ok, err = pcall(function() py[0] = 'x' end)
        return s1, s2, n1, n2, ok""")
    assert got[0] == got[1] == "1=a,4=d|1|true|true"
    assert got[2] == got[3] == 1
    assert got[4] is False


def test_setmetatable_stand_in_keeps_its_fields_for_pairs(rt):
    # dpnn's Serial gives plain state tables their classes, converts them, then copies them with
    # pairs: the stand-in table must show the object's fields, converted
    got = rt.execute("""
        require 'nn'
        torch.manualSeed(3)
        local lin = nn.Linear(3, 2)
        local state = {}
        for k, v in pairs(lin) do state[k] = v end
        torch.setmetatable(state, 'nn.Linear')
        state:float()
        local names = {}
        for k, v in pairs(state) do names[#names + 1] = k end
        table.sort(names)
        state.extra = 5
        local copy = {}
        for k, v in pairs(state) do copy[k] = v end
        return table.concat(names, ','), torch.type(state.weight), torch.type(copy.weight),
               torch.type(lin.weight), copy.extra, state:forward(torch.ones(3):float()):size(1)""")
    assert got[0] == "_type,bias,gradBias,gradInput,gradWeight,output,weight"
    assert got[1:] == ("torch.FloatTensor", "torch.FloatTensor", "torch.DoubleTensor", 5, 2)


def test_tables_of_a_lua_defined_module_stay_lua_tables_after_loading(rt, tmp_path):
    # rnn's modules keep per-step tables (cells[0] = the initial state, sparse steps) that a file
    # holds as lists: after loading they are the Lua tables the class's code made, shared ones shared
    got = rt.execute("""
        require 'nn'
        local path = ...
        local R = torch.class('nn.StepKeeper', 'nn.Container')
        function R:__init(m)
           nn.Container.__init(self)
           self.modules[1] = m
           self.cells = {torch.ones(2)}
           self.alias = self.cells
           self.meta = {name = 'keeper', list = {1, 2, 3}}
        end
        function R:updateOutput(x)
           self.cells[0] = x:clone():zero()
           self.cells[5] = x
           self.output = self.modules[1]:forward(x)
           return self.output
        end
        local net = nn.Sequential():add(nn.StepKeeper(nn.Linear(2, 2)))
        torch.save(path, net)
        local k = torch.load(path).modules[1]
        local y = k:forward(torch.ones(2))
        local c = k:clone()
        c:forward(torch.ones(2))
        return type(k.cells), k.cells[0]:sum(), k.cells[5]:sum(), rawequal(k.cells, k.alias),
               #k.meta.list, k.meta.name, torch.type(k.modules[1]), y:size(1), c.cells[0]:sum(),
               rawequal(c.cells, c.alias), rawequal(c.cells, k.cells)""", str(tmp_path / "k.t7"))
    assert got == ("table", 0, 2, True, 3, "keeper", "nn.Linear", 2, 0, True, False)


def test_an_object_writing_itself_may_refer_to_itself(rt):
    # its write method writes a table holding the object: written once, then referenced (the
    # nested writeObject knows the object being written), and read back as the same object
    got = rt.execute("""
        local C = torch.class('SelfCyc')
        function C:__init(x) self.x = x end
        function C:write(f) f:writeObject({me = self, x = self.x}) end
        function C:read(f) local t = f:readObject() self.x, self.me = t.x, t.me end
        local o = SelfCyc(5)
        local b = torch.deserialize(torch.serialize({o, o}))
        return b[1].x, rawequal(b[1].me, b[1]), rawequal(b[1], b[2])""")
    assert got == (5, True, True)


def test_functions_a_module_holds_are_written_and_read_back(rt):
    # Torch7 writes a Lua function held in an object field (with its upvalues); a method set on
    # one instance comes back as that instance's method (torch/rnn's MaskZero test sets
    # clearState on its module before nn.Jacobian.testIO)
    got = rt.execute("""
        require 'nn'
        local m = nn.Sequential():add(nn.Linear(2, 2))
        local k = 10
        function m.clearState(self) return self end
        m.scale = function(x) return x * k end
        local f = torch.MemoryFile():binary()
        f:writeObject(m)
        f:seek(1)
        local b = f:readObject()
        local ferr, berr = nn.Jacobian.testIO(m, torch.randn(2))
        return torch.type(b), rawequal(b:clearState(), b), b.scale(3), type(b.scale), ferr, berr""")
    assert got == ("nn.Sequential", True, 30, "function", 0, 0)
