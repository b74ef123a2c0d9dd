"""``warp`` and ``affinetransform`` (torch/image doc/paramtransform.md).

``warp([dst,] src, field[, mode[, offset[, clamp_mode[, pad_value]]]])``: output pixel (y, x)
samples src at (y + field[0, y, x], x + field[1, y, x]) (without ``offset``, at the field's
values alone); mode 'bilinear' (default), 'simple' (nearest), 'bicubic' or 'lanczos' (radius 3);
clamp_mode 'clamp' (default: positions are clamped to the image) or 'pad' (outside positions
get pad_value, default 0).  The output has the field's height and width.

The arithmetic is image.c's Main_warp: the field is read into C floats, positions are floats,
bilinear weights are floats, bicubic taps beyond the border take pad_value (also in clamp
mode, as in Torch7), and values are stored as image.c stores them (ByteTensors round).
"""
import math

import numpy as np

from ..errors import TorchTypeError, TorchValueError
from . import _resample
from ._util import F32, F64, check_tensor, default_class, from_intermediate, new_like, temp_dtype, write

_MODES = ("simple", "bilinear", "bicubic", "lanczos")
_LANCZOS_RADIUS = 3


def _bilinear(s, iy, ix, tdt):
    c, sh, sw = s.shape
    x0 = np.floor(ix.astype(F64)).astype(np.int64)
    y0 = np.floor(iy.astype(F64)).astype(np.int64)
    x1, y1 = x0 + 1, y0 + 1
    # image.c's four areas, computed in float
    nw = ((x1.astype(F32) - ix) * (y1.astype(F32) - iy)).astype(tdt)
    ne = ((ix - x0.astype(F32)) * (y1.astype(F32) - iy)).astype(tdt)
    sw_ = ((x1.astype(F32) - ix) * (iy - y0.astype(F32))).astype(tdt)
    se = ((ix - x0.astype(F32)) * (iy - y0.astype(F32))).astype(tdt)
    x1c, y1c = np.minimum(x1, sw - 1), np.minimum(y1, sh - 1)
    t = s.astype(tdt)
    val = t[:, y0, x0] * nw + t[:, y0, x1c] * ne + t[:, y1c, x0] * sw_ + t[:, y1c, x1c] * se
    return val


def _bicubic(s, iy, ix, tdt, pad):
    c, sh, sw = s.shape
    ixt, iyt = ix.astype(tdt), iy.astype(tdt)
    xp = np.floor(ixt.astype(F64)).astype(np.int64)
    yp = np.floor(iyt.astype(F64)).astype(np.int64)
    dx = ixt - xp.astype(tdt)
    dy = iyt - yp.astype(tdt)
    t = s.astype(tdt)
    padv = np.asarray(pad).astype(tdt)
    rows = []
    for i in range(4):
        v = yp + i - 1
        taps = []
        for j in range(4):
            u = xp + j - 1
            out = (v < 0) | (v >= sh) | (u < 0) | (u >= sw)
            taps.append(np.where(out[None], padv, t[:, np.clip(v, 0, sh - 1), np.clip(u, 0, sw - 1)]))
        rows.append(_resample._cubic(*taps, np.broadcast_to(dx, taps[0].shape), tdt))
    return _resample._cubic(*rows, np.broadcast_to(dy, rows[0].shape), tdt)


def _lanczos_weights(pos, start):
    """L(x) for the 2*radius taps from ``start`` (image.c's formula in float)."""
    rad = _LANCZOS_RADIUS
    out = []
    for k in range(2 * rad):
        d = np.abs(pos - (start + k).astype(F32))
        pid = F32(math.pi) * d
        num = float(rad) * np.sin(pid.astype(F64)) * np.sin((pid / F32(rad)).astype(F64))
        den = (F32(math.pi * math.pi) * d * d).astype(F64)
        with np.errstate(divide="ignore", invalid="ignore"):
            w = (num / den).astype(F32)
        w = np.where(d < F32(0.000001), F32(1), np.where(d > F32(rad), F32(0), w))
        out.append(w)
    return out


def _lanczos(s, iy, ix, tdt):
    c, sh, sw = s.shape
    rad = _LANCZOS_RADIUS
    xp = np.floor(ix.astype(F64)).astype(np.int64)
    yp = np.floor(iy.astype(F64)).astype(np.int64)
    lu = _lanczos_weights(ix, xp - rad + 1)
    lv = _lanczos_weights(iy, yp - rad + 1)
    total = np.zeros(ix.shape, F32)
    for a in range(2 * rad):
        for b in range(2 * rad):
            total = total + lu[a] * lv[b]
    t = s.astype(tdt)
    result = np.zeros((c,) + ix.shape, tdt)
    for a in range(2 * rad):
        cu = np.clip(xp - rad + 1 + a, 0, sw - 1)
        for b in range(2 * rad):
            cv = np.clip(yp - rad + 1 + b, 0, sh - 1)
            result = result + t[:, cv, cu] * (lu[a] * lv[b]).astype(tdt)
    return result / total.astype(tdt)


def _store_pad(dtype, pad):
    """``(real)lua_tonumber``: a C cast of the pad value to the tensor's type."""
    dtype = np.dtype(dtype)
    if dtype.kind in "iu":
        return np.array(math.trunc(pad)).astype(dtype)
    return np.array(pad).astype(dtype)


def warp_array(s, field, mode, offset, pad_mode, pad):
    """The warp of a CxHxW array s by a 2xHoxWo float32 field; returns CxHoxWo of s's dtype."""
    c, sh, sw = s.shape
    tdt = temp_dtype(s.dtype)
    ho, wo = field.shape[1], field.shape[2]
    ys = np.arange(ho).astype(F32)[:, None]
    xs = np.arange(wo).astype(F32)[None, :]
    off = F32(1 if offset else 0)
    iy = off * ys + field[0]
    ix = off * xs + field[1]
    off_image = (iy < 0) | (iy > sh - 1) | (ix < 0) | (ix > sw - 1)
    ix = np.minimum(np.maximum(ix, F32(0)), F32(sw - 1))
    iy = np.minimum(np.maximum(iy, F32(0)), F32(sh - 1))
    padv = _store_pad(s.dtype, pad)
    if mode == "simple":
        xn = np.floor(ix.astype(F64) + 0.5).astype(np.int64)
        yn = np.floor(iy.astype(F64) + 0.5).astype(np.int64)
        out = s[:, yn, xn]
    elif mode == "bilinear":
        out = from_intermediate(_bilinear(s, iy, ix, tdt), s.dtype)
    elif mode == "bicubic":
        out = from_intermediate(_bicubic(s, iy, ix, tdt, padv), s.dtype)
    else:
        out = from_intermediate(_lanczos(s, iy, ix, tdt), s.dtype)
    if pad_mode:
        out = np.where(off_image[None], padv, out)
    return out.astype(s.dtype)


def _parse_tail(fn, rest, names):
    """mode, offset/translation, clamp_mode, pad_value from Torch7's positional tail."""
    vals = {"mode": "bilinear", names[1]: None, "clamp_mode": "clamp", "pad_value": 0}
    if len(rest) > 4:
        raise TorchValueError("%s: incorrect arguments" % fn)
    for k, v in zip(("mode", names[1], "clamp_mode", "pad_value"), rest):
        vals[k] = v
    if len(rest) >= 4 and vals["clamp_mode"] != "pad":
        raise TorchValueError('pad_value can only be specified if clamp_mode = "pad"')
    if vals["mode"] not in _MODES:
        raise TorchValueError("Incorrect arguments (mode is not lanczos | bicubic | bilinear | simple)!")
    if vals["clamp_mode"] not in ("clamp", "pad"):
        raise TorchValueError("Incorrect arguments (clamp_mode is not clamp | pad)!")
    pad = vals["pad_value"]
    if isinstance(pad, bool) or not isinstance(pad, (int, float)):
        raise TorchTypeError("%s: pad_value must be a number" % fn)
    return vals


def _split(args, fn):
    """([dst,] src, param, tail...): with a string third argument there is no dst."""
    if len(args) < 2:
        raise TorchValueError("%s: incorrect arguments" % fn)
    if len(args) == 2 or isinstance(args[2], str):
        dst, src, param, rest = None, args[0], args[1], args[2:]
    else:
        dst, src, param, rest = args[0], args[1], args[2], args[3:]
    check_tensor(src, "src", fn)
    if dst is not None:
        check_tensor(dst, "dst", fn)
        if dst.dtype != src.dtype:
            raise TorchTypeError("%s: src and dst must have the same type" % fn)
    if src.dim() not in (2, 3):
        raise TorchValueError("%s: src must be a HxW or KxHxW image" % fn)
    return dst, src, param, rest


def _finish(dst, src, out):
    dst = dst if dst is not None else new_like(src, ())
    write(dst, out)
    return dst.select(0, 0) if src.dim() == 2 else dst


def warp(*args):
    """Warp ``src`` by the (y, x) flow ``field`` (2xHxW); see the module doc."""
    dst, src, field, rest = _split(args, "image.warp")
    check_tensor(field, "field", "image.warp")
    vals = _parse_tail("image.warp", rest, ("mode", "offset"))
    offset = True if vals["offset"] is None else vals["offset"]
    if field.dim() != 3 or field.size(0) != 2:
        raise TorchValueError("image.warp: the field must be 2xHxW (y then x)")
    s = src.numpy()
    s = s[None] if s.ndim == 2 else s
    out = warp_array(s, field.numpy().astype(F32), vals["mode"], offset is not False and offset != 0,
                     vals["clamp_mode"] == "pad", vals["pad_value"])
    return _finish(dst, src, out)


def affinetransform(*args):
    """Apply the 2x2 (y, x) matrix about the image centre, after an extra (y, x) ``translation``
    (a 2-element tensor or list, default 0, 0); see the module doc for the other arguments."""
    import pytorch_lite as torch
    dst, src, matrix, rest = _split(args, "image.affinetransform")
    check_tensor(matrix, "matrix", "image.affinetransform")
    vals = _parse_tail("image.affinetransform", rest, ("mode", "translation"))
    if tuple(matrix.size()) != (2, 2):
        raise TorchValueError("image.affinetransform: matrix must be 2x2")
    h, w = src.size(src.dim() - 2), src.size(src.dim() - 1)
    cls = default_class()
    # Torch7 builds the field with tensor operations in the default type
    grid_y = torch.ger(torch.linspace(-1, 1, h), torch.ones(w))
    grid_x = torch.ger(torch.ones(h), torch.linspace(-1, 1, w))
    grid = cls(2, h, w)
    grid[0] = grid_y * ((h - 1) / 2) * -1
    grid[1] = grid_x * ((w - 1) / 2) * -1
    field = grid - torch.mm(matrix.type(cls.typename), grid.reshape(2, h * w)).reshape(2, h, w)
    t = vals["translation"]
    t = [0, 0] if t is None else (t.numpy().reshape(-1).tolist() if hasattr(t, "numpy") else list(t))
    if len(t) != 2:
        raise TorchValueError("image.affinetransform: translation must have 2 elements (y, x)")
    tt = cls(t)
    field[0] = field[0] - tt[0]
    field[1] = field[1] - tt[1]
    s = src.numpy()
    s = s[None] if s.ndim == 2 else s
    out = warp_array(s, field.numpy().astype(F32), vals["mode"], True, vals["clamp_mode"] == "pad",
                     vals["pad_value"])
    return _finish(dst, src, out)
