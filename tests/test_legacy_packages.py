"""Package behaviour that well-known legacy programs rely on (found running them unmodified);
each test is our own small Lua reproducing what the program does."""
import os

import numpy as np
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


def test_logger_plot_every_epoch_draws_once_per_interval(rt, tmp_path, monkeypatch):
    # torch/demos' linear regression calls logger:add / logger:style / logger:plot after each of
    # 10000 epochs.  Torch7's gnuplot draws in its own process; here a drawing is the script's
    # time, so one Logger's plot is drawn at most once per DRAW_EVERY seconds (all its settings
    # in one drawing) and what was asked for last is drawn at exit.
    pytest.importorskip("matplotlib")
    from pytorch_lite.gnuplot import _render
    import importlib
    logger_mod = importlib.import_module("pytorch_lite.optim.Logger")
    drawn = []
    real = _render.render

    def counting(fig, path, fmt):
        drawn.append((path, fig.title, [len(s[1]) for s in fig.content[1]]))
        return real(fig, path, fmt)

    monkeypatch.setattr(_render, "render", counting)
    monkeypatch.setattr(logger_mod, "DRAW_EVERY", 3600.0)
    name = str(tmp_path / "loss_log.txt")
    out = rt.execute("""require 'optim'
        local logger = optim.Logger(...)
        local files = {}
        for i = 1, 40 do
           logger:add{['training error'] = 1 / i}
           logger:style{['training error'] = '-'}
           files[i] = logger:plot()
        end
        return files[1], files[2], files[40]""", name)
    assert out == (None, name + ".png", name + ".png")   # one value: nothing to plot yet
    # the first plot with two points is drawn at once, in one drawing; the rest waits
    assert drawn == [(name + ".png", "<Logger::%s>" % name, [2])]
    logger_mod._draw_pending()
    assert drawn[1:] == [(name + ".png", "<Logger::%s>" % name, [40])]
    logger_mod._draw_pending()   # nothing left to draw
    assert len(drawn) == 2
    from PIL import Image
    with Image.open(name + ".png") as im:
        assert im.size == (640, 480)
        lo, hi = im.convert("L").getextrema()
        assert lo < 100 and hi > 200   # dark lines on white: a drawing, not a blank page


def test_confusion_matrix_ignores_missing_targets(rt):
    # Torch7's ConfusionMatrix:_add counts a sample only when its target is > 0 ("non-positive
    # values are considered missing"); optim's own test_confusion.lua adds a target 0
    got = rt.execute("""require 'optim'
        local cm = optim.ConfusionMatrix(3)
        cm:add(2, 3)
        cm:add(torch.Tensor{0.1, 0.7, 0.2}, 1)
        cm:add(1, 0)
        cm:add(torch.Tensor{0.9, 0.0, 0.1}, 0)
        cm:add(3, -2)
        cm:batchAdd(torch.Tensor{{0, 0, 1}, {1, 0, 0}, {0, 1, 0}}, torch.Tensor{3, 0, 2})
        return cm.mat:sum(), cm.mat[3][2], cm.mat[1][2], cm.mat[3][3], cm.mat[2][2],
               cm.mat[1]:sum()""")
    # counted: (t=3,p=2), (t=1,p=2), (t=3,p=3), (t=2,p=2); the targets 0, 0, -2 and 0 are not
    assert got == (4, 1, 1, 1, 1, 1)


def test_optim_cmaes_and_de_from_lua(rt):
    # optim's test_cmaes.lua / test_de.lua call optim.cmaes / optim.de from Lua; both minimise
    # f(x) = sum((x - c)^2) (c = 1, -2, 0.5) without gradients
    got = rt.execute("""require 'optim'
        torch.manualSeed(3)
        local c = torch.Tensor{1, -2, 0.5}
        local function f(x) return (x - c):pow(2):sum(), x:clone():zero() end
        local x = torch.zeros(3)
        local cfg = {sigma = 0.5, maxEval = 3000, verb_disp = 0}
        local bestx, fhist, nEval = optim.cmaes(f, x, cfg)
        local dcfg = {popsize = 20, scaleFactor = 0.5, crossoverRate = 0.9, maxFEs = 2000}
        local best, fx = optim.de(f, torch.zeros(3), dcfg)
        return bestx, fhist[#fhist], nEval, x:norm(), best, fx:size(1), fx:min(), #fhist > 2""")
    bestx, fbest, neval, x_norm, best, nfx, fxmin, hist = got
    c = np.array([1.0, -2.0, 0.5])
    assert np.abs(bestx.numpy() - c).max() < 1e-4
    assert fbest == pytest.approx(((bestx.numpy() - c) ** 2).sum(), abs=1e-12)
    assert 0 < neval <= 3000 and x_norm == 0 and hist   # x itself is left unchanged
    assert np.abs(best.numpy() - c).max() < 1e-3
    assert nfx == 2000
    assert fxmin == pytest.approx(((best.numpy() - c) ** 2).sum(), abs=1e-12)


def test_torch_include_and_package_lua_path(rt, tmp_path):
    # multi-file Lua packages (totem, rnn, dpnn) load their files with torch.include(pkg, file),
    # found from the folder package.path gives for pkg's init.lua
    pkg = tmp_path / "mypkg"
    pkg.mkdir()
    (pkg / "init.lua").write_text("mypkg = {n = 1}\ntorch.include('mypkg', 'extra.lua')\nreturn mypkg\n")
    (pkg / "extra.lua").write_text("mypkg.n = mypkg.n + 10\nreturn 'done'\n")
    got = rt.execute("""local root = ...
        package.path = root .. '/?/init.lua;' .. package.path
        local m = require 'mypkg'
        local r = torch.include('mypkg', 'extra.lua')
        local ok, err = pcall(torch.include, 'no_such_pkg_xyz', 'a.lua')
        return m.n, r, torch.packageLuaPath('mypkg'), ok, err:match("'no_such_pkg_xyz'") ~= nil,
               torch.packageLuaPath('no_such_pkg_xyz') == nil""", str(tmp_path))
    assert got == (21, "done", str(pkg), False, True, True)


def test_nngraph_nesting(rt):
    # nngraph.nesting (required by totem.nn): deep clone / fill / resize / copy / add over nested
    # tables of tensors
    got = rt.execute("""local nesting = require 'nngraph.nesting'
        local a = {torch.Tensor{1, 2}, {x = torch.Tensor{3}}}
        local c = nesting.cloneNested(a)
        c[1][1] = 100
        local out = {torch.Tensor(), extra = torch.Tensor(4)}
        nesting.resizeNestedAs(out, a)
        nesting.fillNested(out, 0)
        nesting.copyNested(out, a)
        nesting.addNestedTo(out, a)
        return a[1][1], c[1][1], c[2].x[1], out.extra == nil, out[1]:nElement(), out[1][2],
               out[2].x[1], rawequal(out[2].x, a[2].x)""")
    assert got == (1, 100, 3, True, 2, 4, 6, False)


def test_tester_subclass_overrides_assert_sub(rt):
    # totem.Tester (nngraph's tests) subclasses torch.Tester and overrides _assert_sub, the one
    # place every Torch7 assert reports to, to return an outcome instead of recording it
    got = rt.execute("""local T, parent = torch.class('legacytest.QuietTester', 'torch.Tester')
        function T:_assert_sub(condition, message)
           self.seen = (self.seen or 0) + 1
           if self.quiet then return condition end
           return parent._assert_sub(self, condition, message)
        end
        local t = legacytest.QuietTester()
        t.quiet = true
        local r1 = t:eq(torch.Tensor{1, 2}, torch.Tensor{1, 3}, 'differ')
        local r2 = t:assertlt(1, 2)
        local r3 = t:asserteq(1, 2)
        t.quiet = false
        local r4 = t:assert(true)
        return r1, r2, r3, r4, t.seen, #t.errors""")
    assert got == (False, True, False, True, 4, 0)


def test_nngraph_just_element_and_just_table(rt):
    # nngraph.JustElement ({x} -> x) and nngraph.JustTable (x -> {x}), as nngraph's tests use them
    got = rt.execute("""require 'nngraph'
        local x = torch.Tensor{{1, 2}, {3, 4}}
        local e = nngraph.JustElement()
        local y = e:forward({x})
        local g = e:backward({x}, torch.Tensor{{1, 1}, {1, 1}})
        local t = nngraph.JustTable()
        local o = t:forward(x)
        local gi = t:backward(x, {torch.Tensor{{5, 6}, {7, 8}}})
        return torch.type(e), y:sum(), #g, g[1]:sum(), torch.type(o), #o, o[1]:sum(), gi:sum()""")
    assert got == ("nngraph.JustElement", 10, 1, 4, "table", 1, 10, 26)


def test_threads_init_closure_sends_a_global_table_by_value(rt):
    # dcgan.torch's data loader: `opt` is a global table of the main script, captured as an
    # upvalue (`local options = opt_`) by the init function; every worker sets `opt = options`.
    # A global table does not exist in a fresh worker state, so it must cross by value
    got = rt.execute("""local Threads = require 'threads'
        opt = {batchSize = 8, name = 'exp', nested = {3, 4}}
        local options = opt
        local pool = Threads(2, function() require 'torch' end, function(idx)
           opt = options
           tid = idx
        end)
        local seen = {}
        for i = 1, 4 do
           pool:addjob(function() return opt.batchSize + opt.nested[2], opt.name, tid end,
                       function(v, name, t) seen[#seen + 1] = v .. name; seen.tids = (seen.tids or 0) + t end)
        end
        pool:synchronize()
        pool:terminate()
        return seen[1], seen[4], #seen, seen.tids >= 4 and seen.tids <= 8""")
    assert got == ("12exp", "12exp", 4, True)
