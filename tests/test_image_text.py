"""image.drawText: image.c's text layout (6x8 cells times size, '\\n' back to x, wrapping to
x = 0 when a cell would reach the right edge, a background filling whole cells, byte colours
as given and c / 255.0f in float tensors), clipping, and the font's glyphs being distinct."""
import numpy as np
import pytest

import pytorch_lite as lt
from pytorch_lite import image
from pytorch_lite.errors import TorchError
from pytorch_lite.image._font import GLYPHS


def expected(h, w, cells, size=1, fg=(10, 20, 30), bg=None, base=0):
    """The picture drawing glyph cells [(char, x, y)] gives, in numpy."""
    out = np.full((3, h, w), base, np.uint8)
    for ch, x, y in cells:
        cell = np.zeros((8, 6), bool)
        cell[:, :5] = GLYPHS[ord(ch)]
        cell = np.kron(cell, np.ones((size, size), bool))
        for r in range(cell.shape[0]):
            for c in range(cell.shape[1]):
                if 0 <= y + r < h and 0 <= x + c < w:
                    if cell[r, c]:
                        out[:, y + r, x + c] = fg
                    elif bg is not None:
                        out[:, y + r, x + c] = bg
    return out


def blank(h, w, cls=lt.ByteTensor):
    return cls(np.zeros((3, h, w)))


def test_cells_newline_and_background():
    got = image.drawText(blank(24, 30), "AB\nc", 3, 2, color=(10, 20, 30), bg=(1, 2, 3)).numpy()
    want = expected(24, 30, [("A", 3, 2), ("B", 9, 2), ("c", 3, 10)], bg=(1, 2, 3))
    assert np.array_equal(got, want)


def test_wrap_starts_again_at_column_0():
    got = image.drawText(blank(20, 20), "ABCD", 2, 1, color=(10, 20, 30)).numpy()
    want = expected(20, 20, [("A", 2, 1), ("B", 8, 1), ("C", 0, 9), ("D", 6, 9)])
    assert np.array_equal(got, want)
    nowrap = image.drawText(blank(20, 20), "ABCD", 2, 1, color=(10, 20, 30), wrap=False).numpy()
    assert np.array_equal(nowrap, expected(20, 20, [("A", 2, 1), ("B", 8, 1), ("C", 14, 1), ("D", 20, 1)]))


def test_size_scales_cells_and_pixels():
    got = image.drawText(blank(20, 40), "Hi", 1, 1, color=(10, 20, 30), size=2).numpy()
    assert np.array_equal(got, expected(20, 40, [("H", 1, 1), ("i", 13, 1)], size=2))


def test_float_colours_and_copies():
    src = blank(10, 10, lt.FloatTensor)
    got = image.drawText(src, "x", 0, 0, color=(255, 128, 0))
    mask = expected(10, 10, [("x", 0, 0)], fg=(1, 1, 1))[0] == 1
    assert got is not src and not src.numpy().any()
    a = got.numpy()
    assert np.array_equal(a[:, mask].T, np.tile(np.float32([255, 128, 0]) / np.float32(255), (mask.sum(), 1)))
    assert not a[:, ~mask].any()
    same = image.drawText(src, "x", 0, 0, inplace=True)
    assert same is src and src.numpy()[0, mask].all()


def test_whitespace_clipping_and_bad_input():
    src = blank(8, 8)
    assert not image.drawText(src, " \n\t ", 0, 0, bg=(9, 9, 9)).numpy().any()
    clipped = image.drawText(src, "W", 5, 4, color=(10, 20, 30), wrap=False).numpy()
    assert np.array_equal(clipped, expected(8, 8, [("W", 5, 4)]))
    with pytest.raises(TorchError, match="3 x H x W"):
        image.drawText(lt.ByteTensor(1, 8, 8), "a")


def test_glyphs():
    printable = [GLYPHS[c] for c in range(33, 127)]
    assert all(g.any() for g in printable) and not GLYPHS[32].any()
    assert len({g.tobytes() for g in printable}) == len(printable)       # all distinct
    assert (GLYPHS[200] == GLYPHS[7]).all() and GLYPHS[200][0].all()     # other bytes: a box
    assert not GLYPHS[ord("A")][7].any() and GLYPHS[ord("g")][7].any()  # only descenders use row 7
