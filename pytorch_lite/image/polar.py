"""``polar`` and ``logpolar`` (torch/image doc/simpletransform.md): resample an image on a polar
grid about its centre, angle down the rows and (log-)radius along the columns.  The arithmetic
is image.c's (Main_polar, polarBilinear, logPolar, logPolarBilinear): angles and radii in C
floats, positions in double, each sample passing through a C ``float``; pixels whose source
falls outside the image are 0.

Calling forms, Torch7's: ``polar([dst,] src[, interpolation[, mode]])``, interpolation 'simple'
(nearest, the default) or 'bilinear', mode 'valid' (the default: radius up to half the shorter
side) or 'full' (up to half the diagonal).  Without dst the result is CxNxN (N the longer side).
Torch7's Lua wrapper swapped the two defaults (so that ``image.polar(src)`` failed there); the
documented defaults are used here.
"""
import math

import numpy as np

from ..errors import TorchTypeError, TorchValueError
from ._util import F32, F64, as3d, check_tensor, from_intermediate, new_like, temp_dtype


def _parse(args, fn):
    n = len(args)
    dst = interp = mode = None
    if n == 4:
        dst, src, interp, mode = args
    elif n == 3 and isinstance(args[1], str):
        src, interp, mode = args
    elif n == 3:
        dst, src, interp = args
    elif n == 2 and isinstance(args[1], str):
        src, interp = args
    elif n == 2:
        dst, src = args
    elif n == 1:
        src = args[0]
    else:
        raise TorchValueError("%s: expected ([dst,] src[, interpolation[, mode]])" % fn)
    check_tensor(src, "src", fn)
    if dst is not None:
        check_tensor(dst, "dst", fn)
    interp = interp or "simple"
    mode = mode or "valid"
    if interp not in ("simple", "bilinear"):
        raise TorchValueError("interpolation must be one of: simple | bilinear")
    if mode not in ("valid", "full"):
        raise TorchValueError("mode must be one of: valid | full")
    if src.dim() not in (2, 3):
        raise TorchValueError("polar: src not 2 or 3 dimensional")
    if dst is None:
        n = max(src.size(src.dim() - 2), src.size(src.dim() - 1))
        dst = new_like(src, ((src.size(0),) if src.dim() == 3 else ()) + (n, n))
    if dst.dim() not in (2, 3):
        raise TorchValueError("polar: dst not 2 or 3 dimensional")
    if dst.dim() != src.dim() or (src.dim() == 3 and dst.size(0) != src.size(0)):
        raise TorchValueError("image.polar: src and dst depths do not match")
    if dst.dtype != src.dtype:
        raise TorchTypeError("%s: src and dst must have the same type" % fn)
    return dst, src, interp == "bilinear", mode == "full"


def _grid(sh, sw, dh, dw, full, log):
    """Per output pixel (angle row j, radius column i): the source position (y, x) in double."""
    mid_y = F32(float(F32(sh)) / 2.0)
    mid_x = F32(float(F32(sw)) / 2.0)
    if full:
        m = F32(math.sqrt(float(F32(F32(sw) * F32(sw) + F32(sh) * F32(sh)))) / 2.0)
    else:
        m = mid_x if sw < sh else mid_y
    a = ((2 * math.pi * np.arange(dh).astype(F32).astype(F64)) / float(F32(dh))).astype(F32)
    i = np.arange(dw).astype(F32)
    if log:
        fw = F32(math.log(float(m)) / float(F32(dw)))
        r = np.exp((i * fw).astype(F64)).astype(F32)
    else:
        r = (m * i) / F32(dw)
    r64 = r.astype(F64)[None, :]
    a64 = a.astype(F64)[:, None]
    y = r64 * np.cos(a64) + float(mid_y)
    x = (-r).astype(F64)[None, :] * np.sin(a64) + float(mid_x)
    return y, x


def _sample(src3, dst_dtype, y, x, bilinear, coord_dtype):
    """image.c's sampling: nearest (floor) or bilinear with a nearest fallback at the border."""
    c, sh, sw = src3.shape
    y = y.astype(coord_dtype)
    x = x.astype(coord_dtype)
    i0 = np.floor(x.astype(F64)).astype(np.int64)
    j0 = np.floor(y.astype(F64)).astype(np.int64)
    inside0 = (i0 >= 0) & (i0 <= sw - 1) & (j0 >= 0) & (j0 <= sh - 1)
    ic0, jc0 = np.clip(i0, 0, sw - 1), np.clip(j0, 0, sh - 1)
    s = src3.astype(F64)
    # the value goes through the kernel's `float val`
    val = np.where(inside0[None], s[:, jc0, ic0], 0.0).astype(F32)
    if bilinear:
        i1, j1 = i0 + 1, j0 + 1
        full = inside0 & (i1 <= sw - 1) & (j1 <= sh - 1)
        ic1, jc1 = np.clip(i1, 0, sw - 1), np.clip(j1, 0, sh - 1)
        wi = (x - i0.astype(coord_dtype)).astype(F64)
        wj = (y - j0.astype(coord_dtype)).astype(F64)
        bil = ((1.0 - wi) * (1.0 - wj) * s[:, jc0, ic0] + wi * (1.0 - wj) * s[:, jc0, ic1]
               + (1.0 - wi) * wj * s[:, jc1, ic0] + wi * wj * s[:, jc1, ic1]).astype(F32)
        val = np.where(full[None], bil, val)
    return from_intermediate(val.astype(temp_dtype(dst_dtype)), dst_dtype)


def _run(args, fn, log):
    dst, src, bilinear, full = _parse(args, fn)
    s = as3d(src.numpy())
    dh, dw = dst.size(dst.dim() - 2), dst.size(dst.dim() - 1)
    y, x = _grid(s.shape[1], s.shape[2], dh, dw, full, log)
    # the nearest kernels floor the double position; polarBilinear keeps it in temp_t,
    # logPolarBilinear in float
    coord = (F32 if log else temp_dtype(src.dtype)) if bilinear else F64
    out = _sample(s, dst.dtype, y, x, bilinear, coord)
    dst.numpy()[...] = out if dst.dim() == 3 else out[0]
    return dst


def polar(*args):
    """Polar transform of ``src``: row j is the angle 2*pi*j/H, column i the radius m*i/W."""
    return _run(args, "image.polar", False)


def logpolar(*args):
    """Log-polar transform: column i samples radius exp(i*log(m)/W)."""
    return _run(args, "image.logpolar", True)
