"""torch.Tester and torch.TestSuite from Lua (torch7 doc/tester.md): the report format, what each
assert returns and counts, failures making run() raise, name selection, disable, early abort,
rethrown errors, summary-only output, the warnings, TestSuite's duplicate check;
torch.setheaptracking, torch.tic/toc."""
import io
import re

import pytest

from lua_compat import Runtime, LuaScriptError


@pytest.fixture
def rt():
    return Runtime(stdout=io.StringIO())


def run(rt, code):
    """Run code; returns (its results, what it printed)."""
    out = rt._stdout
    out.seek(0)
    out.truncate()
    r = rt.execute(code)
    return r, out.getvalue()


SUITE = """
local t = torch.Tester()
local s = torch.TestSuite()
function s.bTest() t:assert(true, 'fine') t:eq({1, {2}}, {1, {2}}, 'deep') end
function s.aTest() t:assertTensorEq(torch.Tensor{1, 2}, torch.Tensor{1, 3}, 1e-9, 'tensors differ') end
function s.cTest() error('boom') end
t:add(s)
local ok, err = pcall(t.run, t)
return ok, tostring(err), t.countasserts
"""


def test_report_format_and_failure(rt):
    (ok, err, count), out = run(rt, SUITE)
    assert ok is False and err.endswith("An error was found while running tests!")
    assert count == 3
    lines = out.splitlines()
    assert lines[0] == "Running 3 tests"
    # one line per test, in name order, 80 columns, padded with dots
    for i, (name, status) in enumerate([("aTest", "FAIL"), ("bTest", "PASS"), ("cTest", "ERROR")]):
        line = lines[1 + i]
        assert len(line) == 80
        assert re.fullmatch(r"%d/3 %s \.+ \[%s\]" % (i + 1, name, status), line), line
    assert lines[4] == "Completed 3 asserts in 3 tests with 1 failure and 1 error"
    assert lines[5] == "-" * 80 and lines[6] == "aTest" and lines[7] == "tensors differ"
    assert lines[8] == "TensorEQ(==) violation: max diff=1, tolerance=1e-09"
    assert "cTest" in lines and "Function call failed" in out and "boom" in out
    # the traceback shows the test's own frames (the failing assert's line), not the Tester's
    assert lines[9] == "stack traceback:" and lines[10].startswith("\t(string):5: in function")
    assert "Tester.lua" not in out.split("An error was found")[0]


def test_assert_results_and_counts(rt):
    code = """
    local t = torch.Tester()
    local r = {
      t:assert(true), t:assert(false, 'm'),
      t:asserteq(1, 1), t:assertne(1, 1), t:assertlt(1, 2), t:assertgt(1, 2), t:assertle(2, 2), t:assertge(1, 2),
      t:assertalmosteq(1, 1 + 1e-17), t:assertalmosteq(1, 1.5, 0.1), t:assertalmosteq(1, 1.5, 'msg', 0.6),
      t:eq(torch.Tensor{1}, torch.Tensor{1 + 1e-10}), t:eq(torch.Tensor{1}, torch.Tensor{1 + 1e-10}, 1e-9),
      t:eq(torch.FloatStorage{1}, torch.LongStorage{1}), t:ne('a', 'b'), t:eq({a = {1, 2}}, {a = {1, 2}}),
      t:assertTableEq({1, 2}, {1, 2, 3}), t:assertTableNe({1, 2}, {1, 2, 3}),
      t:assertTensorEq(torch.ones(2), torch.ones(1, 2)),    -- only the elements count by default
      t:assertTensorNe(torch.FloatTensor(), torch.LongTensor()),
      t:assertError(function() error('x') end), t:assertNoError(function() error('x') end),
      t:assertErrorPattern(function() error('some text') end, 'me te'),
      t:assertErrorMsg(function() error('exact', 0) end, 'exact'),
      t:assertErrorObj(function() error({code = 3}) end, function(e) return e.code == 3 end),
    }
    local n = t.countasserts
    t._assertTensorEqIgnoresDims = false
    local strict = t:assertTensorEq(torch.ones(2), torch.ones(1, 2))
    return r, n, strict
    """
    (r, n, strict), _ = run(rt, code)
    got = [r[i] for i in range(1, len(r) + 1)]
    assert got == [True, False, True, False, True, False, True, False,
                   True, False, True,
                   False, True,
                   False, True, True,
                   False, True,
                   True,
                   True,
                   True, False,
                   True,
                   True,
                   True]
    assert n == 25 and strict is False


def test_assert_argument_errors(rt):
    code = """
    local t = torch.Tester()
    local a = select(2, pcall(t.assertTensorEq, t, torch.Tensor{1}, 2))
    local b = select(2, pcall(t.assert, t, true, 'm', 'extra'))
    return a, b
    """
    (a, b), _ = run(rt, code)
    assert "Second argument should be a Tensor" in a
    assert "Unexpected arguments" in b


def test_selection_disable_abort_rethrow_summary(rt):
    code = """
    local calls = {}
    local function suite(t)
      local s = torch.TestSuite()
      function s.one() calls[#calls + 1] = 'one' t:assert(false) end
      function s.two() calls[#calls + 1] = 'two' end
      function s.three() calls[#calls + 1] = 'three' t:assert(false) end
      return s
    end
    local t = torch.Tester() t:add(suite(t)) t:run('two')
    local t2 = torch.Tester() t2:add(suite(t2)) t2:run({'t.o$'})     -- patterns: 'two'
    local t3 = torch.Tester() t3:add(suite(t3)):disable('one')
    pcall(t3.run, t3)
    local t4 = torch.Tester() t4:add(suite(t4)):setEarlyAbort(true)
    pcall(t4.run, t4)
    local t5 = torch.Tester() t5:setRethrowErrors(true) t5:add(function() error('thrown') end, 'e')
    local ok, err = pcall(t5.run, t5)
    return table.concat(calls, ','), ok, err
    """
    (calls, ok, err), out = run(rt, code)
    assert calls == "two,two,three,two,one"
    assert ok is False and "thrown" in err
    assert "[SKIP]" in out and "and 1 disabled" in out
    code = """
    local t = torch.Tester():setSummaryOnly(true)
    t:add(function() t:assert(false, 'hidden message') end, 'f')
    pcall(t.run, t)
    """
    _, out = run(rt, code)
    assert "[FAIL]" in out and "hidden message" not in out


def test_warnings_and_suite_rules(rt):
    code = """
    local t = torch.Tester()
    t:add({plain = function() t:assert({}) t:assertne({}, {}) end})
    local dup = select(2, pcall(function() local s = torch.TestSuite() function s.x() end function s.x() end end))
    local nested = select(2, pcall(t.add, t, {{function() end}}))
    t:add(function() end, '_setUp')
    local second = select(2, pcall(t.add, t, function() end, '_setUp'))
    pcall(t.run, t)
    return dup, nested, second, torch.type(torch.TestSuite())
    """
    (dup, nested, second, tp), out = run(rt, code)
    assert "Test x is already defined." in dup
    assert "Nested sets" in nested and "Only one" in second
    assert tp == "torch.TestSuite"
    assert "use TestSuite rather than plain lua table" in out
    assert ":assert should only be used for boolean conditions" in out
    assert "assertne should only be used to compare basic lua objects" in out


def test_setup_teardown_get_the_test_name(rt):
    code = """
    local seen = {}
    local t = torch.Tester()
    local s = torch.TestSuite()
    function s._setUp(name) seen[#seen + 1] = 'up:' .. name end
    function s._tearDown(name) seen[#seen + 1] = 'down:' .. name end
    function s.alpha() end
    t:add(s):run()
    return table.concat(seen, ' ')
    """
    seen, _ = run(rt, code)
    assert seen == "up:alpha down:alpha"


def test_heaptracking_and_tic_toc(rt):
    (a, b, dt), _ = run(rt, """
    torch.setheaptracking(true) local a = torch._heaptracking
    torch.setheaptracking(false) local b = torch._heaptracking
    local t0 = torch.tic() local x = 0 for i = 1, 1e5 do x = x + i end
    return a, b, torch.toc(t0)
    """)
    assert a is True and b is False and 0 <= dt < 60
