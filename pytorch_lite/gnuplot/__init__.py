"""Torch7's gnuplot package, drawn with matplotlib into files (no gnuplot, no screen).

    from pytorch_lite import gnuplot
    gnuplot.pngfigure('sin.png')                  # or pdffigure / epsfigure / svgfigure
    gnuplot.plot(('sin', x, torch.sin(x), '-'), ('cos', x, torch.cos(x), '+'))
    gnuplot.title('waves'); gnuplot.xlabel('x'); gnuplot.grid(True)
    gnuplot.plotflush()                           # the file is complete (it is after each call)

Torch7's gnuplot doc is the reference (plot forms '+', '.', '-', '+-', '~', '|', 'v'; hist,
imagesc, splot, scatter3, bar, title/xlabel/ylabel/zlabel, grid, logscale, axis, movelegend,
figure, plotflush, figprint, close, closeall).  As with gnuplot, settings (title, labels, grid,
ranges, legend place) stay with a figure across plots, and a new plot replaces the old one.
A file figure is rewritten after every call that changes it, so it is always up to date.
``figure(n)`` (a gnuplot window) writes figure<n>.png into $PYTORCH_LITE_DISPLAY_DIR (else
pytorch-lite-display under the system temp dir) and says so once.  ``raw`` gnuplot commands
cannot be interpreted and are ignored with a warning.  A vector plotted alone is drawn
against its element indices, 0-based in Python (1-based through the Lua bridge, as Torch7).
"""
import os
import sys

import numpy as np

from ..errors import TorchTypeError, TorchValueError
from . import _render, _series

_figures = {}
_state = {"current": None, "warned_raw": False}


class _Figure:
    def __init__(self, n):
        self.n = n
        self.fname = None          # file figures: the file and its format
        self.fmt = None
        self.announced = False
        self.content = None        # (kind, data) of the last plot command
        self.title = self.xlabel = self.ylabel = self.zlabel = None
        self.grid = False
        self.logscale = False
        self.aspect = None
        self.xrange = self.yrange = None
        self.key = ("right", "top")
        self.held = False          # inside held(): settings collect, one drawing at the end

    def target(self):
        if self.fname is not None:
            return self.fname, self.fmt
        from ..image.display import display_dir
        return os.path.join(display_dir(), "figure%d.png" % self.n), "png"

    def refresh(self):
        """Redraw into the figure's file (as gnuplot's refresh with 'set output')."""
        if self.content is None or self.held:
            return None
        path, fmt = self.target()
        _render.render(self, path, fmt)
        if self.fname is None and not self.announced:
            print("gnuplot: no screen here; figure %d is written to %s" % (self.n, path))
            self.announced = True
        return path


def _get(n=None):
    if n is None:
        n = max([k for k in _figures if isinstance(k, int)], default=0) + 1
    fig = _figures.get(n)
    if fig is None:
        fig = _figures[n] = _Figure(n)
    _state["current"] = n
    return fig


def _current():
    n = _state["current"]
    if n is None or n not in _figures:
        return _get()
    return _figures[n]


def figure(n=None, config=None):
    """Select (or create) figure ``n`` (default: a new one); returns its number."""
    fig = _get(n)
    fig.fname = fig.fmt = None
    return fig.n


def _filefigure(fname, fmt, n):
    if not isinstance(fname, str):
        raise TorchTypeError("gnuplot: the figure needs a file name")
    out_dir = os.path.dirname(fname) or "."
    if not os.path.isdir(out_dir):
        raise TorchValueError("cannot save to %s: directory does not exist" % fname)
    fig = _get(n)
    fig.fname, fig.fmt = fname, fmt
    fig.refresh()
    return fig.n


def pngfigure(fname, n=None):
    """A figure drawn into the PNG file ``fname`` (640x480, as gnuplot's png terminal)."""
    return _filefigure(fname, "png", n)


def pdffigure(fname, n=None):
    return _filefigure(fname, "pdf", n)


def epsfigure(fname, n=None):
    return _filefigure(fname, "eps", n)


def svgfigure(fname, n=None):
    return _filefigure(fname, "svg", n)


def figprint(fname):
    """Write the current figure to another file (png, eps, pdf or svg, from the suffix)."""
    suffix = os.path.splitext(fname)[1][1:].lower()
    if suffix not in ("png", "eps", "pdf", "svg"):
        raise TorchValueError("only eps, png, pdf and svg for figprint")
    fig = _current()
    if fig.content is not None:
        _render.render(fig, fname, suffix)


def plotflush(n=None):
    """Make sure figure n (default: the current one) is written out."""
    n = _state["current"] if n is None else n
    if n is None or n not in _figures:
        print("no figure %s" % ("nil" if n is None else n))
        return None
    return _figures[n].refresh()


def close(n=None):
    """Flush and forget figure n (default: the current one)."""
    n = _state["current"] if n is None else n
    fig = _figures.get(n)
    if fig is None:
        return
    fig.refresh()
    del _figures[n]
    if _state["current"] == n:
        _state["current"] = None


class held:
    """``with gnuplot.held():`` the calls inside change the current figure without redrawing
    it after each one; the figure is drawn once on leaving (optim.Logger:plot sets the plot,
    scale, grid and title together: one drawing instead of one per call).  ``close=True``
    then forgets the figure, as close() does, without drawing it a second time."""

    def __init__(self, close=False):
        self.close = close

    def __enter__(self):
        self.fig = _current()
        self.fig.held = True
        return self.fig.n

    def __exit__(self, *exc):
        self.fig.held = False
        try:
            if exc[0] is None:
                self.fig.refresh()
        finally:
            if self.close and _figures.get(self.fig.n) is self.fig:
                del _figures[self.fig.n]
                if _state["current"] == self.fig.n:
                    _state["current"] = None
        return False


def closeall():
    for n in list(_figures):
        close(n)
    _state["current"] = None


def _set(**fields):
    fig = _current()
    for k, v in fields.items():
        setattr(fig, k, v)
    fig.refresh()


def title(label):
    _set(title=str(label))


def xlabel(label):
    _set(xlabel=str(label))


def ylabel(label):
    _set(ylabel=str(label))


def zlabel(label):
    _set(zlabel=str(label))


def _toggle(toggle):
    return toggle not in (None, False, 0, "off", "false")


def grid(toggle):
    """Show (true/'on') or hide the grid."""
    _set(grid=_toggle(toggle))


def logscale(toggle):
    """A logarithmic y axis (on/off)."""
    _set(logscale=_toggle(toggle))


def movelegend(hloc, vloc):
    """Put the legend at hloc in {left, right, center} and vloc in {top, bottom, middle}."""
    if hloc not in ("left", "right", "center") or vloc not in ("bottom", "top", "middle"):
        raise TorchValueError("plot.movelegend expects 2 strings as location "
                              "{left|right|center}{bottom|top|middle}")
    _set(key=(hloc, vloc))


def axis(spec):
    """'auto' (autoscale), 'image'/'equal' (1:1 aspect), 'fill', or {xmin, xmax, ymin, ymax}
    where '' keeps that limit automatic."""
    if spec == "auto":
        _set(aspect=None, xrange=None, yrange=None)
    elif spec in ("image", "equal"):
        _set(aspect="equal")
    elif spec == "fill":
        _set(aspect="auto")
    elif isinstance(spec, (list, tuple)):
        if len(spec) != 4:
            print("axis should have 4 componets {xmin,xmax,ymin,ymax}")
            return
        lim = [None if v in ("", None) else float(v) for v in spec]
        _set(xrange=(lim[0], lim[1]), yrange=(lim[2], lim[3]))
    else:
        raise TorchValueError("gnuplot.axis: expected 'auto', 'image', 'equal', 'fill' or {xmin,xmax,ymin,ymax}")


def raw(command):
    """gnuplot commands cannot be run here: ignored (with one warning)."""
    if not _state["warned_raw"]:
        sys.stderr.write("gnuplot.raw: pytorch-lite draws with matplotlib and ignores raw gnuplot "
                         "commands (%r)\n" % (command,))
        _state["warned_raw"] = True


def setgnuplotexe(exe):
    """Accepted for compatibility; there is no gnuplot executable to set."""


def setterm(term):
    """Accepted for compatibility; figures are files (pngfigure, pdffigure, ...)."""


def _plot(args, base):
    series = [_series.plot_vars(s, base) for s in _series.series_list(args)]
    fig = _current()
    fig.content = ("plot", series)
    return fig.refresh()


def plot(*args):
    """plot(y), plot(x, y), plot(x, y, '+-'), plot('name', x, y, '-'), or several series as
    tuples: plot(('a', x, y, '-'), ('b', x, z, '+')).  Formats: '+' points, '.' dots, '-'
    lines, '+-' both, '~' smooth spline, '|' boxes, 'v' vectors (or gnuplot 'with ...')."""
    return _plot(args, 0)


def bar(*args):
    """plot(..., '|'): boxes."""
    return _plot((tuple(args) + ("|",),), 0)


def _splot(args, base):
    surfaces = [_series.splot_vars(s, base) for s in _series.surface_list(args)]
    fig = _current()
    fig.content = ("splot", surfaces)
    return fig.refresh()


def splot(*args):
    """A 3D surface: splot(z), splot(x, y, z), splot('name', z), or several as tuples."""
    return _splot(args, 0)


def scatter3(*args):
    """3D points: scatter3(x, y, z) or scatter3('name', x, y, z), or several as tuples."""
    if not args:
        raise TorchValueError("no inputs, expecting at least a matrix")
    groups = _series.series_list(args)
    data = []
    for g in groups:
        g = list(g)
        legend = g.pop(0) if g and isinstance(g[0], str) else ""
        if len(g) != 3 or not all(_series.is_data(v) for v in g):
            raise TorchTypeError("expecting [string,] tensor, tensor, tensor")
        x, y, z = (_series.as_array(v).reshape(-1) for v in g)
        if not (x.shape == y.shape == z.shape):
            raise TorchValueError("x, y and z must be the same size")
        data.append((legend, x, y, z))
    fig = _current()
    fig.content = ("scatter3", data)
    return fig.refresh()


def imagesc(z, palette="gray"):
    """A matrix as an image (row 0 on top), 'gray' (default) or 'color' palette."""
    if not _series.is_data(z):
        raise TorchTypeError("expecting tensor [,string]")
    a = _series.as_array(z)
    if a.ndim != 2:
        raise TorchValueError("x is expected to be matrices x = %dD" % a.ndim)
    fig = _current()
    fig.content = ("imagesc", (a, palette or "gray"))
    return fig.refresh()


def histc(tensor, bins=None, min=None, max=None):
    """The histogram of Torch7's gnuplot.histc: a dict with 'raw' (counts, a DoubleTensor),
    'bins', 'binwidth', 'centers' (list), 'counts' (list), 'max'/'min' (0-based fullest and
    emptiest bin)."""
    import pytorch_lite as torch
    bins = 80 - 8 if bins is None else int(bins)
    t = tensor.double()
    lo = float(t.min()) if min is None else float(min)
    hi = float(t.max()) if max is None else float(max)
    raw_counts = torch.histc(t, bins, lo, hi)
    counts = raw_counts.numpy()
    width = (hi - lo) / bins
    return {"raw": raw_counts, "bins": bins, "binwidth": width,
            "centers": [lo + (i + 0.5) * width for i in range(bins)], "counts": counts.tolist(),
            "max": int(np.argmax(counts)), "min": int(np.argmin(counts))}


def hist(tensor, bins=None, min=None, max=None):
    """Plot the histogram of tensor's values as boxes (``bins`` default 72, between ``min`` and
    ``max``, default the tensor's range); returns ``histc``'s dict."""
    h = histc(tensor, bins, min, max)
    x = np.array(h["centers"])
    _plot(((x, h["raw"], "|"),), 0)
    return h
