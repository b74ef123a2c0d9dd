"""lua_compat: Torch7's Lua conventions over pytorch_lite (1-based, operators, classes, errors,
safety), checked against numpy and Python-side pytorch_lite calls."""
import io
import os
import subprocess
import sys

import numpy as np
import pytest

import pytorch_lite as torch
from pytorch_lite import nn
from lua_compat import Runtime, LuaScriptError, LuaExit, load_model

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture
def rt():
    return Runtime(stdout=io.StringIO())


def test_one_based_dims_and_indices(rt):
    a = np.arange(1, 13, dtype=float).reshape(3, 4)
    r = rt.execute("""
        local a = torch.range(1, 12):view(3, 4)
        return a:size(1), a:size(2), a[2][3], a:narrow(2, 2, 2):sum(), a:select(1, 3):sum(),
               a[{2, {2, 3}}]:sum(), a:sub(2, 3, 1, 2):sum(), a:storageOffset(), a:narrow(1, 2, 1):storageOffset()""")
    assert r == (3, 4, a[1, 2], a[:, 1:3].sum(), a[2].sum(), a[1, 1:3].sum(), a[1:3, 0:2].sum(), 1, 5)


def test_index_results_and_inputs_are_one_based(rt):
    x = np.array([[3., 9., 1.], [7., 2., 8.]])
    rt.globals().x = torch.Tensor(x.tolist())
    r = rt.execute("""
        local m, i = torch.max(x, 2)
        local s, si = torch.sort(x[1])
        local g = x:index(2, torch.LongTensor({3, 1}))
        return i[1][1], i[2][1], si[1], g[1][1], g[2][2], x:gather(2, torch.LongTensor({{2}, {3}}))[2][1]""")
    assert r == (2, 3, 3, 1.0, 7.0, 8.0)


def test_setitem_forms(rt):
    r = rt.execute("""
        local b = torch.zeros(3, 4)
        b[{2, {}}]:fill(-1)
        b[{{}, 3}] = 5
        b[1][1] = 100
        b[{3, 4}] = 7
        return b:sum(), b[1][1], b[2][3], b[3][4]""")
    assert r == (100 - 3 + 15 + 7, 100, 5, 7)


def test_operators_follow_torch7(rt):
    a = np.array([[1., 2.], [3., 4.]])
    rt.globals().a = torch.Tensor(a.tolist())
    r = rt.execute("""
        local v = torch.Tensor({1, -1})
        return (a * a)[2][1], (a * v)[1], v * v, (a + 1)[1][1], (2 - a)[1][2], (-a)[2][2], (a / 2)[2][1], #a""")
    mm = a @ a
    assert r[:7] == (mm[1, 0], (a @ [1, -1])[0], 2.0, 2.0, 0.0, -4.0, 1.5)
    assert list(r[7]) == [2, 2]


def test_in_place_method_vs_function(rt):
    r = rt.execute("""
        local t = torch.Tensor({-1.5, 2})
        local u = torch.abs(t)
        local same1 = torch.pointer(u) == torch.pointer(t)
        local v = t:abs()
        return t[1], same1, torch.pointer(v) == torch.pointer(t)""")
    assert r == (1.5, False, True)


def test_print_layout(rt):
    rt.execute("print('a', 1, 2.5, true, nil) print(torch.Tensor({1, 2})) print(1/3)")
    out = rt._stdout.getvalue()
    assert out.startswith("a\t1\t2.5\ttrue\tnil\t\n 1\n 2\n[torch.DoubleTensor of size 2]\n\n")
    assert out.endswith("0.33333333333333\t\n")


def test_torch_class_module_in_python_container(rt):
    m = rt.execute("""
        require 'nn'
        local Double, parent = torch.class('nn.DoubleIt', 'nn.Module')
        function Double:__init() parent.__init(self) end
        function Double:updateOutput(input) self.output:resizeAs(input):copy(input):mul(2) return self.output end
        function Double:updateGradInput(input, g) self.gradInput:resizeAs(g):copy(g):mul(2) return self.gradInput end
        return nn.DoubleIt()""")
    assert torch.typename(m) == "nn.DoubleIt" and isinstance(m, nn.Module)
    seq = nn.Sequential().add(nn.Identity()).add(m)
    x = torch.Tensor([1.0, -2.0])
    assert seq.forward(x).tolist() == [2.0, -4.0]
    assert seq.backward(x, torch.Tensor([1.0, 1.0])).tolist() == [2.0, 2.0]
    assert rt.execute("return torch.isTypeOf(nn.DoubleIt(), 'nn.Module'), torch.type(nn.DoubleIt())") == (True, "nn.DoubleIt")


def test_lookup_and_classnll_take_one_based_indices(rt):
    loss = rt.execute("""
        require 'nn'
        torch.manualSeed(3)
        local crit = nn.ClassNLLCriterion()
        local x = torch.Tensor({{-1, -2, -3}, {-3, -2, -1}})
        return crit:forward(x, torch.Tensor({1, 3})), crit:forward(x[1], 2)""")
    assert loss == (1.0, 2.0)


def test_container_get_and_modules_are_one_based(rt):
    r = rt.execute("""
        require 'nn'
        local s = nn.Sequential():add(nn.Linear(2, 3)):add(nn.Tanh())
        local n = 0
        for i, m in ipairs(s.modules) do n = n + i end
        return torch.type(s:get(1)), torch.type(s.modules[2]), #s.modules, n""")
    assert r == ("nn.Linear", "nn.Tanh", 2, 3)


def test_save_load_from_lua_matches_python(rt, tmp_path):
    f = str(tmp_path / "m.t7")
    rt.globals().f = f
    rt.execute("require 'nn'; torch.manualSeed(2); torch.save(f, nn.Linear(3, 2))")
    m = torch.load(f)
    torch.manualSeed(2)
    ref = nn.Linear(3, 2)
    assert np.array_equal(m.weight.numpy(), ref.weight.numpy())


def test_lua_error_shows_file_and_line(tmp_path):
    p = tmp_path / "bad.lua"
    p.write_text("local x = torch.Tensor(2)\n\nx:narrow(1, 2, 5)\n")
    with pytest.raises(LuaScriptError) as e:
        Runtime().run_file(str(p))
    msg = str(e.value)
    assert "bad.lua:3:" in msg and "TorchIndexError" in msg and "stack traceback" in msg
    p.write_text("local function f() error('boom') end\nf()\n")
    with pytest.raises(LuaScriptError) as e:
        Runtime().run_file(str(p))
    assert "bad.lua:1: boom" in str(e.value) and "bad.lua:2:" in str(e.value)


def test_os_exit_code(tmp_path):
    p = tmp_path / "exit.lua"
    p.write_text("print(arg[1]) os.exit(tonumber(arg[1]))\n")
    with pytest.raises(LuaExit) as e:
        Runtime(stdout=io.StringIO()).run_file(str(p), ["4"])
    assert e.value.code == 4


def test_lua_cannot_reach_python_internals(rt):
    g = rt.globals()
    assert g.python is None
    for code in ("return x.__class__", "return x._storage", "return x.__dict__",
                 "return getmetatable('').__index.x", "return torch.Tensor.__init__"):
        rt.globals().x = torch.Tensor(2)
        r = rt.execute("local ok, v = pcall(function() %s end) return ok and v or nil" % code)
        assert r is None, code
    with pytest.raises(LuaScriptError):
        rt.execute("return python.eval('1')")
    with pytest.raises(LuaScriptError):
        rt.execute("return python.builtins.open")
    # a plain Python object handed to Lua exposes nothing
    rt.globals().obj = object()
    assert rt.execute("local ok = pcall(function() return obj.__class__ end) return ok") is False


def test_identity_survives_garbage_collection(rt):
    """lupa 2.8 can swap Python objects after GC (scoder/lupa#294); the runtime must not."""
    objs = [torch.Tensor(1).fill(i) for i in range(3)]
    echo = rt.lua.eval("function(o, t) return o end")
    for i in range(5000):
        assert echo(objs[i % 3], rt.lua.table(name="x")) is objs[i % 3]
    r = rt.execute("""
        local bad = 0
        local keep = {torch.Tensor(1):fill(1), torch.Tensor(1):fill(2)}
        for i = 1, 60000 do
           local t = torch.Tensor(1):fill(i)
           if t[1] ~= i then bad = bad + 1 end
           if keep[1][1] ~= 1 or keep[2][1] ~= 2 then bad = bad + 1 end
        end
        return bad""")
    assert r == 0


def test_cli_run_and_example(tmp_path):
    env = dict(os.environ, PYTHONPATH=ROOT)
    p = subprocess.run([sys.executable, "-m", "pytorch_lite.cli", "run", os.path.join(ROOT, "examples", "train.lua"),
                        "-epochs", "10"], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)
    assert p.returncode == 0, p.stderr
    assert "accuracy" in p.stdout and "nn.LearnedScale" in p.stdout
    bad = tmp_path / "bad.lua"
    bad.write_text("error('no')\n")
    p = subprocess.run([sys.executable, "-m", "pytorch_lite.cli", "run", str(bad)], capture_output=True,
                       text=True, env=env, cwd=ROOT, timeout=60)
    assert p.returncode == 1 and "bad.lua:1: no" in p.stderr


def test_python_trains_a_lua_model():
    m = load_model(os.path.join(ROOT, "examples", "mlp_model.lua"), 2, 8, 3)
    torch.manualSeed(0)
    x = torch.randn(30, 2)
    y = torch.LongTensor([i % 3 for i in range(30)])   # 0-based classes on the Python side
    for i in range(30):
        x[i].add(2.0 * y[i])
    crit = nn.ClassNLLCriterion()
    first = None
    for _ in range(60):
        out = m.forward(x)
        loss = crit.forward(out, y)
        first = loss if first is None else first
        m.zeroGradParameters()
        m.backward(x, crit.backward(out, y))
        m.updateParameters(0.2)
    assert loss < first * 0.5
    assert m.modules[1].gradWeight.abs().sum() > 0   # the Lua layer's accGradParameters ran
