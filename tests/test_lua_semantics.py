"""lua_compat: errors seen from Lua in Lua's numbering, type()/pairs() of torch objects as in
Torch7, Lua tables crossing to Python with their sharing, and the wrapper bookkeeping of tensors
returned to Lua in long loops."""
import io
import math
import re

import pytest

import pytorch_lite as torch
from lua_compat import Runtime, LuaScriptError
from lua_compat.bridge import args_to_py, lua_message


@pytest.fixture
def rt():
    return Runtime(stdout=io.StringIO())


def _err(rt, expr):
    """The message of the error expr raises in Lua (pcall'd): a Lua string that starts with the
    Lua file:line and the error's type, as Torch7's errors start with file:line."""
    ok, kind, msg = rt.execute("local ok, e = pcall(function() return %s end) "
                               "return ok, type(e), e" % expr)
    assert ok is False and kind == "string", expr
    m = re.match(r"\(string\):1: Torch\w*Error: (.*)$", msg, re.S)
    assert m, msg
    return m.group(1)


# -- errors ---------------------------------------------------------------------------------------

def test_errors_speak_lua_numbering(rt):
    rt.execute("x = torch.Tensor(3, 4):zero()")
    # the fast path (Lua shifted the numbers itself), the general path, torch.* functions
    assert _err(rt, "x:narrow(2, 2, 5)") == ("bad argument to narrow(2, 2, 5) on a torch.DoubleTensor of size 3x4: "
                                            "out of range (dim 2 of size 4, start 2, length 5)")
    assert _err(rt, "torch.narrow(x, 2, 2, 5)").endswith("out of range (dim 2 of size 4, start 2, length 5)")
    assert _err(rt, "x:select(1, 4)") == ("bad argument to select(1, 4) on a torch.DoubleTensor of size 3x4: "
                                         "index 4 out of range for dimension 1 of size 3")
    assert _err(rt, "x:size(3)") == ("bad argument to size(3) on a torch.DoubleTensor of size 3x4: "
                                    "dimension 3 out of range for a 2D tensor")
    assert _err(rt, "x:max(3)").endswith("dimension 3 out of range for a 2D tensor")
    assert _err(rt, "x:narrow(0, 1, 1)").endswith("dimension 0 is out of range (Lua dimensions start at 1)")
    # an index tensor: the index as Lua gave it, no 0-based note
    msg = _err(rt, "x:index(1, torch.LongTensor{7})")
    assert msg.startswith("bad argument to index(1, torch.LongTensor) on a torch.DoubleTensor of size 3x4: ")
    assert "index 7 out of range" in msg and "0-based" not in msg
    # errors without dims/indices keep Torch7's words
    assert _err(rt, "x:add(torch.Tensor(5))").startswith("add: inconsistent tensor size")
    # the failing tensor is untouched and the next call works
    assert rt.execute("return x:narrow(2, 2, 3):size(2)") == 3


def test_uncaught_python_error_names_the_user_line(rt, tmp_path):
    p = tmp_path / "bad.lua"
    p.write_text("local x = torch.Tensor(3, 4)\n\nlocal y = x:narrow(2, 2, 5)\n")
    with pytest.raises(LuaScriptError) as ei:
        rt.run_file(str(p))
    first = str(ei.value).splitlines()[0]   # Lua shortens long paths to "...tail"
    assert first.endswith("bad.lua:3: TorchIndexError: bad argument to narrow(2, 2, 5) on a torch.DoubleTensor "
                          "of size 3x4: out of range (dim 2 of size 4, start 2, length 5)")


def test_lua_message_renumbers_only_dims_and_indices():
    assert lua_message("narrow: out of range (dim 0 of size 4, start 1, length 5)") == \
        "narrow: out of range (dim 1 of size 4, start 2, length 5)"
    assert lua_message("index 6 out of range for a dimension of size 3 (indices are 0-based)") == \
        "index 7 out of range for a dimension of size 3"
    assert lua_message("for a 2D tensor of size 3x4") == "for a 2D tensor of size 3x4"


# -- type() and pairs() of torch objects, as in Torch7 ---------------------------------------------

def test_type_and_pairs_of_torch_objects(rt):
    r = rt.execute("""
        require 'nn'
        local m = nn.Linear(3, 2)
        local seq = nn.Sequential():add(m)
        local names = {}
        for k, v in pairs(m) do names[#names + 1] = k end
        table.sort(names)
        return type(m), type(seq), type(seq.modules), type(torch.Tensor(2)), type(torch.LongStorage(2)),
               type(torch.save), type(torch.Tensor), torch.type(m), torch.type(torch.Tensor(2)),
               table.concat(names, ',')""")
    assert r[:9] == ("table", "table", "table", "userdata", "userdata", "function", "table", "nn.Linear",
                     "torch.DoubleTensor")
    names = r[9].split(",")
    for f in ("weight", "bias", "gradWeight", "gradBias", "output", "gradInput"):
        assert f in names


def test_a_lua_module_with_table_inputs_sees_tables(rt):
    # Torch7 code branches on type(input) == 'table'; lists from Python containers are tables too
    r = rt.execute("""
        require 'nn'
        local c = nn.ConcatTable():add(nn.Identity()):add(nn.Identity())
        local out = c:forward(torch.Tensor(2):fill(1))
        return type(out), #out""")
    assert r == ("table", 2)


# -- Lua tables crossing to Python ----------------------------------------------------------------

def test_shared_lua_tables_stay_shared(rt):
    got = []
    rt.globals().grab = lambda *a: got.append(args_to_py(a))
    rt.execute("""
        local t = {1, 2, 3}
        local s = {a = t, b = t, n = {x = t}}
        s.self = s
        grab(s, t, {t, t})""")
    s, t, pair = got[0]
    assert s["a"] is s["b"] is s["n"]["x"] is t
    assert s["self"] is s
    assert pair[0] is pair[1] is t
    assert t == [1, 2, 3]


def test_shared_table_saved_twice_in_one_structure(rt, tmp_path):
    p = str(tmp_path / "s.t7")
    r = rt.execute("""
        local t = {1, 2}
        torch.save('%s', {t, t, {inner = t}})
        local u = torch.load('%s')
        u[1][1] = 7
        return u[2][1], u[3].inner[1], u[1] == u[2]""" % (p, p))
    assert r == (7, 7, True)
    # and the file, read by Python, holds one shared table (Torch7's reference)
    v = torch.load(p)
    assert v[0] is v[1] is v[2]["inner"]


# -- Python-object wrappers of results in long loops ------------------------------------------------

def test_views_in_a_long_loop_do_not_pile_up(rt):
    """Each x:narrow() is a new Python object with a new Lua userdata; the registry of those must
    be swept even when the results are never indexed, and every live one stays right."""
    n = rt.execute("""
        local x = torch.range(1, 12):view(3, 4)
        local keep = {}
        for i = 1, 30000 do
           local v = x:narrow(1, 2, 2)
           if i %% 1000 == 0 then keep[#keep + 1] = {v, i} end
        end
        local R = debug.getregistry().LUPA_PYTHON_REFERENCES_TABLE
        local n = 0
        for _ in pairs(R) do n = n + 1 end
        for _, e in ipairs(keep) do
           assert(e[1]:size(1) == 2 and e[1][1][1] == 5, 'a kept view changed')
        end
        return n""".replace("%%", "%"))
    assert n < 12000


def test_python_errors_are_lua_strings_with_the_user_line(rt, tmp_path):
    p = tmp_path / "errs.lua"
    p.write_text("""require 'nn'
local out = {}
local m = nn.Linear(2, 3)
local ok, e = pcall(function()
   local y = m:forward(torch.Tensor(5))   -- not a tail call: this line is the frame's
   return y
end)
out[1] = {ok, type(e), e}
local x = torch.Tensor(3, 3)
ok, e = pcall(function() return x[5] end)
out[2] = {ok, type(e), e}
ok, e = pcall(function() x[{1, 7}] = 2 end)
out[3] = {ok, type(e), e, e:find('index 7 out of range') ~= nil}
ok, e = pcall(function() return torch.LongStorage(3)[7] end)
out[4] = {ok, e}
return out
""")
    out = rt.run_file(str(p))   # Lua shortens long paths to "...tail": only the tail is compared
    r = [list(out[i].values()) for i in range(1, 5)]
    assert r[0][:2] == [False, "string"]
    assert "errs.lua:5: TorchValueError: nn.Linear: " in r[0][2]
    assert "expected a vector of size 2 or a matrix nFrame x 2" in r[0][2]
    # x[i] speaks Lua's numbering: the index and the dimension as the user wrote them
    assert r[1][:2] == [False, "string"]
    assert r[1][2].endswith("errs.lua:10: TorchIndexError: index 5 out of range for dimension 1 of size 3")
    assert r[2][2].endswith("errs.lua:12: TorchIndexError: index 7 out of range for dimension 2 of size 3")
    assert r[2][3] is True
    assert r[3][1].endswith("errs.lua:14: TorchIndexError: index 7 out of range for storage of size 3")


def test_lua_errors_under_a_python_container_keep_their_line(rt, tmp_path):
    # a Lua-defined layer failing inside a Python nn.Sequential: the Lua layer's own line, once
    p = tmp_path / "inner.lua"
    p.write_text("""require 'nn'
local L = torch.class('nn.FailingLayer', 'nn.Module')
function L:updateOutput(input)
   error('no such input ' .. input:size(1))
end
local s = nn.Sequential():add(nn.FailingLayer())
local ok, e = pcall(function() return s:forward(torch.Tensor(4)) end)
return ok, e
""")
    ok, e = rt.run_file(str(p))
    assert ok is False
    assert e.endswith("inner.lua:4: no such input 4")
    assert "stack traceback" not in e


# -- classes are Torch7's metatables, patchable from Lua ---------------------------------------------

def test_class_tables_are_metatables(rt):
    r = rt.execute("""
        require 'nn'
        local m = nn.Linear(2, 3)
        return type(torch.getmetatable('torch.DoubleTensor')), type(nn.Module), type(nn.Linear),
               torch.getmetatable('nn.Linear') == nn.Linear, getmetatable(m) == nn.Linear,
               torch.getmetatable('torch.FloatTensor').add == torch.Tensor(1).add,
               torch.getmetatable('no.SuchClass') == nil""")
    assert r == ("table", "table", "table", True, True, True, True)


def test_method_added_to_a_base_class_reaches_instances_and_subclasses(rt):
    r = rt.execute("""
        require 'nn'
        local before = nn.Linear(2, 3)            -- exists before the method does
        function nn.Module:countParams()
           local n = 0
           for _, p in ipairs(self:parameters() or {}) do n = n + p:nElement() end
           return n
        end
        local seq = nn.Sequential():add(nn.Linear(3, 4))
        local TM = torch.getmetatable('torch.DoubleTensor')
        function TM:twice() return self * 2 end
        return before:countParams(), nn.ReLU():countParams(), seq:countParams(),
               torch.Tensor{1, 2}:twice()[2]""")
    assert r == (9, 0, 16, 4)


def test_replaced_method_is_used_by_python_containers(rt):
    rt.execute("""
        require 'nn'
        m = nn.Linear(2, 3)
        seq = nn.Sequential():add(m):add(nn.Tanh())
        orig = nn.Linear.updateOutput
        nn.Linear.updateOutput = function(self, input)
           self.output = orig(self, input):clone():fill(0.5)
           return self.output
        end
        x = torch.Tensor{1, 2}""")
    r = rt.execute("return seq:forward(x)[1], m:forward(x)[2], nn.Linear(2, 2):forward(x)[1]")
    assert r == pytest.approx((math.tanh(0.5), 0.5, 0.5))
    # put back: Python's own method again, for Lua and for the container
    r = rt.execute("""
        nn.Linear.updateOutput = orig
        local y = seq:forward(x)
        local want = torch.tanh(torch.addmv(m.bias, m.weight, x))
        return (y - want):abs():max(), m.output[1] ~= 0.5""")
    assert r == (0, True)


def test_replacement_in_a_subclass_wins_over_the_base_one(rt):
    r = rt.execute("""
        require 'nn'
        function nn.Module:tag() return 'module' end
        function nn.Container:tag() return 'container' end
        local a = nn.Linear(1, 1):tag()
        local b = nn.Sequential():tag()
        local c = nn.Concat(1):tag()
        function nn.Module:tag() return 'module2' end   -- replaced after use
        return a, b, c, nn.Tanh():tag(), nn.Sequential():tag()""")
    assert r == ("module", "container", "container", "module2", "container")


def test_python_classes_are_untouched_by_a_runtime_patch(rt):
    from pytorch_lite import nn
    rt.execute("""
        require 'nn'
        nn.Tanh.updateOutput = function(self, input) self.output = input:clone():fill(9) return self.output end""")
    # plain Python, and another runtime, keep pytorch_lite's own Tanh
    x = torch.Tensor([0.5])
    assert nn.Tanh().forward(x)[0] == pytest.approx(math.tanh(0.5))
    other = Runtime(stdout=io.StringIO())
    assert other.execute("require 'nn' return nn.Sequential():add(nn.Tanh()):forward(torch.Tensor{0.5})[1]") == \
        pytest.approx(math.tanh(0.5))
    assert rt.execute("return nn.Sequential():add(nn.Tanh()):forward(torch.Tensor{0.5})[1]") == 9


def test_lua_class_method_redefined_is_used_by_python_callers(rt):
    r = rt.execute("""
        require 'nn'
        local L = torch.class('nn.Scale3', 'nn.Module')
        function L:updateOutput(input) self.output = input * 3 return self.output end
        local seq = nn.Sequential():add(nn.Scale3())
        local a = seq:forward(torch.Tensor{1})[1]
        function L:updateOutput(input) self.output = input * 5 return self.output end
        return a, seq:forward(torch.Tensor{1})[1]""")
    assert r == (3, 5)


def test_instance_fields_win_over_class_methods(rt):
    r = rt.execute("""
        require 'nn'
        local m = nn.Linear(2, 2)
        m.updateOutput = function(self, input) self.output = input:clone():fill(4) return self.output end
        local seq = nn.Sequential():add(m)
        local other = nn.Linear(2, 2)
        other.reset = 3      -- a field shadowing a method name
        return seq:forward(torch.Tensor{1, 1})[1], m:forward(torch.Tensor{1, 1})[2], other.reset,
               nn.Linear(2, 2).reset ~= 3""")
    assert r == (4, 4, 3, True)


def test_method_set_on_one_instance_follows_it_into_its_clone(rt):
    # Torch7's clone is a serialisation round trip, so a function stored on an instance is
    # copied with it, and the copy's self is the clone (its own fields, not the original's)
    r = rt.execute("""
        require 'nn'
        local m = nn.Module()
        m.k = 2
        m.updateOutput = function(self, input) self.output = input * self.k return self.output end
        local c = m:clone()
        c.k = 5
        local seq = nn.Sequential():add(m:clone())
        local s2 = seq:clone()
        s2:get(1).k = 7
        return m:forward(torch.Tensor{1, 2})[2], c:forward(torch.Tensor{1, 2})[2], c.output ~= m.output,
               seq:forward(torch.Tensor{3})[1], s2:forward(torch.Tensor{3})[1],
               c.updateOutput == m.updateOutput""")
    assert r == (4, 10, True, 6, 21, True)


# -- a Lua table stays a Lua table ------------------------------------------------------------------

def test_table_field_keeps_lua_semantics(rt):
    r = rt.execute("""
        require 'nn'
        local m = nn.Linear(2, 3)
        local t = {}
        m.cache = t
        m.cache.name = 'abc'
        m.cache[1] = 10
        m.cache[2] = 20
        m.cache[7] = 70           -- a hole, as Lua allows
        local keys = {}
        for k in pairs(m.cache) do keys[#keys + 1] = tostring(k) end
        table.sort(keys)
        local P = torch.class('Point')
        function P:__init(x) self.x = x end
        function P:twice() return 2 * self.x end
        m.point = P(21)
        return m.cache == t, rawequal(m.cache, t), m.cache.name, #m.cache, table.concat(keys, ','),
               m.point:twice(), torch.type(m.point), m.cache == m.cache""")
    assert r == (True, True, "abc", 2, "1,2,7,name", 42, "Point", True)


def test_python_lists_seen_from_lua_keep_their_identity(rt):
    r = rt.execute("""
        require 'nn'
        local s = nn.Sequential():add(nn.Tanh()):add(nn.ReLU())
        local mods = s.modules
        local seen = {[mods] = true}
        return s.modules == mods, rawequal(s.modules, mods), seen[s.modules] == true, #mods,
               s.modules[1] == s:get(1), torch.type(mods[2])""")
    assert r == (True, True, True, 2, True, "nn.ReLU")


def test_table_output_of_a_lua_module(rt):
    r = rt.execute("""
        require 'nn'
        local D = torch.class('nn.Doubled', 'nn.Module')
        function D:__init() nn.Module.__init(self) self.output = {} end
        function D:updateOutput(x)
           self.output[1] = x
           self.output[2] = x * 2
           return self.output
        end
        local d = nn.Doubled()
        local s = nn.Sequential():add(d):add(nn.CAddTable())   -- a Python module gets the table
        local y = s:forward(torch.Tensor{1, 2})
        local o = d:forward(torch.Tensor{5})
        return y[1], y[2], o == d.output, rawequal(o, d.output), type(d.output), #d.output, d.output[2][1]""")
    assert r == (3, 6, True, True, "table", 2, 10)


def test_clone_copies_lua_tables_in_fields(rt):
    r = rt.execute("""
        require 'nn'
        local P = torch.class('Pt')
        function P:__init(x) self.x = x end
        function P:get() return self.x end
        local m = nn.Linear(2, 3)
        m.cfg = {sizes = {1, 2}, p = P(4)}
        local c = m:clone()
        c.cfg.sizes[1] = 9
        c.cfg.p.x = 5
        return m.cfg.sizes[1], c.cfg.sizes[1], m.cfg.p:get(), c.cfg.p:get(), torch.type(c.cfg.p),
               c.cfg ~= m.cfg""")
    assert r == (1, 9, 4, 5, "Pt", True)


def test_save_writes_lua_table_fields_and_keeps_them(rt, tmp_path):
    p = str(tmp_path / "m.t7")
    r = rt.execute("""
        require 'nn'
        local m = nn.Linear(2, 3)
        local t = {name = 'enc', steps = {3, 4}}
        m.cfg = t
        m.cfg2 = t                 -- shared: one table in the file
        torch.save('%s', m)
        local back = torch.load('%s')
        return back.cfg.name, back.cfg.steps[2], back.cfg == back.cfg2, m.cfg == t""" % (p, p))
    assert r == ("enc", 4, True, True)
    back = torch.load(p)
    assert back.cfg == {"name": "enc", "steps": [3, 4]} and back.cfg is back.cfg2


# -- arguments as Lua and Torch7's C read them -------------------------------------------------------

def test_extra_arguments_to_lua_written_functions_are_ignored(rt):
    r = rt.execute("""
        require 'nn'
        local m = nn.Linear(2, 3, true, 'extra')           -- nn's constructors are Lua: extras dropped
        local y = m:forward(torch.Tensor{1, 1}, 'extra', 5)
        local s = nn.Sequential():add(m)
        s:zeroGradParameters('unused')
        local want = m.weight:sum(2):select(2, 1) + m.bias
        return y:size(1), (y - want):abs():max(), m.gradWeight:abs():sum()""")
    assert r == (3, 0, 0)


def test_non_integer_sizes_truncate_as_torch7(rt):
    r = rt.execute("""
        local n = 7
        return torch.Tensor(n / 2):size(1), torch.Tensor(3.0, 2.7):size(2), torch.zeros(2.5):size(1),
               torch.Tensor(5):resize(n / 2):size(1), torch.Tensor(6):view(2.9, 3):size(1),
               torch.LongStorage(2.5):size(), torch.rand(2.2, 1):size(1),
               torch.Tensor(2):fill(2.5)[1], torch.Tensor(1).new(3.5):size(1)""")
    assert r == (3, 2, 2, 3, 2, 2, 2, 2.5, 3)


def test_negative_zero_in_tables_stays_negative(rt, tmp_path):
    p = str(tmp_path / "z.t7")
    r = rt.execute("""
        local t = torch.Tensor({1, -0, 0, -0.0})
        local s = torch.FloatStorage({-0.0, 0})
        torch.save('%s', {list = {0, -0.0, 1}, inner = {x = -0.0}})
        local b = torch.load('%s')
        return 1 / t[2], 1 / t[3], 1 / t[4], 1 / s[1], 1 / s[2], 1 / b.list[2], 1 / b.list[1], 1 / b.inner.x""" % (p, p))
    inf = float("inf")
    assert r == (-inf, inf, -inf, -inf, inf, -inf, inf, -inf)
    back = torch.load(p)
    assert math.copysign(1, back["list"][1]) == -1 and math.copysign(1, back["inner"]["x"]) == -1
    assert math.copysign(1, back["list"][0]) == 1


def test_indexing_by_a_long_storage(rt):
    # char-rnn's model_utils: cumSumOfHoles[#cumSumOfHoles], the last element through its size
    r = rt.execute("""
        local c = torch.range(1, 5):cumsum(1)
        local m = torch.range(1, 6):view(2, 3)
        m[torch.LongStorage{2, 1}] = 40
        return c[#c], m[#m], m[torch.LongStorage{1, 3}], m[2][1]""")
    assert r == (15, 6, 3, 40)


def test_module_fields_behave_as_lua_table_fields(rt):
    # what dpnn's sharedClone relies on: fields named __x, nil removing a field (pairs skips it,
    # the weights come back after), list fields with a stable torch.pointer, storage:data()
    r = rt.execute("""
        require 'nn'
        local m = nn.Linear(3, 2)
        m.__reward = 5
        local w = m.weight
        m.weight = nil
        local names = {}
        for k in pairs(m) do names[k] = true end
        local s = nn.Sequential():add(m)
        local p1 = torch.pointer(s.modules)
        collectgarbage()
        local p2 = torch.pointer(s.modules)
        m.weight = w
        local flat = nn.Module.flatten({torch.Tensor(2):fill(1), torch.Tensor(3):fill(2)})
        local a, b = torch.Tensor(4), torch.Tensor(4)
        return m.__reward, names.weight == nil, names.bias, m.weight == w, p1 == p2,
               torch.type(s.modules), flat:size(1), flat:sum(),
               torch.pointer(a:storage():data()) == torch.pointer(a:storage():data()),
               torch.pointer(a:storage():data()) ~= torch.pointer(b:storage():data()),
               m:forward(torch.Tensor{1, 1, 1}):size(1)""")
    assert r == (5, True, True, True, True, "table", 5, 8, True, True, 2)


def test_class_data_fields_are_not_methods(rt):
    # dpnn keeps lists of field names on nn.Module (Module.dpnn_parameters = {...}); a subclass
    # defined in Lua copies and extends one per instance (rnn's Sequencer)
    r = rt.execute("""
        require 'nn'
        nn.Module.dpnn_mediumEmpty = {'output', 'gradInput'}
        local S = torch.class('nn.SeqLike', 'nn.Container')
        S.defaults = {1, 2}
        function S:__init()
           nn.Container.__init(self)
           local c = {}
           for i, v in ipairs(self.dpnn_mediumEmpty) do c[i] = v end
           self.dpnn_mediumEmpty = c
           table.insert(self.dpnn_mediumEmpty, '_output')
        end
        local s = nn.SeqLike()
        local seq = nn.Sequential():add(s)
        return #s.dpnn_mediumEmpty, #nn.Module.dpnn_mediumEmpty, #nn.Linear(1, 1).dpnn_mediumEmpty,
               type(seq.dpnn_mediumEmpty), #s.defaults, torch.type(seq:get(1))""")
    assert r == (3, 2, 2, "table", 2, "nn.SeqLike")
    from pytorch_lite import nn
    assert not hasattr(nn.Module, "dpnn_mediumEmpty")   # Python's class got no data from Lua


def test_list_fields_passed_back_to_python_are_lists(rt):
    # a table output held by a Python module, handed on from Lua: Python gets the list itself
    r = rt.execute("""
        require 'nn'
        local c = nn.ConcatTable():add(nn.Identity()):add(nn.Identity())
        c:forward(torch.Tensor{1, 2})
        local out = c.output
        local joined = nn.JoinTable(1):forward(out)
        local summed = nn.CAddTable():forward(out)
        local holder = nn.Sequential()
        holder.saved = {}
        holder.saved[1] = out            -- a view stored into a Lua table, then read by Python
        local p = nn.ParallelTable():add(nn.Identity()):add(nn.Identity())
        local both = p:forward({out, out})
        return joined:size(1), summed[2], torch.cat(out, 1):size(1), #both, #both[1], both[2][2][1]""")
    assert r == (4, 4, 4, 2, 2, 1)


def test_constructor_replaced_from_lua(rt):
    # rnn replaces nn.Dropout's constructor to add a `lazy` option; subclasses built on it see it
    r = rt.execute("""
        require 'nn'
        local Dropout, Parent = nn.Dropout, nn.Module
        function Dropout:__init(p, v1, inplace, lazy)
           Parent.__init(self)
           self.p = p or 0.5
           self.train = true
           self.inplace = inplace
           self.lazy = lazy or false
           self.v2 = not v1
           self.noise = torch.Tensor()
        end
        local d = nn.Dropout(0.25, false, false, true)
        d:evaluate()
        local y = d:forward(torch.Tensor{1, 2, 3})
        local L = torch.class('nn.MyDrop', 'nn.Dropout')
        function L:__init(p) nn.Dropout.__init(self, p, false, false, 'yes') end
        local e = nn.MyDrop(0.1)
        return d.lazy, d.p, y[3], torch.type(d), e.lazy, e.p, torch.type(e)""")
    assert r == (True, 0.25, 3, "nn.Dropout", "yes", 0.1, "nn.MyDrop")


def test_lua_subclass_of_an_index_module_stays_one_based(rt):
    # rnn's LookupTableMaskZero: index 0 is padding, rows 1..n shift up by one in its own weight
    r = rt.execute("""
        require 'nn'
        local L, parent = torch.class('nn.LookupZero', 'nn.LookupTable')
        function L:__init(nIndex, nOutput)
           parent.__init(self, nIndex + 1, nOutput)
        end
        function L:updateOutput(input)
           self.weight[1]:zero()
           self._input = self._input or input.new()
           self._input:resizeAs(input):copy(input):add(1)
           return parent.updateOutput(self, self._input)
        end
        local Plain = torch.class('nn.PlainLookup', 'nn.LookupTable')   -- inherits updateOutput
        torch.manualSeed(3)
        local z = nn.LookupZero(4, 2)
        local y = z:forward(torch.LongTensor{0, 4, 2})
        local p = nn.PlainLookup(3, 2)
        local q = p:forward(torch.LongTensor{3, 1})
        local s = nn.Sequential():add(nn.PlainLookup(3, 1))
        s.modules[1].weight:copy(torch.Tensor{{10}, {20}, {30}})
        return y[1]:abs():sum(), (y[2] - z.weight[5]):abs():sum(), (y[3] - z.weight[3]):abs():sum(),
               (q[1] - p.weight[3]):abs():sum(), s:forward(torch.LongTensor{3, 1})[1][1]""")
    assert r == (0, 0, 0, 0, 30)


def test_a_modules_table_output_is_its_output_field(rt):
    r = rt.execute("""
        require 'nn'
        local c = nn.ConcatTable():add(nn.Identity()):add(nn.Identity())
        local o = c:forward(torch.Tensor{1, 2})
        local seen = {[o] = 'out'}
        local s = nn.SplitTable(1)
        local parts = s:forward(torch.Tensor{{1, 2}, {3, 4}})
        return o == c.output, rawequal(o, c.output), seen[c.output], #o, type(o),
               parts == s.output, parts[2][1]""")
    assert r == (True, True, "out", 2, "table", True, 3)


def test_print_of_a_table_as_th_prints_it():
    out = io.StringIO()
    rt = Runtime(stdout=out)
    rt.execute("""
        require 'nn'
        print({1, 'a', x = 'str', t = torch.Tensor(2, 3), e = torch.Tensor(), s = torch.LongStorage(3),
               n = {}, deep = {a = {b = {c = {d = {e = 1}}}}}, flag = true})
        print(1, 'x', nil)
        print({})
        print(nn.Sequential():add(nn.Tanh()).modules)""")
    assert out.getvalue() == (
        '{\n'
        '  1 : 1\n'
        '  2 : "a"\n'
        '  deep : \n'
        '    {\n'
        '      a : \n'
        '        {\n'
        '          b : \n'
        '            {\n'
        '              c : \n'
        '                {\n'
        '                  d : {...}\n'
        '                }\n'
        '            }\n'
        '        }\n'
        '    }\n'
        '  e : DoubleTensor - empty\n'
        '  flag : true\n'
        '  n : {...}\n'
        '  s : LongStorage - size: 3\n'
        '  t : DoubleTensor - size: 2x3\n'
        '  x : "str"\n'
        '}\n'
        '1\tx\tnil\t\n'
        '{}\n'
        '{\n'
        '  1 : \n'
        '    {\n'
        '      _type : "torch.DoubleTensor"\n'
        '      gradInput : DoubleTensor - empty\n'
        '      output : DoubleTensor - empty\n'
        '    }\n'
        '}\n')


def test_non_integer_dims_and_indices_truncate_as_torch7(rt):
    r = rt.execute("""
        local x = torch.range(1, 10)
        local n = 7
        local m = torch.range(1, 6):view(2, 3)
        return x:narrow(1, n / 2, 2)[1], torch.range(1, 6):view(3, 2):select(1, 2.9)[1],
               torch.narrow(x, 1, 2.5, 3):size(1), x:sub(1.5, 3.5):size(1), m:max(2.7)[2][1],
               m:sum(1.2)[1][3], torch.Tensor(2):fill(2.5)[2]""")
    assert r == (3, 3, 3, 3, 6, 9, 2.5)


def test_instances_of_lua_classes_save_as_torch_objects(rt, tmp_path):
    p = str(tmp_path / "inst.t7")
    r = rt.execute("""
        local P = torch.class('Counter')
        function P:__init(n) self.n = n self.seen = {} end
        function P:bump() self.n = self.n + 1 return self.n end
        local c = P(5)
        c.seen.me = c                               -- a cycle through the instance
        torch.save('%s', {c = c, again = {c}})
        local b = torch.load('%s')
        local d = torch.deserialize(torch.serialize(c))
        return torch.type(b.c), b.c:bump(), b.c == b.again[1], b.c.seen.me == b.c, d:bump()""" % (p, p))
    assert r == ("Counter", 6, True, True, 6)
    back = torch.load(p)        # a Torch object of class Counter, as Torch7 writes it
    assert back["c"].typename == "Counter" and back["c"].fields["n"] == 5
    assert back["again"][0] is back["c"] and back["c"].fields["seen"]["me"] is back["c"]


def test_running_runtimes_are_per_thread():
    # a class patched by one runtime's Lua: Python code in this thread sees the patch while that Lua
    # runs, Python code in another thread meanwhile does not (each thread runs its own Lua states)
    import threading
    from lua_compat.bridge import ACTIVE
    from pytorch_lite import nn
    seen = {}

    def other():
        seen["other active"] = bool(ACTIVE)
        seen["other tanh"] = nn.Tanh().forward(torch.Tensor([0.5]))[0]

    def probe():
        seen["this tanh"] = nn.Tanh().forward(torch.Tensor([0.5]))[0]
        t = threading.Thread(target=other)
        t.start()
        t.join()

    rt = Runtime(stdout=io.StringIO())
    rt.globals().probe = probe
    rt.execute("""
        require 'nn'
        nn.Tanh.updateOutput = function(self, x) self.output = x:clone():fill(7) return self.output end
        probe()""")
    assert seen == {"this tanh": 7, "other active": False, "other tanh": pytest.approx(math.tanh(0.5))}


def test_nngraph_nodes_made_from_lua_are_labelled_with_the_lua_line(tmp_path):
    # nngraph records '[short_src]:line_' of the script line that made each node (its
    # _debugLabel, written into t7 files): the Lua caller's line, not the bridge's Python frame
    script = tmp_path / "graph.lua"
    script.write_text("require 'nngraph'\n"
                      "local x = nn.Identity()()\n"
                      "local y = nn.Tanh()(x)\n"
                      "return nn.gModule({x}, {y})\n")
    g = Runtime().run_file(str(script))
    labels = sorted(n.data["annotations"]["_debugLabel"] for n in g.forwardnodes
                    if n.data.get("module") is not None)
    src = str(script) if len(str(script)) < 60 else "..." + str(script)[-56:]
    assert labels == ["[%s]:2_" % src, "[%s]:3_" % src]


def test_unused_split_output_error_names_the_node_and_split_lines(tmp_path):
    # nngraph's error for an unused output of split(n): the node's label '[src]:line_' and the
    # line of the split call as ' split at [src]:line' (no '_'), both Lua lines of the script
    script = tmp_path / "split.lua"
    script.write_text("require 'nngraph'\n"
                      "local x = nn.Identity()()\n"
                      "\n"
                      "local a, b = x:split(2)\n"
                      "local ok, e = pcall(nn.gModule, {x}, {a})\n"
                      "return e\n")
    err = Runtime(stdout=io.StringIO()).run_file(str(script))
    src = str(script) if len(str(script)) < 60 else "..." + str(script)[-56:]
    assert ("1 of split(2) outputs from the node declared at [%s]:2_ split at [%s]:4-mnode are unused"
            % (src, src)) in err


def test_a_trailing_nil_argument_is_left_out(rt):
    # Lua cannot tell f(a, b, nil) from f(a, b); Torch7's methods read `scale = scale or 1`, so a
    # wrapper passing its own nil scale on (torch-rnn's LanguageModel:backward) gets scale 1
    r = rt.execute("""
        require 'nn'
        local lin = nn.Linear(2, 1)
        lin.weight:fill(0.5) lin.bias:fill(0)
        local seq = nn.Sequential():add(lin)
        local scale
        seq:zeroGradParameters()
        seq:forward(torch.Tensor{1, 2})
        seq:backward(torch.Tensor{1, 2}, torch.Tensor{3}, scale)
        local gw1, gw2 = lin.gradWeight[1][1], lin.gradWeight[1][2]
        lin:accGradParameters(torch.Tensor{1, 2}, torch.Tensor{3}, nil)
        return gw1, gw2, lin.gradWeight[1][2], lin.gradBias[1]""")
    assert r == (3, 6, 12, 6)


def test_length_and_insert_on_tables_a_loaded_module_holds(rt, tmp_path):
    # a module read back from a t7 file holds its tables as Python lists/dicts (an empty one as
    # a dict): #, ipairs, table.insert/remove see their 1..n part as Lua does
    path = str(tmp_path / "m.t7")
    r = rt.execute("""
        require 'nn'
        local C, parent = torch.class('nn.HoldsTables', 'nn.Module')
        function C:__init() parent.__init(self) self.empty = {} self.mixed = {10, 20, name = 'x'} end
        torch.save(select(1, ...), nn.HoldsTables())
        local m = torch.load(select(1, ...))
        local n0, n1 = #m.empty, #m.mixed
        local seen = 0
        for _, v in ipairs(m.empty) do seen = seen + 1 end
        table.insert(m.empty, 'a') table.insert(m.empty, 1, 'b')
        table.insert(m.mixed, 30)
        local removed = table.remove(m.mixed, 1)
        return n0, n1, seen, #m.empty, m.empty[1], m.empty[2], #m.mixed, removed, m.mixed[1],
               m.mixed[2], m.mixed.name""", path)
    assert r == (0, 2, 0, 2, "b", "a", 2, 10, 20, 30, "x")


def test_decorator_decorate_gives_a_lua_class_the_forwarding_methods(rt):
    # nn.Decorator.decorate(class): Torch7's helper for a class that inherits elsewhere but
    # passes forward/backward on to modules[1] as a Decorator does (rnn's BiSequencer)
    r = rt.execute("""
        require 'nn'
        local C, parent = torch.class('nn.Wraps', 'nn.Container')
        function C:__init(m) parent.__init(self) self.modules[1] = m end
        nn.Decorator.decorate(C)
        local lin = nn.Linear(2, 1)
        lin.weight:copy(torch.Tensor{{1, 2}}) lin.bias:fill(0.5)
        local w = nn.Wraps(lin)
        local y = w:forward(torch.Tensor{3, 4})
        w:zeroGradParameters()
        local gi = w:backward(torch.Tensor{3, 4}, torch.Tensor{2})
        return y[1], gi[1], gi[2], lin.gradWeight[1][2], tostring(w)""")
    assert r == (11.5, 2, 4, 8, "nn.Wraps @ nn.Linear(2 -> 1)")


def test_a_nil_constructor_argument_takes_the_default(rt):
    # Torch7's constructors read a nil as left out (self.eps = eps or 1e-5): rnn's FastLSTM
    # passes its unset eps and momentum on to nn.BatchNormalization
    r = rt.execute("""
        require 'nn'
        local eps, momentum
        local bn = nn.BatchNormalization(3, eps, momentum, false)
        local y = bn:forward(torch.Tensor{{1, 2, 3}, {3, 2, 7}})
        local C, parent = torch.class('nn.MyBN', 'nn.BatchNormalization')
        function C:__init(n) parent.__init(self, n, nil, 0.5) end
        local mine = nn.MyBN(2)
        return bn.eps, bn.momentum, bn.affine, bn.weight == nil, y[1][1], bn.running_mean[3],
               mine.eps, mine.momentum, mine.affine""")
    assert r[:5] == (1e-5, 0.1, False, True, pytest.approx(-1 / math.sqrt(1 + 1e-5)))
    assert r[5] == pytest.approx(0.1 * 5) and r[6:] == (1e-5, 0.5, True)


def test_python_writers_take_the_lua_tables_a_script_set(rt):
    # nn.Jacobian.testIO writes the module from Python: the Lua tables a script keeps in it are
    # written as torch.save from Lua writes them, and read back with their keys
    r = rt.execute("""
        require 'nn'
        local C, parent = torch.class('nn.ScaleByTable', 'nn.Module')
        function C:__init() parent.__init(self) self.cfg = {factor = 3, 'x'} end
        function C:updateOutput(input) self.output = input * self.cfg.factor return self.output end
        function C:updateGradInput(input, g) self.gradInput = g * self.cfg.factor return self.gradInput end
        local m = nn.ScaleByTable()
        local ferr, berr = nn.Jacobian.testIO(m, torch.Tensor{1, 2})
        return ferr, berr, torch.type(m.cfg), m.cfg.factor, m.cfg[1]""")
    assert r == (0, 0, "table", 3, "x")


def test_testio_reports_why_a_module_cannot_be_written():
    from pytorch_lite import nn
    from pytorch_lite.errors import TorchTypeError
    m = nn.Identity()
    m.handle = object()
    with pytest.raises(TorchTypeError, match="cannot write an object of type object"):
        nn.Jacobian.testIO(m, torch.Tensor([1.0]))


def test_type_converts_the_tensors_in_lua_tables_a_module_holds(rt):
    # Torch7's Module:type runs recursiveType over every field, tables included (rnn's
    # RepeaterCriterion keeps its gradInput as a Lua table, SequencerCriterion its clones)
    r = rt.execute("""
        require 'nn'
        local C, parent = torch.class('nn.HoldsBuffers', 'nn.Module')
        function C:__init()
           parent.__init(self)
           self.bufs = {torch.Tensor{1.5, 2}, {inner = torch.Tensor(3)}, n = 4}
           self.crits = {nn.MSECriterion()}
        end
        local m = nn.HoldsBuffers():float()
        return torch.type(m.bufs[1]), m.bufs[1][1], torch.type(m.bufs[2].inner), m.bufs.n,
               torch.type(m.crits[1].gradInput), torch.type(m.bufs)""")
    assert r == ("torch.FloatTensor", 1.5, "torch.FloatTensor", 4, "torch.FloatTensor", "table")


def test_clone_keeps_objects_shared_between_lua_tables_and_fields(rt):
    # Torch7's clone (a serialisation round trip) keeps sharing: a module held both in a Lua
    # table and in a field (rnn's sharedClones and recurrentModule), or one table in two fields,
    # is one object in the copy, and not the original's
    r = rt.execute("""
        require 'nn'
        local C, parent = torch.class('nn.KeepsClones', 'nn.Container')
        function C:__init()
           parent.__init(self)
           self.step = nn.Linear(2, 2)
           self.clones = {self.step, {deep = self.step}}
           self.first, self.again = self.clones, self.clones
           self.modules[1] = self.step
        end
        local m = nn.KeepsClones()
        local c = m:clone()
        c.step.weight:fill(3)
        return c.clones[1] == c.step, c.clones[2].deep == c.step, c.first == c.again,
               c.step ~= m.step, c.clones ~= m.clones, m.step.weight[1][1] ~= 3,
               c.modules[1] == c.step, getmetatable(c.clones) == getmetatable(m.clones)""")
    assert r == (True,) * 8


def test_tables_reach_python_whole_by_both_roads(rt):
    # small plain arrays come over in one call into Lua, every other table key by key; both must
    # give the same Python values, sharing and -0s
    got = []
    rt.lua.globals().py_capture = lambda *a: got.append(args_to_py(a))
    rt.execute("""
        local shared = {1, 2}
        local big = {}
        for i = 1, 100 do big[i] = i end
        big[50] = -0.0
        local holes = {1, nil, 3}
        py_capture({-0.0, 0, {shared, shared}}, {a = -0.0, [1] = 2}, big, holes, setmetatable({5}, {}), {})
    """)
    small, mixed, big, holes, with_mt, empty = got[0]
    assert small[:2] == [0.0, 0] and math.copysign(1, small[0]) == -1 and small[2][0] is small[2][1]
    assert small[2][0] == [1, 2]
    assert mixed == {"a": -0.0, 1: 2} and math.copysign(1, mixed["a"]) == -1
    assert big[:3] == [1, 2, 3] and len(big) == 100 and math.copysign(1, big[49]) == -1
    assert holes in ({1: 1, 3: 3}, [1, None, 3])
    assert empty == [] and with_mt is not None


def test_class_nll_default_ignore_index_from_lua(rt):
    # nn's ClassNLLCriterion ignores targets equal to ignoreIndex, -100 by default; a negative
    # index is the same number in both numberings, so Lua's -100 targets are the ignored ones
    r = rt.execute("""
        require 'nn'
        local x = torch.Tensor{{-1, -2, -3, -4}, {-5, -6, -7, -8}, {-9, -10, -11, -12}}
        local t = torch.Tensor{1, -100, 3}
        local c, ce = nn.ClassNLLCriterion(), nn.CrossEntropyCriterion()
        local g = c:backward(x, t)
        local ok = pcall(function() return c:forward(x, torch.Tensor{1, -101, 3}) end)
        return c.ignoreIndex, c:forward(x, t), g[2]:abs():sum(), g[1][1], t[2], ok,
               nn.ClassNLLCriterion(nil, false):forward(x, t), ce:forward(x, t)
    """)
    import numpy as np
    x = np.array([[-1, -2, -3, -4], [-5, -6, -7, -8], [-9, -10, -11, -12]], dtype=float)
    lsm = x - np.log(np.exp(x).sum(1, keepdims=True))
    assert r[:6] == (-100, 6, 0, -0.5, -100, False)
    assert r[6] == 12 and abs(r[7] - -(lsm[0, 0] + lsm[2, 2]) / 2) < 1e-12


def test_class_nll_byte_and_long_targets_from_lua(rt):
    # char-rnn's targets are a ByteTensor: no element can equal the -100 sentinel, nothing to keep
    r = rt.execute("""
        require 'nn'
        local x = torch.Tensor{{-1, -2, -3}, {-4, -5, -6}}
        local c = nn.ClassNLLCriterion()
        return c:forward(x, torch.ByteTensor{2, 3}), c:forward(x, torch.LongTensor{2, -100}),
               c:forward(x, torch.CharTensor{1, -100})
    """)
    assert r == (4.0, 2.0, 1.0)


# -- constructors and views as Torch7's C reads them (found running cutorch's own test.lua) ------

def test_new_on_storages_and_classes_is_the_constructor_of_that_type(rt):
    # luaT puts `new` on every class: s.new(n), torch.FloatStorage.new(n), torch.DoubleTensor.new(...)
    got = rt.execute("""
        local s = torch.FloatStorage(3)
        local a = s.new(5)
        local b = torch.DoubleStorage.new(2)
        local t = torch.DoubleTensor.new(2, 3)
        local u = torch.IntTensor(4).new(1)
        return torch.type(a), a:size(), torch.type(b), b:size(), torch.type(t), t:size(2), torch.type(u)""")
    assert got == ("torch.FloatStorage", 5, "torch.DoubleStorage", 2, "torch.DoubleTensor", 3, "torch.IntTensor")


def test_sizes_and_strides_as_long_storages(rt):
    # torch.Tensor(sizes, strides) and x:resize(sizes, strides): TH's resizeNd, where a negative
    # stride means the contiguous one; the storage holds 1 + sum((size-1)*stride) elements
    got = rt.execute("""
        local t = torch.FloatTensor(torch.LongStorage{2, 3}, torch.LongStorage{1, 2})
        local u = torch.DoubleTensor(2, 2):resize(torch.LongStorage{3, 2}, torch.LongStorage{-1, -1})
        local v = torch.IntTensor(torch.LongStorage{4, 5}, torch.LongStorage{7, -1})
        local w = torch.FloatTensor(torch.LongStorage{3, 4})   -- sizes
        local z = torch.LongTensor(torch.LongStorage{3, 4})    -- its own storage type: a view of it
        return t:stride(1), t:stride(2), t:storage():size(), u:stride(1), u:stride(2),
               v:stride(1), v:stride(2), v:storage():size(), w:dim(), w:size(2), z:dim(), z[2]""")
    assert got == (1, 2, 6, 2, 1, 7, 1, 26, 2, 4, 1, 4)
    msg = _err(rt, "torch.FloatTensor(torch.LongStorage{2, 3}, torch.LongStorage{1})")
    assert "2 sizes but 1 strides" in msg
    # a LongTensor's own storage type first means (storage, offset, ...), as in Torch7
    assert "the offset must be a number" in _err(rt, "torch.LongTensor(torch.LongStorage{2}, torch.LongStorage{1})")


def test_tensor_type_of_a_non_tensor_is_its_typename(rt):
    # Torch7's Tensor.type is Lua: torch.typename(self) when no type is asked for
    assert rt.execute("return torch.Tensor.type(3.5), torch.Tensor.type('x'), "
                      "torch.Tensor.type(torch.IntTensor())") == (None, None, "torch.IntTensor")


def test_an_empty_tensor_views_with_zero_or_inferred_sizes(rt):
    # THLongStorage_newInferSize: 0 elements fit sizes holding a 0, and -1 infers 0; the result
    # is empty as TH's resize leaves it
    got = rt.execute("""
        local a = torch.LongTensor(0, 7):view(-1)
        local b = torch.LongTensor():view(0, 7)
        local c = torch.FloatTensor(3):narrow(1, 2, 2):view(2, 1)
        return a:dim(), a:nElement(), b:dim(), c:size(1), c:size(2)""")
    assert got == (0, 0, 0, 2, 1)
    assert "sizes must be positive" in _err(rt, "torch.FloatTensor(3):view(0, 3)")
    assert "cannot infer" in _err(rt, "torch.LongTensor(0, 7):view(-1, 0)")


def test_alias_draw_into_an_empty_output_draws_nothing(rt):
    # TH and THC fill as many samples as the output has elements, checking no shape: an empty
    # output (a 0 x n view, cutorch's test) takes none
    got = rt.execute("""
        local s = torch.multinomialAliasSetup(torch.DoubleTensor{0.2, 0.8})
        local before = torch.random()
        torch.manualSeed(3)
        local o = torch.multinomialAlias(torch.LongTensor(0, 3):view(-1), s)
        local a = torch.uniform()
        torch.manualSeed(3)
        return o:nElement(), o:dim(), a == torch.uniform()""")
    assert got == (0, 0, True)


def test_a_tensor_type_name_last_picks_the_type_of_a_torch_function(rt):
    # Torch7's torch.f dispatcher: a type name as the last argument (no tensor among the first
    # two) runs that type's f, without the name (torchnet: torch.range(1, n, 'torch.DoubleTensor'))
    got = rt.execute("""
        local r = torch.range(1, 4, 'torch.LongTensor')
        local z = torch.zeros(2, 3, 'torch.FloatTensor')
        local p = torch.randperm(5, 'torch.IntTensor')
        local l = torch.linspace(0, 1, 5, 'torch.FloatTensor')
        local ok, err = pcall(torch.sum, torch.ones(3), 'torch.FloatTensor')
        return torch.type(r), r[4], torch.type(z), z:size(2), torch.type(p), p:sum(), torch.type(l), l[5],
               ok, torch.type(torch.cat({torch.ones(2), torch.ones(3)}, 1))""")
    assert got == ("torch.LongTensor", 4, "torch.FloatTensor", 3, "torch.IntTensor", 15,
                   "torch.FloatTensor", 1, False, torch.getdefaulttensortype())


def test_setmetatable_makes_a_table_an_instance_of_a_lua_class(rt):
    # luaT's torch.setmetatable: the table itself becomes an instance (and is returned)
    got = rt.execute("""
        local A = torch.class('SetmtA')
        function A:hello() return 'hi ' .. self.x end
        local t = {x = 3}
        local r = torch.setmetatable(t, 'SetmtA')
        local ok2, e2 = pcall(torch.setmetatable, {}, 'NoSuchClass')
        return r == t, torch.type(t), t:hello(), ok2, tostring(e2):match('unknown typename') ~= nil""")
    assert got == (True, "SetmtA", "hi 3", False, True)


def test_setmetatable_rebuilds_a_network_from_tables(rt):
    # fb.resnet's checkpoint deepCopy: a copy of the network from plain tables (sharing the
    # tensors) given the modules' classes by torch.setmetatable; nn's modules are Python objects
    # here, so each table becomes the stand-in of a new module made from its fields, and :float()
    # on the copy converts the copy only
    got = rt.execute("""
        require 'nn'
        local function deepCopy(tbl)
           local copy = {}
           for k, v in pairs(tbl) do
              if type(v) == 'table' then copy[k] = deepCopy(v) else copy[k] = v end
           end
           if torch.typename(tbl) then torch.setmetatable(copy, torch.typename(tbl)) end
           return copy
        end
        torch.manualSeed(2)
        local net = nn.Sequential():add(nn.Linear(3, 2)):add(nn.Tanh()):add(nn.Linear(2, 1))
        local x = torch.randn(4, 3)
        local y = net:forward(x):clone()
        local c = deepCopy(net)
        local shared = rawequal(c.modules[1].weight, net.modules[1].weight) or
                       torch.pointer(c.modules[1].weight) == torch.pointer(net.modules[1].weight)
        local f = c:float():clearState()
        return torch.type(c), torch.type(c.modules[1]), shared, torch.type(f), torch.type(f.modules[1].weight),
               torch.type(net.modules[1].weight), (f:forward(x:float()):double() - y):abs():max() < 1e-6,
               tostring(c) == tostring(net)""")
    assert got == ("nn.Sequential", "nn.Linear", True, "nn.Sequential", "torch.FloatTensor",
                   "torch.DoubleTensor", True, True)


def test_a_module_saved_without_gradInput_computes_none(rt, tmp_path):
    # fb.resnet drops its first layer's gradInput (= nil) and saves: the loaded module has no
    # such field and, as Torch7's, computes no gradInput while its weight gradients still come
    got = rt.execute("""
        require 'nn'
        local path = ...
        local m = nn.SpatialConvolution(3, 4, 3, 3)
        m.gradInput = nil
        torch.save(path, m)
        local b = torch.load(path)
        local x = torch.randn(1, 3, 5, 5)
        local y = b:forward(x)
        b:zeroGradParameters()
        local gi = b:backward(x, y:clone():fill(1))
        return gi == nil, b.gradInput == nil, b.gradWeight:norm() > 0""", str(tmp_path / "m.t7"))
    assert got == (True, True, True)


def test_invalid_arguments_are_named_by_their_lua_types(rt):
    # the declarations' "invalid arguments" message names arguments as Torch7's does: torch
    # types, else Lua's (number, string, table, boolean, nil), not Python's
    msg = _err(rt, "torch.add(torch.ones(3), {}, true, 'x', 2.5)")
    assert "got (torch.DoubleTensor, table, boolean, string, number)" in msg
    assert "got (torch.DoubleTensor, torch.Generator)" in _err(rt, "torch.sum(torch.ones(3), torch.Generator())")


def test_io_output_redirects_io_write(tmp_path):
    # Lua's io.output(name) makes io.write write to that file until io.output(io.stdout)
    out = io.StringIO()
    path = str(tmp_path / "page.html")
    got = Runtime(stdout=out).execute("""
        local path = ...
        io.write('before ')
        local f = io.output(path)
        io.write('<table>', 3, '</table>')
        local same = io.output() == f
        io.close()
        io.output(io.stdout)
        io.write('after')
        return same, io.output() == io.stdout""", path)
    assert got == (True, True)
    assert open(path).read() == "<table>3</table>"
    assert out.getvalue() == "before after"


def test_a_setmetatable_stand_in_passed_to_python_is_its_module(rt):
    # cudnn.convert's way (pix2pix's cudnn_convert_custom): y = {}; torch.setmetatable(y, name),
    # fields copied in, y returned from net:replace's callback or added to a container; Python
    # receives the module y stands for, so the container holds and runs it
    got = rt.execute("""
        require 'nn'
        local function convert(x)
           if torch.type(x) ~= 'nn.Linear' then return x end
           local y = {}
           torch.setmetatable(y, 'nn.Linear')
           for k, u in pairs(x) do y[k] = u end
           y.converted = true
           return y
        end
        torch.manualSeed(4)
        local net = nn.Sequential():add(nn.Linear(3, 2)):add(nn.Tanh())
        local x = torch.randn(3)
        local before = net:forward(x):clone()
        net = net:replace(convert)
        local params = net:getParameters()
        local held = nn.Sequential():add(convert(nn.Linear(2, 2)))
        return torch.type(net.modules[1]), net.modules[1].converted, params:nElement(),
               (net:forward(x) - before):abs():max(), torch.type(held.modules[1]),
               held.modules[1].converted""")
    assert got == ("nn.Linear", True, 8, 0, "nn.Linear", True)



def test_a_closed_stdout_ends_the_script_as_sigpipe():
    # `pytorch-lite run x.lua | head`: once the reader is gone the script stops with th's exit
    # status under SIGPIPE (128 + 13), not with a Lua traceback
    from lua_compat import LuaExit

    class Closing(io.StringIO):
        def write(self, s):
            if self.tell() > 20:
                raise BrokenPipeError(32, "Broken pipe")
            return super().write(s)

    out = Closing()
    with pytest.raises(LuaExit) as e:
        Runtime(stdout=out).execute("for i = 1, 1000 do print(i) end")
    assert e.value.code == 141 and out.getvalue().startswith("1\t\n2\t\n")


def test_a_container_output_is_the_table_its_lua_module_returned(rt):
    # Torch7: seq.output is the last module's output, the same table (totem's checks compare them)
    got = rt.execute("""
        require 'nn'
        local M = torch.class('nn.SemTabOut', 'nn.Module')
        function M:updateOutput(x) self.output = {a = x, b = x * 2} return self.output end
        local L = torch.class('nn.SemListOut', 'nn.Module')
        function L:updateOutput(x) self.output = {x, x * 2} return self.output end
        local r = {}
        for _, cls in ipairs{nn.SemTabOut, nn.SemListOut} do
           local m = cls()
           local seq = nn.Sequential():add(nn.Identity()):add(m)
           local y = seq:forward(torch.ones(2))
           r[#r + 1] = rawequal(y, seq.output) and rawequal(seq.output, m.output)
        end
        return unpack(r)""")
    assert got == (True, True)


def test_methods_rawset_into_a_type_class_reach_its_tensors(rt):
    # torchx.extend puts its methods into torch.getmetatable('torch.<T>Tensor') with rawset
    got = rt.execute("""
        local mt = torch.getmetatable('torch.DoubleTensor')
        rawset(mt, 'twice', function(self) return self * 2 end)
        rawset(torch.getmetatable('torch.FloatStorage'), 'first', function(self) return self[1] end)
        local ok = pcall(function() return torch.FloatTensor(2):twice() end)
        return torch.ones(3):twice():sum(), torch.FloatStorage({7, 8}):first(), ok""")
    assert got == (6, 7, False)


def test_lua_class_utilities_isequal_factory_and_ids(rt):
    got = rt.execute("""
        require 'nn'
        torch.class('UtilA')
        local a, b, t = UtilA(), UtilA(), torch.Tensor(2)
        local empty = torch.factory('UtilA')()
        return torch.isequal(a, a), torch.isequal(a, b), torch.isequal(1, 1), torch.isequal(t, t),
               torch.type(empty), rawequal(empty, a), torch.type(torch.factory('nn.Linear')()),
               torch.type(torch.factory('torch.FloatTensor')()), torch.factory('NoSuchClass'),
               torch.id(a) == torch.typename2id('UtilA'), torch.id(t) == torch.id(a), torch.id(7)""")
    assert got == (True, False, False, True, "UtilA", False, "nn.Linear", "torch.FloatTensor", None,
                   True, False, None)


def test_integer_tensors_lack_the_methods_torch7_declares_only_for_other_types(rt):
    # TensorMath.lua: mean/norm/exp/uniform/... only for Float and Double, abs also for Int and
    # Long, all/any for Byte: other types have no such method (x.norm is nil; scripts test it)
    got = rt.execute("""
        local l = torch.LongTensor{3, -4}
        local view = l:narrow(1, 1, 1)
        function torch.LongTensor:twice() return self * 2 end   -- a script's own method still works
        local ok, err = pcall(function() return l:norm() end)
        local okf, errf = pcall(torch.norm, l)
        return l.norm == nil, l.mean == nil, l.exp == nil, l.uniform == nil, view.sqrt == nil,
               l:abs():sum(), torch.ShortTensor(1).abs == nil, torch.IntTensor(1).abs ~= nil,
               torch.ByteTensor(1).all ~= nil, torch.DoubleTensor(1).all == nil,
               torch.DoubleTensor{3, 4}:norm(), l:twice():sum(), ok, tostring(err):match("method 'norm'") ~= nil,
               okf, tostring(errf):match('torch.LongTensor does not implement the torch.norm%(%) function') ~= nil""")
    # (l:abs() works in place, as TH's: l is {3, 4} afterwards)
    assert got == (True, True, True, True, True, 7, True, True, True, True, 5, 14, False, True, False, True)


def test_hand_written_c_methods_ignore_extra_arguments(rt):
    # Torch7's generic/Tensor.c methods read what they need (nnx's tests call x:select(2, 1, 1));
    # cwrap's methods still refuse calls matching none of their forms
    got = rt.execute("""
        local x = torch.range(1, 12):view(3, 4)
        local ok = pcall(function() return x:add(1, 2, 3, 4) end)
        return x:select(2, 1, 1):sum(), x:narrow(1, 2, 2, 9):sum(), x:size(2, 1), x:stride(1, 7),
               x:transpose(1, 2, 3):size(1), x:t(5):size(1), x:dim(3), x:nElement(1),
               x:unfold(2, 2, 2, 0):size(3), torch.Tensor(3):copy(torch.ones(3), true):sum(), ok""")
    assert got == (15, 68, 4, 4, 4, 4, 2, 12, 2, 3, False)
