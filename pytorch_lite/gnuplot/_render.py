"""Draw one gnuplot figure's state with matplotlib (Agg, no screen) and write it to a file.

The look follows Torch7's gnuplot setup (its ``torchstyle``: line colours blue, green, red,
brown..., width 2, a 640x480 png terminal)."""
import numpy as np

# torchstyle's line styles 1..16: *_050, then *_025, *_075, *_100 of blue, green, red, brown
COLORS = ["#1D4599", "#11AD34", "#E62B17", "#E69F17", "#7297E6", "#67EB84", "#F97A6D", "#F9C96D",
          "#2F3F60", "#2F6C3D", "#8F463F", "#8F743F", "#031A49", "#025214", "#6D0D03", "#6D4903"]
SIZE_INCHES, DPI = (6.4, 4.8), 100          # gnuplot's png/pngcairo default: 640x480


def _mpl():
    """matplotlib's Figure class: used without pyplot, so no backend or screen is involved."""
    try:
        from matplotlib.figure import Figure
    except ImportError:
        from ..errors import TorchRuntimeError
        raise TorchRuntimeError("gnuplot needs matplotlib: pip install matplotlib") from None
    return Figure


def _style(fmt):
    """A gnuplot format ('+', '-', '+-', '.', '~', '|', 'v', or 'with ...') as a drawing kind."""
    f = fmt.strip()
    words = f.split()
    if words and words[0] == "with":
        words = words[1:]
    key = words[0] if words else f
    table = {"": "linespoints", "+": "points", "points": "points", "p": "points", ".": "dots",
             "dots": "dots", "d": "dots", "-": "lines", "lines": "lines", "l": "lines",
             "+-": "linespoints", "-+": "linespoints", "linespoints": "linespoints", "lp": "linespoints",
             "|": "boxes", "boxes": "boxes", "~": "csplines", "csplines": "csplines",
             "acsplines": "csplines", "v": "vectors", "V": "vectors", "vectors": "vectors",
             "impulses": "impulses", "i": "impulses", "steps": "steps", "filledcurves": "filled",
             "smooth": "csplines"}
    if key.startswith("~") or key.startswith("acsplines"):
        return "csplines"
    return table.get(key, "linespoints")


def _cspline(x, y, n=None):
    """Natural cubic spline through (x, y) sampled densely (gnuplot's 'smooth csplines')."""
    order = np.argsort(x, kind="stable")
    x, y = x[order], y[order]
    x, idx = np.unique(x, return_index=True)
    y = y[idx]
    if x.size < 3:
        return x, y
    h = np.diff(x)
    m = x.size
    # second derivatives M with M[0] = M[-1] = 0: a tridiagonal system, solved by Thomas
    a = h[:-1].copy()
    b = 2 * (h[:-1] + h[1:])
    c = h[1:].copy()
    d = 6 * (np.diff(y[1:]) / h[1:] - np.diff(y[:-1]) / h[:-1])
    for i in range(1, m - 2):
        w = a[i] / b[i - 1]
        b[i] -= w * c[i - 1]
        d[i] -= w * d[i - 1]
    M = np.zeros(m)
    inner = np.zeros(m - 2)
    inner[-1] = d[-1] / b[-1]
    for i in range(m - 4, -1, -1):
        inner[i] = (d[i] - c[i] * inner[i + 1]) / b[i]
    M[1:-1] = inner
    xs = np.linspace(x[0], x[-1], n or max(200, 4 * m))
    k = np.clip(np.searchsorted(x, xs, side="right") - 1, 0, m - 2)
    t0, t1, hk = xs - x[k], x[k + 1] - xs, h[k]
    ys = (M[k] * t1 ** 3 + M[k + 1] * t0 ** 3) / (6 * hk) + (y[k] / hk - M[k] * hk / 6) * t1 \
        + (y[k + 1] / hk - M[k + 1] * hk / 6) * t0
    return xs, ys


def _draw_series(ax, i, legend, x, y, fmt):
    color = COLORS[i % len(COLORS)]
    kind = _style(fmt)
    label = legend if legend else None
    ys = [y] if y.ndim == 1 else [y[:, j] for j in range(y.shape[1])]
    if kind == "vectors":
        ax.quiver(x[:, 0], y[:, 0], x[:, 1], y[:, 1], angles="xy", scale_units="xy", scale=1,
                  color=color, label=label)
        return
    if kind == "filled" and y.ndim == 2 and y.shape[1] >= 2:
        ax.fill_between(x, y[:, 0], y[:, 1], color=color, alpha=0.5, label=label)
        return
    for j, yy in enumerate(ys):
        lab = label if j == 0 else None
        if kind == "points":
            ax.plot(x, yy, "+", color=color, markersize=7, label=lab)
        elif kind == "dots":
            ax.plot(x, yy, ".", color=color, markersize=2, label=lab)
        elif kind == "lines":
            ax.plot(x, yy, "-", color=color, linewidth=2, label=lab)
        elif kind == "boxes":
            width = float(np.min(np.diff(np.unique(x)))) if np.unique(x).size > 1 else 1.0
            ax.bar(x, yy, width=width, color=color, edgecolor="#222222", linewidth=0.5, label=lab)
        elif kind == "csplines":
            sx, sy = _cspline(x, yy)
            ax.plot(sx, sy, "-", color=color, linewidth=2, label=lab)
        elif kind == "impulses":
            ax.vlines(x, 0, yy, color=color, linewidth=2, label=lab)
        elif kind == "steps":
            ax.step(x, yy, where="post", color=color, linewidth=2, label=lab)
        else:
            ax.plot(x, yy, "-o", color=color, linewidth=2, markersize=4, label=lab)


_LOC = {"top": "upper", "bottom": "lower", "middle": "center"}


def _legend_loc(where):
    h, v = where
    if (h, v) == ("center", "middle"):
        return "center"
    return "%s %s" % (_LOC[v], h)


def render(fig_state, path, fmt):
    """Draw fig_state (a gnuplot._Figure) and save it to path in format fmt."""
    Figure = _mpl()
    fig = Figure(figsize=SIZE_INCHES, dpi=DPI)
    st = fig_state
    kind, data = st.content
    if kind == "splot" or kind == "scatter3":
        ax = fig.add_subplot(projection="3d")
    else:
        ax = fig.add_subplot()
    if kind == "plot":
        for i, (legend, x, y, f) in enumerate(data):
            _draw_series(ax, i, legend, x, y, f)
    elif kind == "imagesc":
        z, palette = data
        cmap = {"gray": "gray", "grey": "gray", "color": "gnuplot"}.get(palette, palette)
        try:
            im = ax.imshow(z, cmap=cmap, interpolation="nearest", aspect="auto",
                           extent=(-0.5, z.shape[1] - 0.5, z.shape[0] - 0.5, -0.5))
        except ValueError:
            im = ax.imshow(z, cmap="gnuplot", interpolation="nearest", aspect="auto",
                           extent=(-0.5, z.shape[1] - 0.5, z.shape[0] - 0.5, -0.5))
        fig.colorbar(im, ax=ax)
    elif kind == "splot":
        for i, (legend, x, y, z) in enumerate(data):
            color = COLORS[i % len(COLORS)]
            ax.plot_wireframe(x, y, z, color=color, linewidth=0.6, label=legend or None)
            ax.contour(x, y, z, zdir="z", offset=float(np.min(z)), colors=color, linewidths=0.6)
    elif kind == "scatter3":
        for i, (legend, x, y, z) in enumerate(data):
            ax.scatter(x, y, z, color=COLORS[i % len(COLORS)], label=legend or None)
    if st.title is not None:
        ax.set_title(st.title)
    if st.xlabel is not None:
        ax.set_xlabel(st.xlabel)
    if st.ylabel is not None:
        ax.set_ylabel(st.ylabel)
    if st.zlabel is not None and hasattr(ax, "set_zlabel"):
        ax.set_zlabel(st.zlabel)
    if st.grid:
        ax.set_axisbelow(True)
        ax.grid(True, color="#d5e0c9")
    if st.logscale and kind == "plot":
        ax.set_yscale("log")
    if st.aspect is not None and kind != "splot":
        ax.set_aspect(st.aspect)
    if st.xrange is not None:
        ax.set_xlim(*st.xrange)
    if st.yrange is not None:
        ax.set_ylim(*st.yrange)
    handles, labels = ax.get_legend_handles_labels()
    if labels:
        ax.legend(loc=_legend_loc(st.key), frameon=False)
    fig.savefig(path, format=fmt)
