"""pytorch_lite.gnuplot (and require 'gnuplot', optim.Logger:plot) render real pictures: the
PNGs have gnuplot's 640x480 size and drawn content in the series' colours; argument forms,
histograms and errors follow Torch7's gnuplot."""
import os

import numpy as np
import pytest
from PIL import Image

import pytorch_lite as torch
from lua_compat.runtime import LuaScriptError, Runtime
from pytorch_lite import gnuplot, optim
from pytorch_lite.errors import TorchError
from pytorch_lite.gnuplot import _render, _series

BLUE, GREEN = (0x1D, 0x45, 0x99), (0x11, 0xAD, 0x34)


@pytest.fixture(autouse=True)
def fresh_figures(tmp_path, monkeypatch):
    monkeypatch.setenv("PYTORCH_LITE_DISPLAY_DIR", str(tmp_path / "display"))
    gnuplot.closeall()
    yield
    gnuplot.closeall()


def png(path):
    im = np.asarray(Image.open(path).convert("RGB"))
    return im


def count(im, color, tol=40):
    return int((np.abs(im.astype(int) - np.array(color)).sum(axis=2) < tol).sum())


def test_plot_png_size_and_content(tmp_path):
    path = str(tmp_path / "waves.png")
    x = torch.linspace(-3, 3, 60)
    assert gnuplot.pngfigure(path) == 1
    gnuplot.plot(("sin", x, torch.sin(x), "-"), ("cos", x, torch.cos(x), "+"))
    gnuplot.title("waves")
    gnuplot.xlabel("x")
    gnuplot.grid(True)
    gnuplot.plotflush()
    im = png(path)
    assert im.shape == (480, 640, 3)
    assert count(im, BLUE) > 500 and count(im, GREEN) > 200     # both series are drawn
    white = (im == 255).all(axis=2).mean()
    assert 0.5 < white < 0.99                                     # a picture, not a blank page


def test_plot_forms():
    y = torch.DoubleTensor([3, 1, 2])
    x = torch.DoubleTensor([10, 20, 30])
    # a vector alone runs against its 0-based indices in Python (1-based from Lua)
    legend, xs, ys, fmt = _series.plot_vars((y,), 0)
    assert (legend, fmt) == ("", "") and xs.tolist() == [0, 1, 2] and ys.tolist() == [3, 1, 2]
    assert _series.plot_vars((y,), 1)[1].tolist() == [1, 2, 3]
    assert _series.plot_vars((x, y, "+-"), 0)[1:] == _series.plot_vars((x, y, "+-"), 0)[1:]
    legend, xs, ys, fmt = _series.plot_vars(("name", x, y, "-"), 0)
    assert legend == "name" and xs.tolist() == [10, 20, 30] and fmt == "-"
    two = torch.DoubleTensor([[1, 5], [2, 6]])
    assert _series.plot_vars((two,), 0)[2].tolist() == [5, 6]   # Nx2: x and y columns
    assert len(_series.series_list(((y,), ("b", y)))) == 2
    assert len(_series.series_list(([(y,), ("b", y)],))) == 2
    for bad in [(), ("name",), (y, 3), ("a", "b"), (x, torch.DoubleTensor([1, 2]))]:
        with pytest.raises(TorchError):
            _series.plot_vars(bad, 0)
    with pytest.raises(TorchError):
        gnuplot.plot()


def test_styles():
    assert [_render._style(f) for f in ("", "+", ".", "-", "+-", "~", "|", "v", "with lines ls 1")] == \
        ["linespoints", "points", "dots", "lines", "linespoints", "csplines", "boxes", "vectors", "lines"]
    xs, ys = _render._cspline(np.array([0., 1, 2, 3]), np.array([0., 1, 0, 1]))
    # a natural cubic spline passes through its knots
    for k, v in zip([0, 1, 2, 3], [0, 1, 0, 1]):
        assert abs(np.interp(k, xs, ys) - v) < 0.02


def test_hist_counts(tmp_path):
    gnuplot.pngfigure(str(tmp_path / "h.png"))
    data = torch.DoubleTensor([0, 0.1, 0.2, 0.9, 1.0, 0.5])
    h = gnuplot.hist(data, 4)
    assert h["counts"] == [3, 0, 1, 2] and h["bins"] == 4 and h["binwidth"] == 0.25
    assert h["max"] == 0 and h["min"] == 1
    np.testing.assert_allclose(h["centers"], [0.125, 0.375, 0.625, 0.875])
    n = torch.randn(2000)
    counts, _ = np.histogram(n.numpy(), bins=50, range=(float(n.min()), float(n.max())))
    assert gnuplot.hist(n, 50)["counts"] == counts.tolist()
    assert count(png(str(tmp_path / "h.png")), BLUE) > 3000


def test_imagesc_splot_and_other_files(tmp_path):
    z = torch.DoubleTensor(np.outer(np.linspace(-1, 1, 30), np.linspace(-1, 1, 30)))
    gnuplot.pngfigure(str(tmp_path / "i.png"))
    gnuplot.imagesc(z, "color")
    im = png(str(tmp_path / "i.png"))
    assert im.shape == (480, 640, 3) and len(np.unique(im.reshape(-1, 3), axis=0)) > 50
    gnuplot.pngfigure(str(tmp_path / "s.png"))
    gnuplot.splot(z)
    assert count(png(str(tmp_path / "s.png")), BLUE) > 500
    gnuplot.epsfigure(str(tmp_path / "e.eps"))
    gnuplot.plot(z[0])
    with open(str(tmp_path / "e.eps"), "rb") as f:
        assert f.read(4) == b"%!PS"
    gnuplot.pdffigure(str(tmp_path / "p.pdf"))
    gnuplot.plot(z[0])
    with open(str(tmp_path / "p.pdf"), "rb") as f:
        assert f.read(5) == b"%PDF-"
    gnuplot.figprint(str(tmp_path / "copy.png"))
    assert png(str(tmp_path / "copy.png")).shape == (480, 640, 3)
    with pytest.raises(TorchError):
        gnuplot.pngfigure(str(tmp_path / "no" / "dir.png"))
    with pytest.raises(TorchError):
        gnuplot.imagesc(z[0])


def test_settings_persist_and_window_figures(tmp_path, capsys):
    n = gnuplot.figure()
    gnuplot.title("before the plot")
    gnuplot.plot(torch.DoubleTensor([1, 3, 2]))
    gnuplot.axis([0, 5, "", ""])
    gnuplot.movelegend("left", "bottom")
    path = os.path.join(str(tmp_path / "display"), "figure%d.png" % n)
    assert path in capsys.readouterr().out and png(path).shape == (480, 640, 3)
    fig = gnuplot._figures[n]
    assert fig.title == "before the plot" and fig.xrange == (0.0, 5.0) and fig.yrange == (None, None)
    with pytest.raises(TorchError):
        gnuplot.movelegend("up", "top")
    gnuplot.close()
    gnuplot.plotflush()
    assert "no figure" in capsys.readouterr().out


def test_lua_gnuplot(tmp_path):
    rt = Runtime()
    path = str(tmp_path / "lua.png")
    rt.globals().path = path
    nb, bins, mx = rt.execute("""
        require 'gnuplot'
        local x = torch.linspace(-2 * math.pi, 2 * math.pi, 40)
        gnuplot.pngfigure(path)
        gnuplot.plot({'Cos', x / math.pi, torch.cos(x), '~'}, {'Sin', x / math.pi, torch.sin(x), '|'})
        gnuplot.grid('on')
        gnuplot.title('sin and cos')
        gnuplot.plotflush()
        local h = gnuplot.hist(torch.Tensor{1, 1, 1, 2, 3}, 2)
        gnuplot.close()
        return h[1].nb, h.bins, h.max""")
    assert (nb, bins, mx) == (3, 2, 1)       # 1-based fullest bin, as Torch7
    im = png(path)
    assert im.shape == (480, 640, 3) and count(im, BLUE) > 300
    with pytest.raises(LuaScriptError, match="expecting"):
        rt.execute("gnuplot.plot({'a', 'b'})")


def test_logger_plot_uses_gnuplot(tmp_path):
    name = str(tmp_path / "train.log")
    log = optim.Logger(name)
    log.setNames(["train", "test"])
    for i in range(6):
        log.add([1.0 / (i + 1), 1.2 / (i + 1)])
    log.style(["-", "+-"])
    log.file.close()
    assert log.plot() == name + ".png"
    im = png(name + ".png")
    assert im.shape == (480, 640, 3) and count(im, BLUE) > 300 and count(im, GREEN) > 300
    assert gnuplot._figures == {}            # the figure was closed
