"""require 'argcheck' (lua_compat/lua/argcheck/): torch/argcheck's API as its README documents it.
The expected values are the README's worked examples (defaults, defaulta, defaultf, opt, check,
named and method calls, pack, quiet, call, overload, force) and Torch7's type rule
(torch.isTypeOf: a Lua pattern over the class and its parents)."""
import io
import re

import pytest

from lua_compat.runtime import Runtime, LuaScriptError


@pytest.fixture(scope="module")
def rt():
    return Runtime(stdout=io.StringIO())


def test_defaults_ordered_and_named(rt):
    got = rt.execute("""local argcheck = require 'argcheck'
        local check = argcheck{
           {name='x', type='number', default=0, help='the age of the captain'},
           {name='msg', type='string', help='a message'}}
        local function f(...) local x, msg = check(...) return ('%g|%s'):format(x, msg) end
        return f(4, 'hello'), f('hello'), f{x=1, msg='a'}, f{msg='b'}""")
    assert got == ("4|hello", "0|hello", "1|a", "0|b")


def test_defaulta_defaultf_and_opt(rt):
    got = rt.execute("""local argcheck = require 'argcheck'
        local mul = argcheck{{name='x', type='number'}, {name='y', type='number', defaulta='x'},
                             call = function(x, y) return x * y end}
        local idx = 0
        local nxt = argcheck{{name='x', type='number'},
                             {name='y', type='number', defaultf=function() idx = idx + 1 return idx end},
                             call = function(x, y) return x * y end}
        local opt = argcheck{{name='x', type='number', default=0},
                             {name='msg', type='string', opt=true},
                             call = function(x, msg) return tostring(x) .. ':' .. tostring(msg) end}
        return mul(3, 4), mul(3), mul{x=5}, nxt(3), nxt(3), nxt(3, 10), nxt(3), opt(), opt('m'), opt(2, nil)""")
    assert got == (12, 9, 25, 3, 6, 30, 9, "0:nil", "0:m", "2:nil")


def test_explicit_nil_takes_the_default(rt):
    got = rt.execute("""local argcheck = require 'argcheck'
        local f = argcheck{{name='x', type='number', default=5}, {name='msg', type='string', default='w'},
                           call = function(x, msg) return x .. msg end}
        return f(), f('p'), f(nil, 'p'), f(6, nil), f(6)""")
    assert got == ("5w", "5p", "5p", "6w", "6w")


def test_wrong_arguments_raise_at_the_caller_with_the_usage(rt):
    msg = rt.execute("""local argcheck = require 'argcheck'
        local check = argcheck{
           help = 'Adds five.',
           {name='x', type='number', default=0, help='the age of the captain'},
           {name='msg', type='string', help='a message'}}
        local function addfive(...)
           local x, msg = check(...)
           return x + 5
        end
        local ok, err = pcall(addfive, 4)
        assert(not ok)
        return err""")
    assert msg.startswith("(string):7: Adds five.")      # the line calling the checker
    assert re.search(r"\[x\s+= number\]\s+-- the age of the captain \[default=0\]", msg)
    assert re.search(r" msg = string\s+-- a message", msg)
    assert "Got: number" in msg and msg.rstrip().endswith("invalid arguments!")


def test_type_errors_name_what_was_passed(rt):
    got = rt.execute("""local argcheck = require 'argcheck'
        local f = argcheck{{name='n', type='number'}, call = function(n) return n end}
        local _, e1 = pcall(f, 'a')
        local _, e2 = pcall(f)
        local _, e3 = pcall(f, {n = 'x', extra = 1})
        local _, e4 = pcall(f, 1, 2)
        return e1, e2, e3, e4, f{n = 7}""")
    assert "Got: string" in got[0] and "Got: no arguments" in got[1]
    assert "Got: table={ extra=number, n=string }" in got[2]
    assert "Got: number, number" in got[3]
    assert got[4] == 7


def test_check_function_refines_the_match(rt):
    got = rt.execute("""local argcheck = require 'argcheck'
        local f = argcheck{{name='x', type='number', check=function(x) return x >= 1 and x <= 10 end},
                           call = function(x) return x + 5 end}
        return f(3), (pcall(f, 11)), f{x=10}, (pcall(f, {x=0}))""")
    assert got == (8, False, 15, False)


def test_named_call_rejects_unknown_fields(rt):
    got = rt.execute("""local argcheck = require 'argcheck'
        local f = argcheck{{name='x', type='number', default=1}, call = function(x) return x end}
        return f{}, f{x=2}, (pcall(f, {y=3})), (pcall(f, {x=2, y=3}))""")
    assert got == (1, 2, False, False)


def test_an_ordered_table_argument_wins_over_a_named_call(rt):
    got = rt.execute("""local argcheck = require 'argcheck'
        local f = argcheck{{name='t', type='table', opt=true}, call = function(t) return t end}
        local a, b = {t = 1}, {}
        return f(a) == a, f(b) == b, f() == nil""")
    assert got == (True, True, True)


def test_pack(rt):
    got = rt.execute("""local argcheck = require 'argcheck'
        local check = argcheck{pack=true,
           {name='x', type='number', default=0}, {name='msg', type='string'}, {name='o', type='table', opt=true}}
        local a, b = check(5, 'hello'), check{msg='m'}
        local n = 0 for _ in pairs(a) do n = n + 1 end
        return a.x, a.msg, a.o, n, b.x, b.msg""")
    assert got == (5, "hello", None, 2, 0, "m")


def test_nonamed_and_noordered(rt):
    got = rt.execute("""local argcheck = require 'argcheck'
        local ord = argcheck{nonamed=true, {name='x', type='number', default=0}, {name='msg', type='string'},
                             call = function(x, msg) return x .. msg end}
        local nam = argcheck{noordered=true, {name='x', type='number', default=0},
                             call = function(x) return x end}
        return ord('blah'), (pcall(ord, {msg='blah'})), nam{x=3}, nam{}, (pcall(nam, 3)),
               (pcall(argcheck, {nonamed=true, noordered=true, {name='x'}}))""")
    assert got == ("0blah", False, 3, 0, False, False)


def test_quiet(rt):
    got = rt.execute("""local argcheck = require 'argcheck'
        local check = argcheck{quiet=true, {name='x', type='number', default=0}, {name='msg', type='string'}}
        local ok1, x, msg = check(5, 'hello world')
        local ok2, usage = check(5)
        return ok1, x, msg, ok2, usage""")
    assert got[:4] == (True, 5, "hello world", False)
    assert "msg = string" in got[4] and "Got: number" in got[4]


def test_overload_dispatches_on_types(rt):
    got = rt.execute("""local argcheck = require 'argcheck'
        local addfive = argcheck{{name='x', type='number'}, call = function(x) return x + 5 end}
        local first = addfive
        addfive = argcheck{{name='str', type='string'}, overload = addfive,
                           call = function(str) return str .. '5' end}
        local ok, err = pcall(addfive)
        return addfive(5), addfive('hi'), addfive{str='s'}, ok, err, (pcall(first, 'hi'))""")
    assert got[:4] == (10, "hi5", "s5", False)
    assert "x = number" in got[4] and "\n\nor\n\n" in got[4] and "str = string" in got[4]
    assert got[5] is False     # the function overloaded is left as it was


def test_ambiguous_overload_and_force(rt):
    got = rt.execute("""local argcheck = require 'argcheck'
        local f = argcheck{{name='x', type='number'}, call = function(x) return 'first' end}
        local ok, err = pcall(argcheck, {{name='x', type='number'},
                               {name='msg', type='string', default='i know'}, overload = f,
                               call = function(x, msg) return msg end})
        local g = argcheck{{name='x', type='number'}, {name='msg', type='string', default='i know'},
                           overload = f, force = true, call = function(x, msg) return x .. ' ' .. msg end}
        local h = argcheck{{name='t', type='table'}, call = function() return 'ordered' end}
        local ok2 = pcall(argcheck, {{name='n', type='number', opt=true}, overload = h,
                                     call = function() return 'named' end})
        return ok, err, g(5, 'hello'), g(5), ok2""")
    assert got[0] is False and "ambiguous" in got[1]
    assert got[2:] == ("5 hello", "5 i know", False)


def test_chain_is_the_old_name_of_overload(rt):
    got = rt.execute("""local argcheck = require 'argcheck'
        local f = argcheck{{name='x', type='number'}, call = function(x) return 'number' end}
        f = argcheck{{name='x', type='boolean'}, chain = f, call = function(x) return 'boolean' end}
        return f(1), f(true), (pcall(f, 's'))""")
    assert got == ("number", "boolean", False)


def test_overload_of_a_plain_function_is_refused(rt):
    with pytest.raises(LuaScriptError, match="trying to overload a non-argcheck function"):
        rt.execute("""local argcheck = require 'argcheck'
            argcheck{{name='x', type='number'}, overload = print, call = print}""")


def test_torch_types(rt):
    got = rt.execute("""local argcheck = require 'argcheck'
        local check = argcheck{{name='anyTensor', type='torch.*Tensor'}, {name='fTensor', type='torch.FloatTensor'}}
        local ok1 = pcall(check, torch.IntTensor(), torch.FloatTensor())
        local ok2 = pcall(check, torch.FloatTensor(), torch.FloatTensor())
        local ok3 = pcall(check, torch.FloatTensor(), torch.IntTensor())
        local ok4 = pcall(check, {}, torch.FloatTensor())
        require 'nn'
        local m = argcheck{{name='m', type='nn.Module'}, call = function(m) return torch.type(m) end}
        local t = argcheck{{name='t', type='table'}, call = function() return 'table' end}
        return ok1, ok2, ok3, ok4, m(nn.Linear(2, 2)), m(nn.Sequential()), (pcall(m, {})),
               (pcall(t, nn.Linear(2, 2))), t({})""")
    assert got == (True, True, False, False, "nn.Linear", "nn.Sequential", False, False, "table")


def test_env_matches_torch7s_rule(rt):
    got = rt.execute("""local env = require 'argcheck.env'
        local t = torch.LongTensor()
        return env.type('s'), env.type(t), env.istype(t, 'torch.LongTensor'), env.istype(t, 'torch.*Tensor'),
               env.istype(t, '.*Long'), env.istype(t, 'torch.IntTensor'), env.istype(t, 'torch.Long'),
               env.istype(t, 'torch.Tensor'), env.istype(3, 'number'), env.istype(nil, 'number')""")
    assert got == ("string", "torch.LongTensor", True, True, True, False, False, False, True, False)


def test_method_calls_with_self(rt):
    got = rt.execute("""local argcheck = require 'argcheck'
        local Foo = torch.class('ArgcheckFoo')
        function Foo:__init() self.checksum = 1234567 end
        Foo.addfive = argcheck{
           {name='self', type='ArgcheckFoo'},
           {name='x', type='number', default=5},
           {name='msg', type='string', default='wassup'},
           call = function(self, x, msg) return ('%g|%s|%d'):format(x + 5, msg, self.checksum) end}
        local o = Foo()
        return o:addfive(), o:addfive('paf'), o:addfive(nil, 'paf'), o:addfive(6), o:addfive{},
               o:addfive{msg='paf'}, o:addfive{x=6, msg='paf'}, (pcall(Foo.addfive, {}, 1))""")
    assert got == ("10|wassup|1234567", "10|paf|1234567", "10|paf|1234567", "11|wassup|1234567",
                   "10|wassup|1234567", "10|paf|1234567", "11|paf|1234567", False)


def test_pack_of_a_method(rt):
    got = rt.execute("""local argcheck = require 'argcheck'
        local Bar = torch.class('ArgcheckBar')
        Bar.f = argcheck{pack=true, {name='self', type='ArgcheckBar'}, {name='x', type='number'},
                         call = function(a, b) return a, b end}
        local o = Bar()
        local p = o:f(3)             -- ordered: one table, self in it
        local s, q = o:f{x=4}        -- named method call: self, then the others
        return p.self == o, p.x, s == o, q.x, q.self""")
    assert got == (True, 3, True, 4, None)


def test_istype_is_taken_when_the_checker_is_made(rt):
    got = rt.execute("""local argcheck = require 'argcheck'
        local env = require 'argcheck.env'
        local before = argcheck{{name='x', type='even'}, call = function(x) return x end}
        local saved = env.istype
        env.istype = function(v, t)
           if t == 'even' then return type(v) == 'number' and v % 2 == 0 end
           return saved(v, t)
        end
        local after = argcheck{{name='x', type='even'}, call = function(x) return x end}
        env.istype = saved
        return (pcall(before, 4)), after(4), (pcall(after, 3))""")
    assert got == (False, 4, False)


def test_doc_records_usages(rt):
    got = rt.execute("""local argcheck = require 'argcheck'
        local doc = require 'argcheck.doc'
        doc[[ignored]]
        doc.record()
        doc[[# Title
]]
        argcheck{doc = [[
#### f(@ARGP)
@ARGT
]], {name='self', type='table'}, {name='path', type='string', opt=true, help='where'}}
        argcheck{{name='x', type='number'}}   -- no doc: nothing recorded
        return doc.stop(), doc.stop()""")
    assert got[0] == ("# Title\n#### f(self[, path])\n```\n({\n   self = table    -- \n"
                      "  [path = string]  -- where\n})\n```\n")
    assert got[1] == ""


def test_debug_returns_a_dot_graph(rt):
    got = rt.execute("""local argcheck = require 'argcheck'
        local f, dot = argcheck{debug=true, {name='x', type='number', default=0}, {name='msg', type='string'}}
        local x, msg = f('m')
        return x, msg, dot""")
    assert got[:2] == (0, "m")
    assert got[2].startswith("digraph") and "string (msg)" in got[2]


def test_bad_rules_are_refused(rt):
    for rules, why in [("{{type='number'}}", "must have a name"),
                       ("{{name='x', type=3}}", "type must be a string"),
                       ("{{name='self', type='table', opt=true}}", "self cannot be optional"),
                       ("{{name='x', defaulta='nope'}}", "invalid defaulta name <nope>"),
                       ("{help='a', doc='b', {name='x'}}", "choose between doc or help")]:
        with pytest.raises(LuaScriptError, match=re.escape(why)):
            rt.execute("require('argcheck')(%s)" % rules)


def test_untyped_rule_takes_any_value_but_nil(rt):
    got = rt.execute("""local argcheck = require 'argcheck'
        local f = argcheck{{name='v'}, call = function(v) return type(v) end}
        return f(1), f('s'), f({}), (pcall(f)), (pcall(f, nil))""")
    assert got == ("number", "string", "table", False, False)


def test_dcgan_dataset_rules(rt):
    """soumith/dcgan.torch's data/dataset.lua: pack, a check on a table, five optional arguments."""
    got = rt.execute("""local argcheck = require 'argcheck'
        local initcheck = argcheck{pack=true, help=[[A dataset class.]],
           {check=function(paths) for _, v in ipairs(paths) do if type(v) ~= 'string' then return false end end
                                  return true end, name='paths', type='table'},
           {name='sampleSize', type='table'}, {name='split', type='number'},
           {name='samplingMode', type='string', default='balanced'},
           {name='verbose', type='boolean', default=false},
           {name='loadSize', type='table', opt=true}, {name='forceClasses', type='table', opt=true},
           {name='sampleHookTrain', type='function', opt=true}, {name='sampleHookTest', type='function', opt=true}}
        local a = initcheck{paths={'/d'}, sampleSize={3, 64, 64}, split=100, verbose=true}
        local b = initcheck({'/d'}, {3, 8, 8}, 90, 'random', false, {3, 9, 9})
        local ok = pcall(initcheck, {paths={1}, sampleSize={3}, split=1})
        return a.paths[1], a.sampleSize[2], a.split, a.samplingMode, a.verbose, a.loadSize,
               b.samplingMode, b.loadSize[3], b.verbose, ok""")
    assert got == ("/d", 64, 100, "balanced", True, None, "random", 9, False, False)
