"""Display helpers (torch/image doc/gui.md, drawing.md): ``minmax``, ``toDisplayTensor``,
``display``, ``drawRect`` and ``window``.  There is no Qt window here: ``display`` lays the
images out as Torch7 does, writes the picture to a PNG file and prints where (the directory is
$PYTORCH_LITE_DISPLAY_DIR, else pytorch-lite-display under the system temp dir); ``window``
raises a clear error."""
import builtins
import itertools
import math
import os
import tempfile

import numpy as np

from ..errors import TorchRuntimeError, TorchTypeError, TorchValueError
from ._util import F32, check_tensor, default_class, from_array, is_tensor


def display_dir():
    d = os.environ.get("PYTORCH_LITE_DISPLAY_DIR") or os.path.join(tempfile.gettempdir(), "pytorch-lite-display")
    os.makedirs(d, exist_ok=True)
    return d


def _minmax_array(a, min=None, max=None, symm=False, saturate=False):
    """image.minmax's arithmetic on a float array, in place.  (min and max are Torch7's
    argument names here, so the builtins are reached as builtins.min/max.)"""
    if min is None and max is None:
        saturate = False
    fmin = 0
    if min is None:
        if symm:
            fmin = builtins.max(abs(a.min()), abs(a.max())) if a.size else 0
            min = -fmin
        else:
            min = a.min() if a.size else 0
    if min != 0:
        a += a.dtype.type(-min)
    if max is None:
        max = fmin * 2 if symm else (a.max() if a.size else 0)
    else:
        max = max - min
    if max != 0:
        a /= a.dtype.type(max)
    if saturate:
        np.clip(a, 0, 1, out=a)
    return a



def minmax(tensor, min=None, max=None, symm=False, inplace=False, saturate=False, tensorOut=None):
    """Rescale ``tensor`` to [0, 1] by (x - min) / (max - min), min and max defaulting to the
    tensor's own (``symm``: a range symmetric about 0); ``saturate`` clips to [0, 1].  The
    result is a new default-type tensor unless ``inplace`` or ``tensorOut`` say otherwise."""
    check_tensor(tensor, "tensor", "image.minmax")
    if tensorOut is not None:
        tensorOut.resize(*tuple(tensor.size()))
        tensorOut.numpy()[...] = tensor.numpy()
        out = tensorOut
    elif inplace:
        out = tensor
    else:
        out = from_array(default_class(), tensor.numpy())
    a = out.numpy()
    work = a if a.dtype.kind == "f" else a.astype(np.float64)
    _minmax_array(work, min, max, symm, saturate)
    if work is not a:
        a[...] = np.trunc(work)
    return out


def toDisplayTensor(input=None, padding=0, nrow=6, scaleeach=False, min=None, max=None,
                    symmetric=False, saturate=True):
    """One image holding a grid of images: ``input`` is a list of HxW / CxHxW tensors, a
    NxCxHxW tensor (C 1 or 3), a KxHxW stack of maps, or a single image; ``nrow`` images per
    row, ``padding`` pixels between them; the whole grid (or, with ``scaleeach``, each image)
    goes through ``minmax``."""
    if isinstance(input, (list, tuple)):
        if not input:
            raise TorchValueError("image.toDisplayTensor: empty list of images")
        first = check_tensor(input[0], "input[0]", "image.toDisplayTensor")
        nd = first.dim()
        c = 1 if nd == 2 else first.size(0)
        h, w = first.size(nd - 2), first.size(nd - 1)
        packed = np.empty((len(input), c, h, w), dtype=default_class().dtype)
        for i, img in enumerate(input):
            packed[i] = np.asarray(check_tensor(img, "input", "image.toDisplayTensor").numpy()).reshape(c, h, w)
    elif is_tensor(input):
        packed = input.numpy().astype(default_class().dtype)
    else:
        raise TorchTypeError("Unknown or incompatible type of input: %s" % type(input).__name__)
    cls = default_class()
    color_stack = packed.ndim == 4 and packed.shape[1] in (1, 3)
    if scaleeach and (color_stack or (packed.ndim == 3 and packed.shape[0] not in (1, 3))):
        for i in range(packed.shape[0]):
            _minmax_array(packed[i], min, max, symmetric, saturate)
    if packed.ndim == 2 or (packed.ndim == 3 and packed.shape[0] in (1, 3)):
        return from_array(cls, _minmax_array(packed, min, max, symmetric, saturate))
    if color_stack or packed.ndim == 3:
        maps = packed if color_stack else packed[:, None]
        nmaps = maps.shape[0]
        xmaps = builtins.max(builtins.min(int(nrow), nmaps), 1)
        ymaps = int(math.ceil(nmaps / xmaps))
        height, width = maps.shape[2] + padding, maps.shape[3] + padding
        grid = np.full((maps.shape[1], height * ymaps, width * xmaps), maps.max(), dtype=packed.dtype)
        for k, (y, x) in zip(range(nmaps), itertools.product(range(ymaps), range(xmaps))):
            y0 = int(math.floor(y * height + padding / 2))
            x0 = int(math.floor(x * width + padding / 2))
            grid[:, y0:y0 + maps.shape[2], x0:x0 + maps.shape[3]] = maps[k]
        if not color_stack:
            grid = grid[0]
    else:
        raise TorchValueError("packed must be a HxW or KxHxW or Kx3xHxW tensor, or a list of tensors")
    if not scaleeach:
        _minmax_array(grid, min, max, symmetric, saturate)
    return from_array(cls, grid)


_counter = itertools.count(1)


def display(image=None, zoom=1, min=None, max=None, legend="image.display", win=None, x=0, y=0,
            scaleeach=False, gui=True, offscreen=False, padding=0, symmetric=False, nrow=6,
            saturate=True):
    """Show image(s) as Torch7's image.display would lay them out: here, write a PNG and print
    its path.  ``win`` (a path a previous call returned) is written over; returns the path."""
    from .saveload import save
    from .transform import scale
    t = toDisplayTensor(input=image, padding=padding, nrow=nrow, saturate=saturate,
                        scaleeach=scaleeach, min=min, max=max, symmetric=symmetric)
    if not (t.dim() == 2 or (t.dim() == 3 and t.size(0) in (1, 3))):
        raise TorchValueError("image must be a HxW or KxHxW or Kx3xHxW tensor, or a list of tensors")
    if zoom and zoom != 1:
        h, w = t.size(t.dim() - 2), t.size(t.dim() - 1)
        t = scale(t, builtins.max(int(w * zoom), 1), builtins.max(int(h * zoom), 1), "simple")
    if isinstance(win, str) and win.endswith(".png"):
        path = win
    else:
        name = "".join(ch if ch.isalnum() else "-" for ch in str(legend)).strip("-") or "image"
        path = os.path.join(display_dir(), "%s-%d.png" % (name, next(_counter)))
    save(path, t)
    print("%s: no screen here; wrote %s" % (legend, path))
    return path


def drawRect(src, x1, y1, x2, y2, lineWidth=1, color=(255, 0, 0), inplace=False):
    """Draw the outline of the box with corners (x1, y1) and (x2, y2) (0-based pixel indices;
    Torch7's Lua took them 1-based) on a 3xHxW image, ``lineWidth`` pixels wide and centred
    on those pixels, ``color`` in 0..255; returns a copy unless ``inplace``."""
    check_tensor(src, "src", "image.drawRect")
    if src.dim() != 3 or src.size(0) != 3:
        raise TorchValueError("input image has to be a 3D tensor of shape 3 x H x W")
    out = src if inplace else src.clone()
    if None in (x1, y1, x2, y2):
        return out
    lw = int(lineWidth)
    # image.c's arithmetic works on Lua's 1-based coordinates
    x1, y1, x2, y2 = int(x1) + 1, int(y1) + 1, int(x2) + 1, int(y2) + 1
    _, h, w = out.numpy().shape
    lo = lw // 2 + 1
    up = lw - lo - 1
    x1l, y1l = builtins.max(0, x1 - lo), builtins.max(0, y1 - lo)
    x1u, y1u = builtins.max(0, builtins.min(w, x1 + up + 1)), builtins.max(0, builtins.min(h, y1 + up + 1))
    x2l, y2l = builtins.max(0, x2 - lo), builtins.max(0, y2 - lo)
    x2u, y2u = builtins.max(0, builtins.min(w, x2 + up + 1)), builtins.max(0, builtins.min(h, y2 + up + 1))
    cr, cg, cb = (int(c) for c in color)
    if out.dtype == np.uint8:
        val = np.array([cr, cg, cb]).astype(np.uint8)
    else:
        # drawPixel stores c / 255.0f: a float, whatever the tensor's type
        val = (np.array([cr, cg, cb], dtype=F32) / F32(255)).astype(out.dtype)
    a = out.numpy()
    v = val[:, None, None]
    a[:, y1l:y2u, x1l:x1u] = v
    a[:, y1l:y2u, x2l:x2u] = v
    a[:, y1l:y1u, x1l:x2u] = v
    a[:, y2l:y2u, x1l:x2u] = v
    return out


def window(hook_resize=None, hook_mousepress=None, hook_mousedoublepress=None):
    """Torch7 opened a Qt window here; pytorch-lite has no GUI."""
    raise TorchRuntimeError("image.window: pytorch-lite has no GUI (Torch7 needed qt/qtlua for it); "
                            "use image.display, which writes PNG files, or image.save")
