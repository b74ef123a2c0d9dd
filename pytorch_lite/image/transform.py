"""Simple transformations (torch/image doc/simpletransform.md): crop, translate, scale, rotate,
hflip, vflip, flip.  The calling forms are Torch7's, an optional destination tensor first:
``crop([dst,] src, x1, y1, [x2, y2])``, ``crop([dst,] src, 'c'|'tl'|'tr'|'bl'|'br', w, h)``,
``scale(src, w, h[, mode])``, ``scale(src, 'WxH'|'MAX'|'^MIN'|'*SC'|'*n/d'|number[, mode])``,
``scale(dst, src[, mode])``, ``rotate([dst,] src, theta[, mode])``, ``flip([dst,] src, dim)``.
Pixel coordinates are 0-based in Torch7 already (x1, y1 inclusive, x2, y2 exclusive); only
``flip``'s dimension is 0-based here where Lua's is 1-based.
"""
import math
import re

import numpy as np

from ..errors import TorchTypeError, TorchValueError
from . import _resample
from ._util import F32, as3d, c_long, check_tensor, from_intermediate, image_dims, is_tensor, new_like, write


def _store(dst, src, arr):
    """Write a CxHxW result into dst, as HxW when src was 2D."""
    return write(dst, arr[0] if src.dim() == 2 else arr)


def _crop_no_scale(src, dst, x, y):
    """cropNoScale: copy the dst-sized window at (x, y) of src into dst (through a C float)."""
    x, y = c_long(x, "x", "image.crop"), c_long(y, "y", "image.crop")
    c, h, w = image_dims(src, "image.crop")
    dc, dh, dw = image_dims(dst, "image.crop")
    if x < 0 or y < 0 or x + dw > w or y + dh > h:
        raise TorchValueError("image.crop: crop goes outside bounds of src")
    if dst.dim() == 3 and (c or 1) != dc:
        raise TorchValueError("image.crop: src and dst depths do not match")
    win = as3d(src.numpy())[:, y:y + dh, x:x + dw].astype(F32)
    out = from_intermediate(win, dst.dtype)
    dst.numpy()[...] = out if dst.dim() == 3 else out.reshape(dh, dw)
    return dst


_CORNERS = ("c", "tl", "tr", "bl", "br")


def crop(*args):
    """Crop ``src`` to the box x1 <= x < x2, y1 <= y < y2 (or a width x height box placed by
    'c', 'tl', 'tr', 'bl', 'br'); with a ``dst`` the box is rescaled (bilinear) into dst."""
    n = len(args)
    dst = None
    fmt = None
    if n == 6:
        dst, src, x1, y1, x2, y2 = args
    elif n == 5 and isinstance(args[2], str):
        dst, src, fmt, w, h = args
    elif n == 5:
        src, x1, y1, x2, y2 = args
    elif n == 4 and isinstance(args[1], str):
        src, fmt, w, h = args
    elif n == 4:
        dst, src, x1, y1 = args
        x2 = y2 = None
    else:
        raise TorchValueError("image.crop: expected ([dst,] src, x1, y1, [x2, y2]) or "
                              "([dst,] src, 'c'|'tl'|'tr'|'bl'|'br', width, height)")
    check_tensor(src, "src", "image.crop")
    if fmt is not None:
        _, ih, iw = image_dims(src, "image.crop")
        if fmt == "c":
            x1, y1 = math.floor((iw - w) / 2), math.floor((ih - h) / 2)
        elif fmt == "tl":
            x1, y1 = 0, 0
        elif fmt == "tr":
            x1, y1 = iw - w, 0
        elif fmt == "bl":
            x1, y1 = 0, ih - h
        elif fmt == "br":
            x1, y1 = iw - w, ih - h
        else:
            raise TorchValueError('crop format must be "c"|"tl"|"tr"|"bl"|"br"')
        return crop(dst, src, x1, y1, x1 + w, y1 + h)
    if x2 is None:
        if dst is None:
            raise TorchValueError("image.crop: give the end point (x2, y2) or a destination tensor")
        return _crop_no_scale(src, check_tensor(dst, "dst", "image.crop"), x1, y1)
    hw = (c_long(y2 - y1), c_long(x2 - x1))
    if hw[0] < 0 or hw[1] < 0:
        raise TorchValueError("image.crop: crop goes outside bounds of src")
    x = new_like(src, ((src.size(0),) if src.dim() > 2 else ()) + hw)
    _crop_no_scale(src, x, x1, y1)
    if dst is None:
        return x
    scale(dst, x)
    return dst


def translate(*args):
    """``translate([dst,] src, x, y)``: shift the image by whole pixels; uncovered pixels are 0."""
    if len(args) == 4:
        dst, src, x, y = args
    elif len(args) == 3:
        dst = None
        src, x, y = args
    else:
        raise TorchValueError("image.translate: expected ([dst,] src, x, y)")
    check_tensor(src, "src", "image.translate")
    x, y = c_long(x, "x", "image.translate"), c_long(y, "y", "image.translate")
    s = as3d(src.numpy())
    out = np.zeros_like(s)
    c, h, w = s.shape
    ys, yd = (slice(0, max(h - y, 0)), slice(y, h)) if y >= 0 else (slice(-y, h), slice(0, max(h + y, 0)))
    xs, xd = (slice(0, max(w - x, 0)), slice(x, w)) if x >= 0 else (slice(-x, w), slice(0, max(w + x, 0)))
    out[:, yd, xd] = s[:, ys, xs]
    return _store(dst if dst is not None else new_like(src, ()), src, out)


def _parse_size(size, ih, iw):
    """Torch7's size strings: a number or 'MAX' (longest side), 'WxH', '^MIN' (shortest side),
    '*n/d' and '*SC' (scale factors)."""
    omax = _tonumber(size)
    if omax is not None:
        imax = max(iw, ih)
        return ih * omax / imax, iw * omax / imax
    if not isinstance(size, str):
        raise TorchTypeError("image.scale: size must be a number or a string")
    m = re.search(r"(\d+)x(\d+)", size)
    if m:
        return int(m.group(2)), int(m.group(1))
    m = re.search(r"\^(\d+)", size)
    if m:
        omin, imin = int(m.group(1)), min(iw, ih)
        return ih * omin / imin, iw * omin / imin
    m = re.search(r"\*(\d+)/(\d+)", size)
    if m:
        n, d = int(m.group(1)), int(m.group(2))
        return ih * n / d, iw * n / d
    m = re.search(r"\*(.+)", size)
    if m and _tonumber(m.group(1)) is not None:
        sc = _tonumber(m.group(1))
        return ih * sc, iw * sc
    raise TorchValueError("image.scale: could not find valid dest size in %r" % (size,))


def _tonumber(v):
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return v
    if isinstance(v, str):
        try:
            return float(v) if not v.strip().lstrip("+-").isdigit() else int(v)
        except ValueError:
            return None
    return None


_MODES = {"bilinear": _resample.scale_bilinear, "bicubic": _resample.scale_bicubic,
          "simple": _resample.scale_simple}


def scale(*args):
    """Rescale ``src`` (HxW or CxHxW) with Torch7's own interpolation ('bilinear', the default,
    'bicubic' or 'simple' nearest neighbour); see the module doc for the calling forms."""
    n = len(args)
    dst = width = height = size = mode = None
    if n == 4:
        src, width, height, mode = args
    elif n == 3 and isinstance(args[2], str):
        if isinstance(args[1], (str, int, float)) and not is_tensor(args[1]):
            src, size, mode = args
        else:
            dst, src, mode = args
    elif n == 3:
        src, width, height = args
    elif n == 2:
        if isinstance(args[1], (str, int, float)):
            src, size = args
        else:
            dst, src = args
    else:
        raise TorchValueError("image.scale: expected (src, width, height[, mode]), (src, size[, mode]) "
                              "or (dst, src[, mode])")
    check_tensor(src, "src", "image.scale")
    _, ih, iw = image_dims(src, "image.scale")
    if size is not None:
        height, width = _parse_size(size, ih, iw)
    fn = _MODES.get(mode or "bilinear")
    if fn is None:
        raise TorchValueError("mode must be one of: simple | bicubic | bilinear")
    if dst is None:
        if width is None or height is None:
            raise TorchValueError("could not find valid dest size")
        height, width = max(c_long(height, "height", "image.scale"), 1), max(c_long(width, "width", "image.scale"), 1)
        dst = new_like(src, ((src.size(0),) if src.dim() == 3 else ()) + (height, width))
    else:
        check_tensor(dst, "dst", "image.scale")
        dc, height, width = image_dims(dst, "image.scale")
        if dst.dim() != src.dim() or (dc is not None and dc != src.size(0)):
            raise TorchValueError("image.scale: src and dst depths do not match")
    if dst.dtype != src.dtype:
        raise TorchTypeError("image.scale: src and dst must have the same type")
    out = fn(as3d(src.numpy()), height, width)
    dst.numpy()[...] = out if dst.dim() == 3 else out[0]
    return dst


def rotate(*args):
    """``rotate([dst,] src, theta[, mode])``: rotate by theta radians about the centre,
    'simple' (nearest, the default) or 'bilinear'; corners that come from outside are 0."""
    n = len(args)
    dst = mode = None
    if n == 4:
        dst, src, theta, mode = args
    elif n == 3 and not is_tensor(args[1]):
        src, theta, mode = args
    elif n == 3:
        dst, src, theta = args
    elif n == 2:
        src, theta = args
    else:
        raise TorchValueError("image.rotate: expected ([dst,] src, theta[, mode])")
    check_tensor(src, "src", "image.rotate")
    image_dims(src, "image.rotate")
    if isinstance(theta, bool) or not isinstance(theta, (int, float)):
        raise TorchTypeError("image.rotate: theta must be a number (radians)")
    if dst is not None and dst.storage() is src.storage() and dst.storageOffset() == src.storageOffset():
        raise TorchValueError("image.rotate: in-place rotate not supported")
    mode = mode or "simple"
    if mode == "simple":
        out = _resample.rotate_simple(as3d(src.numpy()), theta)
    elif mode == "bilinear":
        out = _resample.rotate_bilinear(as3d(src.numpy()), theta)
    else:
        raise TorchValueError("mode must be one of: simple | bilinear")
    return _store(dst if dst is not None else new_like(src, ()), src, out)


def _dst_src(args, fn, extra=0):
    if len(args) == 2 + extra:
        return args[0], args[1], args[2:]
    if len(args) == 1 + extra:
        return None, args[0], args[1:]
    raise TorchValueError("%s: expected ([dst,] src%s)" % (fn, ", dim" if extra else ""))


def _flipped(args, fn, axis_of):
    dst, src, rest = _dst_src(args, fn, 1 if axis_of is None else 0)
    check_tensor(src, "src", fn)
    a = src.numpy()
    axis = axis_of(src) if axis_of is not None else rest[0]
    out = np.flip(a, axis).copy()
    dst = dst if dst is not None else new_like(src, ())
    return write(dst, out)


def hflip(*args):
    """``hflip([dst,] src)``: mirror left <-> right (the last dimension)."""
    return _flipped(args, "image.hflip", lambda s: s.dim() - 1)


def vflip(*args):
    """``vflip([dst,] src)``: mirror top <-> bottom (the second-last dimension)."""
    return _flipped(args, "image.vflip", lambda s: s.dim() - 2)


def flip(*args):
    """``flip([dst,] src, dim)``: reverse a tensor of up to 5 dims along ``dim`` (0-based here)."""
    dst, src, rest = _dst_src(args, "image.flip", 1)
    check_tensor(src, "src", "image.flip")
    dim = rest[0]
    if src.dim() > 5:
        raise TorchValueError("image.flip: too many input dims (up to 5D supported)")
    if isinstance(dim, bool) or not isinstance(dim, int) or not 0 <= dim < src.dim():
        raise TorchValueError("image.flip: bad flip dimension %r for a %dD tensor" % (dim, src.dim()))
    if dst is not None and dst.storage() is src.storage() and dst.storageOffset() == src.storageOffset() \
            and dst.nElement() > 0:
        raise TorchValueError("image.flip: in-place flip not supported")
    out = np.flip(src.numpy(), dim).copy()
    return write(dst if dst is not None else new_like(src, ()), out)
