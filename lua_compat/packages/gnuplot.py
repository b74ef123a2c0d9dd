"""Python side of ``require 'gnuplot'``: pytorch_lite.gnuplot with Lua's conventions.

Series arrive as Lua tables ({'name', x, y, '-'}); a vector plotted alone runs 1..N as in
Torch7; ``grid``/``logscale`` take Lua truthiness; ``hist`` returns Torch7's table (h[i].val,
h[i].nb, h.raw, h.bins, h.binwidth, 1-based h.max/h.min)."""
from pytorch_lite import gnuplot

from ..bridge import to_py


def _args(args):
    return tuple(to_py(a) for a in args)


def _lua_truth(v):
    return v is not None and v is not False


def bridge(runtime):
    conv = runtime.conv

    def hist(tensor, bins=None, min=None, max=None):
        h = gnuplot.hist(tensor, bins, min, max)
        out = {i + 1: {"val": c, "nb": n} for i, (c, n) in enumerate(zip(h["centers"], h["counts"]))}
        out.update(raw=h["raw"], bins=h["bins"], binwidth=h["binwidth"], max=h["max"] + 1, min=h["min"] + 1)
        return conv.to_lua(out)

    def histc(tensor, bins=None, min=None, max=None, raw=None):
        h = gnuplot.histc(tensor, bins, min, max)
        if _lua_truth(raw):
            return h["raw"]
        out = {i + 1: {"val": c, "nb": n} for i, (c, n) in enumerate(zip(h["centers"], h["counts"]))}
        out.update(raw=h["raw"], bins=h["bins"], binwidth=h["binwidth"], max=h["max"] + 1, min=h["min"] + 1)
        return conv.to_lua(out)

    fns = {name: getattr(gnuplot, name) for name in (
        "pngfigure", "pdffigure", "epsfigure", "svgfigure", "figprint", "plotflush", "close",
        "closeall", "title", "xlabel", "ylabel", "zlabel", "movelegend", "raw", "setgnuplotexe",
        "setterm", "imagesc")}
    fns.update(
        figure=lambda n=None, config=None: gnuplot.figure(n),
        plot=lambda *a: gnuplot._plot(_args(a), 1) and None,
        bar=lambda *a: gnuplot._plot((_args(a) + ("|",),), 1) and None,
        splot=lambda *a: gnuplot._splot(_args(a), 1) and None,
        scatter3=lambda *a: gnuplot.scatter3(*_args(a)) and None,
        grid=lambda t=None: gnuplot.grid(_lua_truth(t)),
        logscale=lambda t=None: gnuplot.logscale(_lua_truth(t)),
        axis=lambda spec=None: gnuplot.axis(to_py(spec)),
        hist=hist, histc=histc)
    return fns
