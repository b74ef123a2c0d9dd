"""require 'xlua' (torch/xlua) and trepl's helpers: progress bar text, unpack, helpers."""
import io

import pytest

from lua_compat.runtime import Runtime, LuaScriptError, LuaExit


def run(code, *args):
    out = io.StringIO()
    rt = Runtime(stdout=out)
    return rt.execute(code, *args), out.getvalue()


def test_progress_bar():
    _, out = run("require 'xlua' for i = 1, 4 do xlua.progress(i, 4) end")
    frames = out.split("\r")
    assert len(frames) == 4 and out.endswith("\n")
    for i, frame in enumerate(frames, 1):
        bar = frame[frame.index("[") + 1:frame.index("]")]
        done = i * 77 // 4          # floor(current * 77 / goal) columns, '>' at the head
        assert len(bar) == 77 and bar == "=" * (done - 1) + ">" + "." * (77 - done)
        assert frame.rstrip("\n").endswith(" %d/4 " % i) and "ETA: " in frame and "| Step: " in frame


def test_format_time_and_unpack():
    got, _ = run("""require 'xlua'
        local a, x, y = xlua.unpack({{y = 5}}, 'f', 'd', {arg = 'x', type = 'number', default = 2},
                                    {arg = 'y', type = 'number', req = true})
        local b, p, q = xlua.unpack({7, 8}, 'f', 'd', {arg = 'x', type = 'number'}, {arg = 'y', type = 'number'})
        local ok = pcall(xlua.unpack, {{x = 1}}, 'f', 'd', {arg = 'x'}, {arg = 'y', type = 'n', req = true})
        return x, y, a.y, p, q, b.x, ok, xlua.formatTime(3725.5), xlua.formatTime(0.0123),
               xlua.formatTime(90061), xlua.formatTime(0)""")
    assert got == (2, 5, 5, 7, 8, 7, False, "1h2m", "12ms", "1D1h", "0ms")


def test_helpers():
    got, out = run("""require 'xlua'
        local kept, cut = table.splice({1, 2, 3, 4, 5}, 2, 2)
        local pr = table.prune({3, 3, 1})
        table.sort(pr)
        local s = ('a,b,,c'):split(',')
        local missing = xlua.require('no_such_package_xyz')
        xlua.print({5})
        return #kept, kept[2], #cut, cut[1], #pr, pr[1], pr[2], #s, s[3], missing,
               string.tosymbol('math.floor') == math.floor""")
    assert got == (3, 4, 2, 2, 2, 1, 3, 4, "", False, True)
    assert "warning: <no_such_package_xyz> could not be loaded" in out and "{[1] = 5}\n" in out


def test_trepl_colorize():
    got, _ = run("""local c = require 'trepl.colorize'
        require 'trepl'
        return c.red('x'), c.Blue(3)""")
    assert got == ("\x1b[0;31mx\x1b[0m", "\x1b[1;34m3\x1b[0m")


def test_globals_th_leaves():
    got, _ = run("return sys.clock ~= nil, xlua.progress ~= nil")
    assert got == (True, True)


def test_option_parser(tmp_path):
    script = tmp_path / "opts.lua"
    script.write_text("""require 'xlua'
        local op = xlua.OptionParser('%prog [options]')
        op:option{'-t', '--threads', action = 'store', dest = 'threads', help = 'threads', default = 2}
        op:option{'-v', '--visualize', action = 'store_true', dest = 'visualize', help = 'show'}
        op:option{'--lr', dest = 'lr', help = 'rate'}
        local opt, rest = op:parse()
        return opt.threads, opt.visualize, opt.lr, rest[1], op:tostring(true), require('dok').unpack == xlua.unpack""")
    got = Runtime().run_file(str(script), ["-v", "--lr=0.5", "file.txt"])
    assert got == (2, True, "0.5", "file.txt", "-t=2,-v=true,--lr=0.5", True)
    out = io.StringIO()
    with pytest.raises(LuaExit):   # --help prints the usage and exits
        Runtime(stdout=out).run_file(str(script), ["--help"])
    assert out.getvalue().startswith("Usage: %s [options]\n\nOptions:\n  -h, --help" % script)
    assert "  -t THREADS, --threads=THREADS  threads [default = 2]\n" in out.getvalue()


def test_xlua_helpers_are_there_before_any_require():
    # trepl requires xlua before the script runs: string.split works without require 'xlua'
    # (pix2pix's train.lua splits its display_plot option so)
    got, _ = run("local s = string.split('errL1,errG', ',') return #s, s[1], s[2], package.loaded.xlua ~= nil")
    assert got == (2, "errL1", "errG", True)


def test_progress_bar_starting_at_zero_has_no_negative_times():
    # xlua starts its time window at the first call's index: progress(0, n) then progress(k, n)
    _, out = run("xlua.progress(0, 4) xlua.progress(2, 4) xlua.progress(4, 4)")
    frames = out.split("\r")
    assert len(frames) == 3 and "ETA: 0ms | Step: 0ms" in frames[0]
    assert " 0/4 " in frames[0] and " 2/4 " in frames[1] and " 4/4 " in frames[2]
