"""Colour space conversions (torch/image doc/colorspace.md): ``rgb2yuv``, ``yuv2rgb``, ``rgb2y``,
``rgb2hsl``, ``hsl2rgb``, ``rgb2hsv``, ``hsv2rgb``, ``rgb2lab``, ``lab2rgb``, ``rgb2nrgb``,
``y2jet``, each ``f([dst,] src)`` on 3xHxW images (y2jet: on an image of levels).
YUV and normalized RGB are Torch7's Lua code (tensor arithmetic in the tensor's type); the others
follow image.c per pixel (temp_t precision; ByteTensors hold 0..255 and round when stored; Lab
refuses ByteTensors as Torch7 did)."""
import numpy as np

from ..errors import TorchTypeError, TorchValueError
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


# -- Lab (image.c's rgb2lab/lab2rgb: sRGB, D65 white; float and double tensors only) ----------

_LAB_EPS = 216.0 / 24389.0
_LAB_K = 24389.0 / 27.0
_XN, _ZN = 0.950456, 1.088754


def _float_planes(src, fn):
    if src.dtype.kind != "f":
        raise TorchTypeError("%s: not supported for %s" % (fn, src.typename))
    p = src.numpy()
    return p[0], p[1], p[2], p.dtype


def _lab_f(t):
    return np.where(t > _LAB_EPS, np.power(t, 1 / 3.0), (_LAB_K * t + 16) / 116)


def rgb2lab(*args):
    """sRGB in [0, 1] -> CIE L*a*b* (not limited to [0, 1])."""
    dst, src = _args(args, "image.rgb2lab")
    r, g, b, dt = _float_planes(src, "image.rgb2lab")

    def expand(c):   # gamma_expand_sRGB returns a real: the tensor's precision
        c = c.astype(F64)
        return np.where(c <= 0.04045, c / 12.92, np.power((c + 0.055) / 1.055, 2.4)).astype(dt).astype(F64)
    r, g, b = expand(r), expand(g), expand(b)
    x = (0.412453 * r + 0.357580 * g + 0.180423 * b) / _XN
    y = 0.212671 * r + 0.715160 * g + 0.072169 * b
    z = (0.019334 * r + 0.119193 * g + 0.950227 * b) / _ZN
    fx, fy, fz = _lab_f(x), _lab_f(y), _lab_f(z)
    planes = [116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)]
    rest = src.numpy()[3:]
    return write(dst, np.concatenate([np.stack(planes).astype(dt), rest]))


def lab2rgb(*args):
    """CIE L*a*b* -> sRGB (in [0, 1] for colours inside the sRGB gamut)."""
    dst, src = _args(args, "image.lab2rgb")
    l_, a, b, dt = _float_planes(src, "image.lab2rgb")
    T = dt.type
    # image.c divides the real L, a, b by integer literals: those steps are in the tensor's type
    l16 = ((l_ + T(16)) / T(116)).astype(F64)
    fy = l16
    fz = fy - (b / T(200)).astype(F64)
    fx = (a / T(500)).astype(F64) + fy
    x = np.power(fx, 3)
    x = np.where(x <= _LAB_EPS, (116 * fx - 16) / _LAB_K, x)
    y = np.where(l_ > _LAB_K * _LAB_EPS, np.power(l16, 3), l_.astype(F64) / _LAB_K)
    z = np.power(fz, 3)
    z = np.where(z <= _LAB_EPS, (116 * fz - 16) / _LAB_K, z)
    x, z = x * _XN, z * _ZN
    lin = [3.2404542 * x - 1.5371385 * y - 0.4985314 * z,
           -0.9692660 * x + 1.8760108 * y + 0.0415560 * z,
           0.0556434 * x - 0.2040259 * y + 1.0572252 * z]

    def compress(c):   # the linear value is stored in a real before gamma_compress_sRGB
        c = c.astype(dt).astype(F64)
        with np.errstate(invalid="ignore"):
            return np.where(c <= 0.0031308, 12.92 * c, 1.055 * np.power(c, 1.0 / 2.4) - 0.055).astype(dt)
    rest = src.numpy()[3:]
    return write(dst, np.concatenate([np.stack([compress(c) for c in lin]), rest]))


def rgb2nrgb(*args):
    """Normalized RGB: each of R, G, B divided by R + G + B + 1e-6 (in the tensor's type)."""
    dst, src = _args(args, "image.rgb2nrgb")
    p = src.numpy()
    d = p.dtype
    with np.errstate(over="ignore"):
        total = (p[0] + p[1] + p[2]).astype(d) + _coef(1e-6, d)
    out = p.copy()
    with np.errstate(divide="ignore", invalid="ignore"):
        if d.kind == "f":
            out[:3] = p[:3] / total
        else:   # integer division as TH's cdiv; Torch7 crashed on a zero sum, 0 here
            out[:3] = np.where(total == 0, 0, p[:3] // np.where(total == 0, 1, total))
    return write(dst, out)


def y2jet(*args):
    """An image of levels 1..L (HxW, 1xHxW or a 1D row) as a 3xHxW jet heat map
    (``jetColormap(L)`` with L the largest level; ByteTensors get colours in 0..255)."""
    from .kernels import jetColormap
    if len(args) == 2:
        dst, src = args
    elif len(args) == 1:
        dst, src = None, args[0]
    else:
        raise TorchValueError("Invalid input for image.y2jet()")
    check_tensor(src, "src", "image.y2jet")
    a = src.numpy()
    if a.ndim == 3 and a.shape[0] == 1:
        a = a[0]
    if a.ndim == 1:
        a = a[None]
    if a.ndim != 2:
        raise TorchValueError("image.y2jet: expected an HxW, 1xHxW or 1D image of levels")
    levels = int(a.max()) if a.size else 0
    cmap = jetColormap(levels).numpy()
    if src.dtype == np.uint8:
        cmap = np.clip(_c_round(cmap * 255), 0, 255).astype(np.uint8)
    else:
        cmap = cmap.astype(src.dtype)
    ids = (a - a.dtype.type(1)).astype(np.int64) if a.dtype.kind == "f" else a.astype(np.int64) - 1
    if src.dtype == np.uint8:
        ids = ids % 256   # input - 1 is taken in the ByteTensor's own (wrapping) arithmetic
    if ids.size and (ids.min() < 0 or ids.max() >= levels):
        raise TorchValueError("image.y2jet: levels must be in 1..%d, the image's largest value" % levels)
    out = np.moveaxis(cmap[ids], 2, 0)
    return write(dst if dst is not None else new_like(src, ()), out)


def _c_round(x):
    """Lua's tensor:round(): halves away from zero."""
    return np.copysign(np.floor(np.abs(x) + 0.5), x)
