"""require 'display' (szym/display's client, pix2pix and dcgan draw through it): windows become
files in $PYTORCH_LITE_DISPLAY_DIR; pixel values follow the client's rescaling to 0..1 and
display.images' layout, plots are the rows the client would send."""
import io
import os

import numpy as np
from PIL import Image

from lua_compat.runtime import Runtime


def run(code, tmp_path, monkeypatch):
    monkeypatch.setenv("PYTORCH_LITE_DISPLAY_DIR", str(tmp_path))
    out = io.StringIO()
    got = Runtime(stdout=out).execute("local disp = require 'display'\n" + code)
    return got, out.getvalue()


def pixels(path):
    return np.asarray(Image.open(path)).astype(float)


def test_image_is_rescaled_to_its_range_or_the_given_one(tmp_path, monkeypatch):
    got, out = run("""
        local x = torch.Tensor{{-2, 0, 1}, {2, 0.5, -1}}
        local a = disp.image(x:view(1, 2, 3), {win = 10, title = 'input'})
        local b = disp.image(x, {min = -4, max = 4, title = 'fixed'})
        local again = disp.image(x:view(1, 2, 3), {win = 10, title = 'input'})
        return a, b, again""", tmp_path, monkeypatch)
    assert got == (10, "pane_1", 10)
    v = np.array([[-2.0, 0.0, 1.0], [2.0, 0.5, -1.0]])
    np.testing.assert_allclose(pixels(tmp_path / "display_10.png"), 255 * (v + 2) / 4, atol=1)
    np.testing.assert_allclose(pixels(tmp_path / "display_pane_1.png"), 255 * (v + 4) / 8, atol=1)
    # each window is announced once, however often it is drawn
    assert out.count("display_10.png") == 1 and "'fixed' goes to" in out


def test_images_and_batches_are_laid_out_on_a_grey_canvas(tmp_path, monkeypatch):
    # three 2x2 grey images, two a row (ceil(sqrt(3))), the empty cell 0.5; then the canvas is
    # rescaled to its range (0..1 here, so unchanged)
    got, _ = run("""
        local list = {torch.zeros(2, 2), torch.ones(2, 2), torch.Tensor(2, 2):fill(0.25)}
        local batch = torch.Tensor(3, 1, 2, 2)
        for i = 1, 3 do batch[i][1]:copy(list[i]) end
        return disp.images(list, {win = 'a'}), disp.image(batch, {win = 'b'})""", tmp_path, monkeypatch)
    assert got == ("a", "b")
    want = np.kron(np.array([[0, 1], [0.25, 0.5]]), np.ones((2, 2))) * 255
    np.testing.assert_allclose(pixels(tmp_path / "display_a.png"), want, atol=1)
    np.testing.assert_allclose(pixels(tmp_path / "display_b.png"), want, atol=1)


def test_plot_writes_its_rows_and_redraws_its_window(tmp_path, monkeypatch):
    got, _ = run("""
        local w = disp.plot({{1, 0.5, 2}, {2, 0.25, 3}}, {labels = {'epoch', 'errL1', 'errG'}})
        local w2 = disp.plot(torch.Tensor{{1, 0.5}, {2, 0.25}, {3, 0.125}}, {labels = {'epoch', 'errL1'}, win = w})
        local t = disp.text('<b>hello</b>', {title = 'notes'})
        disp.configure({hostname = 'example.org', port = 9000})
        return w, w2, t, disp.url""", tmp_path, monkeypatch)
    assert got == ("pane_1", "pane_1", "pane_2", "http://example.org:9000/events")
    assert (tmp_path / "display_pane_1.csv").read_text() == "epoch,errL1\n1,0.5\n2,0.25\n3,0.125\n"
    assert (tmp_path / "display_pane_2.txt").read_text() == "<b>hello</b>"
    assert sorted(os.listdir(tmp_path)) == ["display_pane_1.csv", "display_pane_2.txt"]
