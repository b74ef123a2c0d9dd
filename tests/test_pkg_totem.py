"""require 'totem' (deepmind's torch-totem, lua/totem/): totem.Tester on torch.Tester (eq/ne's ret,
storage asserts, counts, _setUp/_tearDown, nested test files), the command line of a test script
(--list, --summary, --early-abort, --rethrow, --log-output, test-name patterns, bad options) and
its exit status, the totem.are*/assert* checks, totem.TestSuite, and totem.nn's checks run on
modules whose gradients are right and on ones whose gradients are wrong by a known amount."""
import io
import re

import pytest

from lua_compat import Runtime, LuaScriptError
from pytorch_lite import cli


@pytest.fixture
def rt():
    return Runtime(stdout=io.StringIO())


def run(rt, code, *args):
    """Run code; returns (its results, what it printed)."""
    out = rt._stdout
    out.seek(0)
    out.truncate()
    r = rt.execute(code, *args)
    return r, out.getvalue()


def run_script(tmp_path, text, *argv, name="test_x.lua"):
    """Run a script as `pytorch-lite run` does: (exit status, stdout, stderr)."""
    path = tmp_path / name
    path.write_text(text)
    out, err = io.StringIO(), io.StringIO()
    import sys
    old = sys.stderr
    sys.stderr = err
    try:
        code = cli.main(["run", str(path)] + list(argv), out=out)
    finally:
        sys.stderr = old
    return code, out.getvalue(), err.getvalue()


SUMMARY = re.compile(r"Completed (\d+) asserts? in (\d+) tests? with (\d+) failures? and (\d+) errors?")


def summaries(text):
    return [tuple(int(g) for g in m.groups()) for m in SUMMARY.finditer(text)]


# --------------------------------------------------------------------------------------------
# the Tester
# --------------------------------------------------------------------------------------------
def test_assert_outcomes_and_messages(rt):
    (got, msgs, n), _ = run(rt, """require 'totem'
    local t = totem.Tester()
    -- outcomes only: _success/_failure replaced, as totem's own tests do
    t._success = function() return true, '' end
    t._failure = function(_, m) return false, m end
    local r, m = {}, {}
    local function keep(ok, msg) r[#r + 1] = ok m[#m + 1] = msg or '' end
    keep(t:asserteq(3, 3, 'm'))
    keep(t:asserteq(3, 4, 'm'))
    keep(t:assertTensorEq(torch.ones(2), torch.ones(1, 2), 1e-9, 'm'))   -- totem compares shapes
    keep(t:assertTensorNe(torch.ones(2), torch.ones(1, 2), 1e-9, 'm'))
    keep(t:assertTensorEq(torch.ones(3), torch.ones(3):add(1e-5), 1e-4, 'm'))
    keep(t:assertTensorEq(torch.ones(3), torch.ones(3):add(1e-5), 1e-6, 'm'))
    keep(t:assertStorageEq(torch.DoubleStorage{1, 2}, torch.DoubleStorage{1, 2}, 0, 'm'))
    keep(t:assertStorageEq(torch.DoubleStorage{1, 2}, torch.IntStorage{1, 2}, 0, 'm'))
    keep(t:assertStorageNe(torch.DoubleStorage{1, 2}, torch.DoubleStorage{1, 3}, 0.5, 'm'))
    keep(t:assertStorageNe(torch.DoubleStorage{1, 2}, torch.DoubleStorage{1, 3}, 1, 'm'))
    keep(t:eq({1, {x = 'a'}}, {1, {x = 'a'}}, 'm', 0))
    keep(t:eq({1, {x = 'a'}}, {1, {x = 'b'}}, 'm', 0))
    keep(t:ne(3, '3', 'm'))
    keep(t:eq(1.0, 1.05, 'm', 0.1))
    keep(t:assertTableEq({1, 2}, {1, 2, 3}, 'm'))
    keep(t:assertError(function() error('x') end, 'm'))
    keep(t:assertErrorPattern(function() error('some text') end, 'me te', 'm'))
    keep(t:assertNoError(function() error('boom') end, 'm'))
    return r, m, t.countasserts""")
    outcomes = [got[i] for i in range(1, len(got) + 1)]
    assert outcomes == [True, False, False, True, True, False, True, False, True, False,
                        True, False, True, True, False, True, True, False]
    assert n == 18
    assert "m\nEQ(==) violation: val=3, condition=4" == msgs[2]
    assert "max diff=" in msgs[6] and "tolerance=1e-06" in msgs[6]
    assert "different storage types" in msgs[8]
    assert "boom" in msgs[18]


def test_eq_with_ret_returns_the_outcome_without_counting(rt):
    (a, b, c, n, nerr), _ = run(rt, """require 'totem'
    local t = totem.Tester()
    local a = t:eq({1}, {1}, '', 0, true)
    local b = t:eq({1}, {2}, '', 0, true)
    local c = t:ne(torch.ones(2), torch.zeros(2), '', 0, true)
    return a, b, c, t.countasserts, #t.errors""")
    assert (a, b, c, n, nerr) == (True, False, True, 0, 0)


SUITE = """require 'totem'
local tests = totem.TestSuite()
local tester = totem.Tester()
local seen = {}
function tests.passes() tester:asserteq(1, 1, 'one') tester:assertgt(2, 1, 'two') end
function tests.fails() tester:asserteq(1, 2, 'not equal') tester:assert(true, 'fine') end
function tests.raises() tester:assert(true) error('raised on purpose') end
function tests.tensors() tester:assertTensorEq(torch.ones(2), torch.ones(2) * 2, 1e-8, 'differ') end
function tests._setUp(name) seen[#seen + 1] = 'up ' .. name end
function tests._tearDown(name) seen[#seen + 1] = 'down ' .. name end
local ok, err = pcall(function() return tester:add(tests):run() end)
return ok, err, table.concat(seen, ','), tester.countasserts
"""


def test_run_report_counts_and_failure(rt):
    (ok, err, seen, n), out = run(rt, SUITE)
    assert ok is False and err.endswith("An error was found while running tests!")
    # 2 + 2 + 1 + 1 asserts; fails and tensors failed, raises errored
    assert summaries(out) == [(6, 4, 2, 1)]
    status = re.findall(r"^\d+/4 (\w+) \.+ \[(\w+)\]$", out, re.M)
    assert status == [("fails", "FAIL"), ("passes", "PASS"), ("raises", "ERROR"), ("tensors", "FAIL")]
    assert "not equal\nEQ(==) violation: val=1, condition=2" in out
    assert "raised on purpose" in out and "TensorEQ(==) violation: max diff=1" in out
    # _setUp / _tearDown around every test (also one that raised an error), not tests themselves
    assert seen == "up fails,down fails,up passes,down passes,up raises,down raises,up tensors,down tensors"
    assert "_setUp" not in out


def test_suite_refuses_duplicate_names(rt):
    (ok, err), _ = run(rt, """require 'totem'
    return pcall(function()
      local s = totem.TestSuite()
      function s.same() end
      function s.same() end
    end)""")
    assert ok is False
    assert "Test same is already defined." in err


def test_are_checks(rt):
    r, _ = run(rt, """require 'totem'
    local r = {}
    local function keep(...) r[#r + 1] = {...} end
    keep(totem.areTensorsEq(torch.ones(2, 2), torch.ones(2, 2)))
    keep(totem.areTensorsEq(torch.ones(4), torch.ones(2, 2)))
    keep(totem.areTensorsEq(torch.ones(2), torch.ones(2):float()))
    keep(totem.areTensorsEq(torch.ones(2), torch.ones(3)))
    keep(totem.areTensorsEq(torch.Tensor(), torch.Tensor()))
    keep(totem.areTensorsEq(torch.Tensor{1, 2}, torch.Tensor{1, 2.5}, 0.4))
    keep(totem.areTensorsNe(torch.Tensor{1, 2}, torch.Tensor{1, 2.5}, 0.4))
    keep(totem.areTensorsEq(torch.ByteTensor{1, 5}, torch.ByteTensor{3, 5}))
    keep(totem.areStoragesEq(torch.FloatStorage{1, 2}, torch.FloatStorage{1, 2}))
    keep(totem.areStoragesEq(torch.FloatStorage{1, 2}, torch.FloatStorage{1}))
    keep(totem.areTablesEq({a = 1, b = {2}}, {a = 1, b = {2}}))
    keep(totem.areTablesEq({a = 1}, {a = 1, b = 2}))
    keep(totem.areEq(1, 1.25, 0.3))
    keep(totem.areEq('x', 'y'))
    keep(pcall(totem.assertTensorEq, torch.ones(2), torch.zeros(2)))
    keep(pcall(totem.assertTensorNe, torch.ones(2), torch.zeros(2)))
    keep(pcall(totem.areTensorsEq, torch.ones(1), torch.ones(1), 'nan'))
    keep(pcall(totem.areTensorsEq, nil, torch.ones(1)))
    return r""")
    got = [(e[1],) + ((e[2],) if 2 in e else ()) for e in (r[i] for i in range(1, len(r) + 1))]
    assert got[0] == (True,)
    assert got[1] == (False, "The tensors have different dimensions")
    assert got[2] == (False, "The tensors have different types")
    assert got[3] == (False, "The tensors have different sizes")
    assert got[4] == (True, "Both tensors are empty")
    assert got[5] == (False, "TensorEQ(==) violation: max diff=0.5, tolerance=0.4")
    assert got[6] == (True,)
    assert got[7] == (False, "TensorEQ(==) violation: max diff=2, tolerance=0")
    assert got[8] == (True,)
    assert got[9] == (False, "The storages have different sizes")
    assert got[10] == (True, "The tables are equal.")
    assert got[11] == (False, "Arguments are not of the same type (got: nil, expected: number)")
    assert got[12] == (True,)
    assert got[13] == (False, "stringEQ(==) violation: val1=x, val2=y")
    assert got[14][0] is False and "TensorEQ(==) violation: max diff=1" in got[14][1]
    assert got[15] == (True, True)   # pcall(assert(true)): true, true
    assert got[16][0] is False and "Third argument" in got[16][1]
    assert got[17][0] is False and "First argument should be a Tensor" in got[17][1]


# --------------------------------------------------------------------------------------------
# the command line and the exit status
# --------------------------------------------------------------------------------------------
SCRIPT = """require 'totem'
local test = totem.TestSuite()
local tester = totem.Tester()
function test.alpha() tester:asserteq(1, 1, 'fine') end
function test.alphabet() tester:asserteq(1, 2, 'message of alphabet') end
function test.beta() error('beta raised') end
function test.gamma() tester:assert(true, 'ok') tester:assert(true, 'ok') end
return tester:add(test):run()
"""


def test_script_exit_status_and_summary(tmp_path):
    code, out, err = run_script(tmp_path, SCRIPT)
    assert code == 1
    assert summaries(out) == [(4, 4, 1, 1)]
    assert "message of alphabet" in out and "beta raised" in out
    assert "An error was found while running tests!" in err
    code, out, _ = run_script(tmp_path, SCRIPT, "gamma")
    assert code == 0 and summaries(out) == [(2, 1, 0, 0)]


def test_test_names_are_patterns(tmp_path):
    # as Torch7's Tester: a name selects every test it matches as a Lua pattern
    code, out, _ = run_script(tmp_path, SCRIPT, "alpha")
    assert code == 1 and summaries(out) == [(2, 2, 1, 0)]
    code, out, _ = run_script(tmp_path, SCRIPT, "^alpha$", "g.mma")
    assert code == 0 and re.findall(r"\d/2 (\w+) ", out) == ["alpha", "gamma"]
    code, out, err = run_script(tmp_path, SCRIPT, "delta")
    assert code == 1 and "Couldn't find test 'delta'" in err


def test_list_summary_early_abort(tmp_path):
    code, out, _ = run_script(tmp_path, SCRIPT, "--list")
    assert code == 0 and out.split() == ["alpha", "alphabet", "beta", "gamma"]
    code, out, _ = run_script(tmp_path, SCRIPT, "--list", "bet")
    assert code == 0 and out.split() == ["alphabet", "beta"]
    code, out, _ = run_script(tmp_path, SCRIPT, "--summary")
    assert code == 1 and "[FAIL]" in out and "message of alphabet" not in out
    assert summaries(out) == [(4, 4, 1, 1)]
    code, out, _ = run_script(tmp_path, SCRIPT, "--early-abort")
    assert code == 1 and re.findall(r"\[(\w+)\]", out) == ["PASS", "FAIL"]
    assert "Aborting on first error, not all tests have been executed\n" in out
    # --no-colour and --full-tensors are accepted
    code, out, _ = run_script(tmp_path, SCRIPT, "--no-colour", "--full-tensors", "gamma")
    assert code == 0


def test_rethrow(tmp_path):
    code, out, err = run_script(tmp_path, SCRIPT, "--rethrow", "beta")
    assert code == 1 and "beta raised" in err and "Completed" not in out
    # a failed assert stops the run too, at the assert's line
    code, out, err = run_script(tmp_path, SCRIPT, "--rethrow", "alphabet")
    assert code == 1 and re.search(r"test_x\.lua:5: message of alphabet", err)


def test_log_output(tmp_path):
    log = tmp_path / "log.txt"
    code, _, _ = run_script(tmp_path, SCRIPT, "--log-output", str(log))
    assert code == 1
    assert log.read_text().splitlines() == [
        "alpha 1 0 0", "alphabet 0 1 0", "beta 0 0 1", "gamma 2 0 0", "[total] 3 1 1"]
    code, _, _ = run_script(tmp_path, SCRIPT, "--log-output=%s" % log, "gamma")
    assert code == 0 and log.read_text().splitlines() == ["gamma 2 0 0", "[total] 2 0 0"]


def test_bad_options(tmp_path):
    for argv, why in [(["--bogus"], "unrecognized parameter: bogus"),
                      (["--early_abort"], "unrecognized parameter: early_abort"),
                      (["-s"], "unrecognized parameter: s"),
                      (["--log-output"], "log-output was expecting a value")]:
        code, out, err = run_script(tmp_path, SCRIPT, *argv)
        assert code == 1 and out == ""
        assert err.startswith("test_x: " + why + "\n"), err
        assert "Usage:" in err and "--early-abort" in err
    code, out, err = run_script(tmp_path, SCRIPT, "gamma", "--help")
    assert code == 1 and out == "" and err.startswith("Run tests")
    # after --, words are test names even when they look like options (the script's own
    # arguments: the command line `pytorch-lite run` itself takes a first -- away)
    path = tmp_path / "test_x.lua"
    with pytest.raises(LuaScriptError, match="Couldn't find test '--x'"):
        Runtime(stdout=io.StringIO()).run_file(str(path), ["--", "--x"])


def test_nested_test_files(tmp_path):
    (tmp_path / "test_good.lua").write_text(
        "require 'totem'\nlocal t = totem.Tester()\n"
        "t:add(function() t:assert(true) end, 'ok')\nreturn t:run()\n")
    (tmp_path / "test_bad.lua").write_text(
        "require 'totem'\nlocal t = totem.Tester()\n"
        "t:add(function() t:assert(false, 'inner failure') end, 'no')\nreturn t:run()\n")
    outer = ("require 'totem'\nlocal t = totem.Tester()\n"
             "t:add('{0}/test_good.lua')\nt:add('{0}/test_bad.lua')\n"
             "t:add(dofile('{0}/test_good.lua'), 'by_dofile')\nreturn t:run()\n").format(tmp_path)
    code, out, _ = run_script(tmp_path, outer, name="outer.lua")
    assert code == 1
    # the two files' own runs (good twice), then the outer one: 3 tests, the bad file failed
    assert summaries(out) == [(1, 1, 0, 0), (1, 1, 1, 0), (1, 1, 0, 0), (3, 3, 1, 0)]
    assert "inner failure" in out and "the nested tests did not all pass" in out
    assert re.search(r"/test_bad\.lua \.+ \[FAIL\]", out) and re.search(r"by_dofile \.+ \[PASS\]", out)


# --------------------------------------------------------------------------------------------
# totem.nn
# --------------------------------------------------------------------------------------------
# y = scale * x, its gradient off by `offset` on every element when asked to be wrong
SCALE = """require 'nn'
local Scale, parent = torch.class('nn.TotemTestScale', 'nn.Module')
function Scale:__init(scale, offset)
   parent.__init(self)
   self.scale, self.offset = scale, offset or 0
end
function Scale:updateOutput(input)
   self.output:resizeAs(input):copy(input):mul(self.scale)
   return self.output
end
function Scale:updateGradInput(input, gradOutput)
   self.gradInput:resizeAs(gradOutput):copy(gradOutput):mul(self.scale):add(self.offset)
   return self.gradInput
end
-- y = w .* x with a parameter w; overwrite: gradWeight set instead of accumulated
local Mul, mparent = torch.class('nn.TotemTestMul', 'nn.Module')
function Mul:__init(n, overwrite)
   mparent.__init(self)
   self.weight = torch.randn(n)
   self.gradWeight = torch.zeros(n)
   self.overwrite = overwrite
end
function Mul:updateOutput(input)
   self.output:resizeAs(input):copy(input):cmul(self.weight)
   return self.output
end
function Mul:updateGradInput(input, gradOutput)
   self.gradInput:resizeAs(input):copy(gradOutput):cmul(self.weight)
   return self.gradInput
end
function Mul:accGradParameters(input, gradOutput, scale)
   local g = torch.cmul(input, gradOutput):mul(scale or 1)
   if self.overwrite then self.gradWeight:copy(g) else self.gradWeight:add(g) end
end
"""


def check_run(rt, body):
    """Run body (totem.nn checks on `tester`) as one test: (passed, asserts, failure text)."""
    (ok, n, text), _ = run(rt, """require 'totem'
    require 'nn'
    local tester = totem.Tester()
    local text = {}
    tester:add(function() %s end, 'check')
    local ok = pcall(function() tester:run() end)
    for _, e in ipairs(tester.errors) do text[#text + 1] = e.message end
    return ok, tester.countasserts, table.concat(text, '\\n')""" % body)
    return ok, n, text


@pytest.fixture
def nnrt(rt):
    rt.execute(SCALE)
    return rt


def test_check_gradients_accepts_right_gradients(nnrt):
    # nn.Linear(3, 2) on a 4x3 batch: 8 parameters, 12 inputs.  One backward first, then for the
    # parameters and for the input: one evaluation, two per element (central differences), one
    # comparison; every backward asserts the gradInput's size once
    ok, n, text = check_run(nnrt, "totem.nn.checkGradients(tester, nn.Linear(3, 2), torch.randn(4, 3))")
    assert ok, text
    assert n == 1 + (1 + 2 * 8 + 1) + (1 + 2 * 12 + 1)
    ok, n, text = check_run(nnrt, "totem.nn.checkGradients(tester, nn.TotemTestScale(2.5), torch.randn(5))")
    assert ok and n == 1 + (1 + 2 * 5 + 1), text
    ok, n, text = check_run(nnrt, "totem.nn.checkGradients(tester, nn.TotemTestMul(6), torch.randn(6))")
    assert ok and n == 1 + (1 + 12 + 1) + (1 + 12 + 1), text
    # a table input, through a container
    ok, n, text = check_run(nnrt, """
      local m = nn.Sequential():add(nn.CAddTable()):add(nn.Tanh())
      totem.nn.checkGradients(tester, m, {torch.randn(3), torch.randn(3)})""")
    assert ok, text


def test_check_gradients_detects_wrong_gradients(nnrt):
    # gradInput off by 5e-4 everywhere: the finite differences see it (default precision 1e-4)
    ok, n, text = check_run(nnrt, "totem.nn.checkGradients(tester, nn.TotemTestScale(2, 5e-4), torch.randn(5))")
    assert not ok
    m = re.search(r"wrong grad w.r.t. input\nGeneralEQ\(==\) violation: max diff=([0-9.e-]+), tolerance=0.0001",
                  text)
    assert m and float(m.group(1)) == pytest.approx(5e-4, rel=1e-4), text
    # within an explicit precision, or below the default one, it passes
    ok, _, text = check_run(nnrt, "totem.nn.checkGradients(tester, nn.TotemTestScale(2, 5e-4), torch.randn(5), 1e-3)")
    assert ok, text
    ok, _, text = check_run(nnrt, "totem.nn.checkGradients(tester, nn.TotemTestScale(2, 5e-5), torch.randn(5))")
    assert ok, text
    # float tensors: steps of 1e-3 and a default precision of 1e-2
    ok, _, text = check_run(nnrt, "totem.nn.checkGradients(tester, nn.TotemTestScale(2, 5e-3):float(), torch.randn(5):float())")
    assert ok, text
    ok, _, text = check_run(nnrt, "totem.nn.checkGradients(tester, nn.TotemTestScale(2, 5e-2):float(), torch.randn(5):float())")
    assert not ok and "wrong grad w.r.t. input" in text
    # gradParameters overwritten instead of accumulated: the parameters' check fails, the input's not
    ok, _, text = check_run(nnrt, "totem.nn.checkGradients(tester, nn.TotemTestMul(4, true), torch.randn(4))")
    assert not ok and "wrong grad w.r.t. params" in text and "w.r.t. input" not in text


def test_check_minibatch(nnrt):
    ok, n, text = check_run(nnrt, "totem.nn.checkMinibatch(tester, nn.Linear(3, 2), torch.randn(5, 3), 1e-12)")
    assert ok and n == 10, text
    # a module mixing the rows of a batch (it centres all its input's elements together) is not
    # the same on each row alone
    ok, _, text = check_run(nnrt, """
      local Center, parent = torch.class('nn.TotemTestCenter', 'nn.Module')
      function Center:updateOutput(x) self.output = x - x:mean() return self.output end
      function Center:updateGradInput(x, g) self.gradInput = g - g:mean() return self.gradInput end
      totem.nn.checkMinibatch(tester, nn.TotemTestCenter(), torch.randn(4, 3))""")
    assert not ok and "wrong minibatch output" in text


def test_check_type_castable_and_serializable(nnrt):
    ok, n, text = check_run(nnrt, """
      local m = nn.Sequential():add(nn.Linear(4, 3)):add(nn.Tanh()):add(nn.Linear(3, 2))
      totem.nn.checkTypeCastable(tester, m, torch.randn(2, 4))
      totem.nn.checkSerializable(tester, m, torch.randn(2, 4))
      totem.nn.checkSerializable(tester, nn.TotemTestMul(3), torch.randn(3))""")
    assert ok and n == 6 + 3 + 3, text
    # a module whose write/read forget its scale: after a round trip it computes x, not 3x
    ok, _, text = check_run(nnrt, """
      local Forget, parent = torch.class('nn.TotemTestForget', 'nn.Module')
      function Forget:__init(s) parent.__init(self) self.scale = s end
      function Forget:updateOutput(x) self.output = x * (self.scale or 1) return self.output end
      function Forget:updateGradInput(x, g) self.gradInput = g * (self.scale or 1) return self.gradInput end
      function Forget:write(f) f:writeObject(self.output) end
      function Forget:read(f) self.output = f:readObject() end
      totem.nn.checkSerializable(tester, nn.TotemTestForget(3), torch.Tensor{1, -2, 0.5})""")
    assert not ok
    assert "module output differs before and after serialization\nGeneralEQ(==) violation: max diff=4," in text
    assert "module gradInput differs before and after serialization" in text
    # a type() that leaves the weight as it was: the module still holds double tensors
    ok, _, text = check_run(nnrt, """
      local Stuck = torch.class('nn.TotemTestStuck', 'nn.Linear')
      function Stuck:type(t) self.bias = self.bias:type(t) self.gradBias = self.gradBias:type(t) return self end
      totem.nn.checkTypeCastable(tester, nn.TotemTestStuck(3, 2), torch.randn(3))""")
    assert not ok and re.search("still contains objects of original type: .*self.weight", text), text
    assert "self.bias" not in text


def test_check_type_preserves_sharing(nnrt):
    ok, n, text = check_run(nnrt, "totem.nn.checkTypePreservesSharing(tester, nn.Linear(3, 3))")
    assert ok and n == 1, text
    ok, _, text = check_run(nnrt, """
      local Breaks = torch.class('nn.TotemTestBreaks', 'nn.Linear')
      function Breaks:type(t)
        self.weight = self.weight:type(t) self.bias = self.bias:type(t)
        self.gradWeight = self.gradWeight:type(t) self.gradBias = self.gradBias:type(t)
        return self
      end
      totem.nn.checkTypePreservesSharing(tester, nn.TotemTestBreaks(3, 3))""")
    assert not ok and "Sharing is broken for parameter #1" in text and "different storage pointer" in text
