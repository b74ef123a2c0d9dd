"""Colour space conversions (torch/image doc/colorspace.md): ``rgb2yuv``, ``yuv2rgb``, ``rgb2y``,
``rgb2hsl``, ``hsl2rgb``, ``rgb2hsv``, ``hsv2rgb``, each ``f([dst,] src)`` on 3xHxW images.
YUV is Torch7's Lua code (tensor adds with the coefficient in the tensor's type); the others
follow image.c per pixel (temp_t precision; ByteTensors hold 0..255 and round when stored)."""
import numpy as np

from ..errors import TorchValueError
from ._util import F64, check_tensor, from_intermediate, new_like, temp_dtype, write


def _args(args, fn):
    if len(args) == 2:
        dst, src = args
    elif len(args) == 1:
        dst, src = None, args[0]
    else:
        raise TorchValueError("%s: expected ([dst,] src)" % fn)
    check_tensor(src, "src", fn)
    if src.dim() != 3 or src.size(0) < 3:
        raise TorchValueError("%s: expected a 3xHxW image" % fn)
    return (dst if dst is not None else new_like(src, ())), src


def _coef(c, dtype):
    """A Lua number passed as a tensor's ``real`` (integer types truncate)."""
    return np.dtype(dtype).type(int(c) if np.dtype(dtype).kind in "iu" else c)


def _mix(planes, terms, dtype):
    """out = start:add(c1, p1):add(c2, p2)... in the tensor's own arithmetic."""
    start, rest = terms[0], terms[1:]
    out = planes[start].copy() if isinstance(start, int) else np.zeros_like(planes[0])
    with np.errstate(over="ignore"):
        for c, i in rest:
            out = (out + _coef(c, dtype) * planes[i]).astype(dtype)
    return out


def rgb2yuv(*args):
    dst, src = _args(args, "image.rgb2yuv")
    p = src.numpy()
    d = src.dtype
    out = np.stack([_mix(p, [None, (0.299, 0), (0.587, 1), (0.114, 2)], d),
                    _mix(p, [None, (-0.14713, 0), (-0.28886, 1), (0.436, 2)], d),
                    _mix(p, [None, (0.615, 0), (-0.51499, 1), (-0.10001, 2)], d)])
    return write(dst, np.concatenate([out, p[3:]]) if p.shape[0] > 3 else out)


def yuv2rgb(*args):
    dst, src = _args(args, "image.yuv2rgb")
    p = src.numpy()
    d = src.dtype
    out = np.stack([_mix(p, [0, (1.13983, 2)], d),
                    _mix(p, [0, (-0.39465, 1), (-0.58060, 2)], d),
                    _mix(p, [0, (2.03211, 1)], d)])
    return write(dst, np.concatenate([out, p[3:]]) if p.shape[0] > 3 else out)


def rgb2y(*args):
    """Luma 0.299 R + 0.587 G + 0.114 B as a 1xHxW image."""
    dst, src = _args(args, "image.rgb2y")
    p = src.numpy()
    tdt = temp_dtype(src.dtype)
    r, g, b = (p[i].astype(tdt).astype(F64) for i in range(3))
    y = (0.299 * r + 0.587 * g + 0.114 * b).astype(tdt)
    return write(dst, from_intermediate(y, src.dtype)[None])


def _rgb_in(src):
    """r, g, b in temp_t (ByteTensors divided by 255 first)."""
    tdt = temp_dtype(src.dtype)
    p = src.numpy()[:3].astype(tdt)
    if src.dtype == np.uint8:
        p = p / tdt.type(255)
    return p[0], p[1], p[2], tdt


def _store3(dst, src, planes, tdt):
    out = np.stack(planes).astype(tdt)
    if src.dtype == np.uint8:
        out = out * tdt.type(255)
    rest = src.numpy()[3:]
    out = from_intermediate(out, src.dtype)
    return write(dst, np.concatenate([out, rest]) if rest.shape[0] else out)


def _hue(r, g, b, mx, d, tdt):
    """Hue in [0, 1) of image.c: by which channel is the largest (r first, then g)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        hr = (g - b) / d + np.where(g < b, tdt.type(6), tdt.type(0))
        hg = (b - r) / d + tdt.type(2)
        hb = (r - g) / d + tdt.type(4)
    h = np.where(mx == r, hr, np.where(mx == g, hg, hb))
    return (h / tdt.type(6)).astype(tdt)


def rgb2hsl(*args):
    dst, src = _args(args, "image.rgb2hsl")
    r, g, b, tdt = _rgb_in(src)
    mx = np.maximum(np.maximum(r, g), b)
    mn = np.minimum(np.minimum(r, g), b)
    grey = mx == mn
    d = mx - mn
    h = np.where(grey, tdt.type(0), _hue(r, g, b, mx, d, tdt))
    l_c = (mx + mn) / tdt.type(2)
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.where(l_c > 0.5, d / (tdt.type(2) - mx - mn), d / (mx + mn))
    s = np.where(grey, tdt.type(0), s)
    l_ = np.where(grey, mx, l_c)
    return _store3(dst, src, [h, s, l_], tdt)


def _hue2rgb(p, q, t, tdt):
    """image.c's hue2rgb; its 6. and 2./3 are doubles, so those branches compute in double."""
    t = np.where(t < 0, t + tdt.type(1), t)
    t = np.where(t > 1, t - tdt.type(1), t)
    p64, q64, t64 = p.astype(F64), q.astype(F64), t.astype(F64)
    a = (p64 + (q64 - p64) * 6.0 * t64).astype(tdt)
    c = (p64 + (q64 - p64) * (2.0 / 3 - t64) * 6.0).astype(tdt)
    return np.where(t64 < 1.0 / 6, a, np.where(t64 < 0.5, q, np.where(t64 < 2.0 / 3, c, p)))


def hsl2rgb(*args):
    dst, src = _args(args, "image.hsl2rgb")
    h, s, l_, tdt = _rgb_in(src)
    q = np.where(l_ < 0.5, l_ * (tdt.type(1) + s), l_ + s - l_ * s)
    p = tdt.type(2) * l_ - q
    hr = (h.astype(F64) + 1.0 / 3).astype(tdt)
    hb = (h.astype(F64) - 1.0 / 3).astype(tdt)
    grey = s == 0
    r = np.where(grey, l_, _hue2rgb(p, q, hr, tdt))
    g = np.where(grey, l_, _hue2rgb(p, q, h, tdt))
    b = np.where(grey, l_, _hue2rgb(p, q, hb, tdt))
    return _store3(dst, src, [r, g, b], tdt)


def rgb2hsv(*args):
    dst, src = _args(args, "image.rgb2hsv")
    r, g, b, tdt = _rgb_in(src)
    mx = np.maximum(np.maximum(r, g), b)
    mn = np.minimum(np.minimum(r, g), b)
    grey = mx == mn
    d = mx - mn
    h = np.where(grey, tdt.type(0), _hue(r, g, b, mx, d, tdt))
    with np.errstate(divide="ignore", invalid="ignore"):
        s = np.where(grey, tdt.type(0), d / mx)
    return _store3(dst, src, [h, s, mx], tdt)


def hsv2rgb(*args):
    dst, src = _args(args, "image.hsv2rgb")
    h, s, v, tdt = _rgb_in(src)
    i = np.floor(h.astype(F64) * 6.0).astype(np.int64)
    f = h * tdt.type(6) - i.astype(tdt)
    one = tdt.type(1)
    p = v * (one - s)
    q = v * (one - f * s)
    t = v * (one - (one - f) * s)
    k = np.fmod(i, 6)   # C's %: a negative hue falls to the default case (black)
    choose = [(k == 0, (v, t, p)), (k == 1, (q, v, p)), (k == 2, (p, v, t)),
              (k == 3, (p, q, v)), (k == 4, (t, p, v)), (k == 5, (v, p, q))]
    zero = np.zeros_like(v)
    planes = [np.select([c for c, _ in choose], [vals[j] for _, vals in choose], zero) for j in range(3)]
    return _store3(dst, src, planes, tdt)
