"""``drawText`` (torch/image doc/drawing.md) with image.c's layout: each byte of the text is a
6x8 cell (a 5x8 glyph and a blank column) times ``size``; '\\n' starts a new line at x, '\\r' is
skipped, and with ``wrap`` a character that would reach the right edge starts a new line at
x = 0.  The glyphs are pytorch-lite's own font (``_font``), not Torch7's, so the letters'
shapes differ from Torch7's while their places and sizes are the same."""
import numpy as np

from ..errors import TorchTypeError, TorchValueError
from ._font import GLYPHS
from ._util import F32, check_tensor, c_long


def _colour(c, dtype, what):
    """drawPixel's value: bytes keep 0..255, other types store c / 255.0f."""
    try:
        r, g, b = (int(v) for v in c)
    except (TypeError, ValueError):
        raise TorchTypeError("image.drawText: %s must be 3 numbers (r, g, b) in 0..255" % what) from None
    if np.dtype(dtype) == np.uint8:
        return np.array([r, g, b]).astype(np.uint8)
    return (np.array([r, g, b], dtype=F32) / F32(255)).astype(dtype)


def drawText(src, text, x=1, y=1, color=(255, 0, 0), bg=None, size=1, wrap=True, inplace=False):
    """Draw ``text`` on a 3xHxW image with its first cell's top-left pixel at column x, row y
    (0-based pixel offsets, as image.c took them; Torch7's defaults 1, 1 kept); ``color`` and
    ``bg`` (the cells' background, none by default) are r, g, b in 0..255, ``size`` an integer
    magnification.  Returns a copy unless ``inplace``.  Pixels falling outside are clipped."""
    check_tensor(src, "src", "image.drawText")
    if src.dim() != 3 or src.size(0) != 3:
        raise TorchValueError("input image has to be a 3D tensor of shape 3 x H x W ")
    out = src if inplace else src.clone()
    if isinstance(text, str):
        text = text.encode("utf-8")
    elif not isinstance(text, (bytes, bytearray)):
        if text is None:
            return out
        raise TorchTypeError("image.drawText: text must be a string")
    if not text.rstrip(b" \t\n\r\f\v"):
        return out
    x, y = c_long(x, "x", "image.drawText"), c_long(y, "y", "image.drawText")
    size = c_long(size, "size", "image.drawText")
    fg = _colour(color, out.dtype, "color")
    bgc = None
    if bg is not None and not any(int(v) == -1 for v in bg):
        bgc = _colour(bg, out.dtype, "bg")
    a = out.numpy()
    _, h, w = a.shape
    cx, cy = x, y
    for c in text:
        if c == 10:
            cy += size * 8
            cx = x
            continue
        if c == 13:
            continue
        if wrap and cx + size * 6 >= w:
            cx = 0
            cy += size * 8
        _draw_cell(a, GLYPHS[c], cx, cy, size, fg, bgc)
        cx += size * 6
    return out


def _draw_cell(a, glyph, x, y, size, fg, bg):
    _, h, w = a.shape
    if x >= w or y >= h or x + 6 * size - 1 < 0 or y + 8 * size - 1 < 0:
        return
    cell = np.zeros((8, 6), bool)
    cell[:, :5] = glyph
    if size > 1:
        cell = np.repeat(np.repeat(cell, size, 0), size, 1)
    y0, x0 = max(y, 0), max(x, 0)
    y1, x1 = min(y + cell.shape[0], h), min(x + cell.shape[1], w)
    on = cell[y0 - y:y1 - y, x0 - x:x1 - x]
    region = a[:, y0:y1, x0:x1]
    region[:, on] = fg[:, None]
    if bg is not None:
        region[:, ~on] = bg[:, None]
