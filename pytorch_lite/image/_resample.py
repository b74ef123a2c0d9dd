"""image.c's resampling loops (scaleSimple/Bilinear/Bicubic, rotate, rotateBilinear), vectorized
over rows and channels but with the C code's arithmetic: its ``float`` variables stay float32,
double literals promote, and stored values go through ``from_intermediate``.  Every function
takes and returns numpy arrays of the tensor's dtype, shaped CxHxW (C >= 1)."""
import math

import numpy as np

from ._util import F32, F64, from_intermediate, temp_dtype


def _work(dtype):
    """The dtype a ``float`` weight times a ``real`` source value computes in."""
    return np.dtype(F64) if np.dtype(dtype) == F64 else np.dtype(F32)


def _linear_line(src, dst_len, dtype):
    """scaleLinear_rowcol along the last axis of src (..., src_len) -> (..., dst_len)."""
    src_len = src.shape[-1]
    out = np.empty(src.shape[:-1] + (dst_len,), dtype=dtype)
    if dst_len == src_len:
        out[...] = src
        return out
    work = _work(dtype)
    if dst_len > src_len:
        if src_len == 1:
            out[..., :-1] = src[..., :1]
        else:
            scale = F32(src_len - 1) / F32(dst_len - 1)
            si_f = np.arange(dst_len - 1).astype(F32) * scale
            si_i = si_f.astype(np.int64)
            si_f = si_f - si_i.astype(F32)
            hi = np.minimum(si_i + 1, src_len - 1)
            s = src.astype(work)
            val = (F32(1) - si_f) * s[..., si_i] + si_f * s[..., hi]
            out[..., :-1] = from_intermediate(val, dtype)
        out[..., -1] = src[..., -1]
        return out
    # shrinking: each output averages the input span it covers, partial pixels weighted
    scale = F32(src_len) / F32(dst_len)
    s = src.astype(work)
    si0_i, si0_f = 0, F32(0)
    for di in range(dst_len):
        si1_f = F32(di + 1) * scale
        si1_i = int(si1_f)
        si1_f = F32(si1_f - F32(si1_i))
        acc = ((F32(1) - si0_f) * s[..., si0_i]).astype(F32)
        n = F32(1) - si0_f
        for si in range(si0_i + 1, si1_i):
            acc = (acc.astype(work) + s[..., si]).astype(F32)
            n = F32(n + F32(1))
        if si1_i < src_len:
            acc = (acc.astype(work) + (si1_f * s[..., si1_i])).astype(F32)
            n = F32(n + si1_f)
        out[..., di] = from_intermediate(acc / n, dtype)
        si0_i, si0_f = si1_i, si1_f
    return out


def _cubic(p0, p1, p2, p3, x, tdt):
    """Main_cubicInterpolate in temp_t; its 0.5 is a double, so the last steps are double."""
    a0 = p1
    a1 = p2 - p0
    a2 = tdt.type(2) * p0 - tdt.type(5) * p1 + tdt.type(4) * p2 - p3
    a3 = tdt.type(3) * (p1 - p2) + p3 - p0
    xt = x.astype(tdt)
    inner = a1 + xt * (a2 + xt * a3)
    return (a0.astype(F64) + 0.5 * xt.astype(F64) * inner.astype(F64)).astype(tdt)


def _cubic_line(src, dst_len, dtype):
    """scaleCubic_rowcol along the last axis."""
    src_len = src.shape[-1]
    out = np.empty(src.shape[:-1] + (dst_len,), dtype=dtype)
    if dst_len == src_len:
        out[...] = src
        return out
    if src_len == 1:
        # Torch7 leaves the last element unset here (uninitialized memory); it gets the value too
        out[...] = src[..., :1]
        return out
    tdt = temp_dtype(dtype)
    scale = F32(src_len - 1) if dst_len == 1 else F32(src_len - 1) / F32(dst_len - 1)
    si_f = np.arange(dst_len - 1).astype(F32) * scale
    si_i = si_f.astype(np.int64)
    si_f = si_f - si_i.astype(F32)
    s = src.astype(tdt)
    p1 = s[..., si_i]
    p2 = s[..., np.minimum(si_i + 1, src_len - 1)]
    p0 = np.where(si_i > 0, s[..., np.maximum(si_i - 1, 0)], tdt.type(2) * p1 - p2)
    p3 = np.where(si_i + 2 < src_len, s[..., np.minimum(si_i + 2, src_len - 1)], tdt.type(2) * p2 - p1)
    out[..., :-1] = from_intermediate(_cubic(p0, p1, p2, p3, si_f, tdt), dtype)
    out[..., -1] = src[..., -1]
    return out


def _separable(src, height, width, line):
    """Rows first into a temporary of the tensor's type, then columns (as image.c does)."""
    dtype = src.dtype
    tmp = line(src, width, dtype)
    out = line(np.swapaxes(tmp, -1, -2), height, dtype)
    return np.ascontiguousarray(np.swapaxes(out, -1, -2))


def scale_bilinear(src, height, width):
    return _separable(src, height, width, _linear_line)


def scale_bicubic(src, height, width):
    return _separable(src, height, width, _cubic_line)


def scale_simple(src, height, width):
    """Nearest neighbour: output pixel i reads input floor(i * src_w / dst_w) (float32 math);
    the value passes through a C float, so a DoubleTensor is rounded to float precision."""
    c, sh, sw = src.shape
    scx = F32(sw) / F32(width)
    scy = F32(sh) / F32(height)
    ii = np.minimum((np.arange(width).astype(F32) * scx).astype(np.int64), sw - 1)
    jj = np.minimum((np.arange(height).astype(F32) * scy).astype(np.int64), sh - 1)
    val = src[:, jj[:, None], ii[None, :]].astype(F32)
    return from_intermediate(val, src.dtype)


def _c_round(x):
    """C's round(): halves away from zero (numpy's round goes to even)."""
    x = x.astype(F64)
    return np.copysign(np.floor(np.abs(x) + 0.5), x)


def rotate_simple(src, theta):
    """Main_rotate: each output pixel takes the nearest source pixel of the inverse rotation
    about the image centre; pixels falling outside are 0."""
    c, h, w = src.shape
    theta = F32(theta)
    sin_t, cos_t = F32(math.sin(float(theta))), F32(math.cos(float(theta)))
    xc, yc = F32((w - 1) / 2.0), F32((h - 1) / 2.0)
    jd = np.arange(h).astype(F32)[:, None]
    id_ = np.arange(w).astype(F32)[None, :]
    ii = _c_round(cos_t * (id_ - xc) - sin_t * (jd - yc) + xc).astype(np.int64)
    jj = _c_round(cos_t * (jd - yc) + sin_t * (id_ - xc) + yc).astype(np.int64)
    ii, jj = np.broadcast_arrays(ii, jj)
    outside = (ii > w - 1) | (jj > h - 1) | (ii < 0) | (jj < 0)
    val = src[:, np.clip(jj, 0, h - 1), np.clip(ii, 0, w - 1)].astype(F32)
    val = np.where(outside[None], F32(0), val)
    return from_intermediate(val, src.dtype)


def rotate_bilinear(src, theta):
    """Main_rotateBilinear: bilinear interpolation of the inverse rotation; a pixel whose
    neighbours leave the image takes the nearest edge pixel within half a pixel, else 0."""
    c, h, w = src.shape
    tdt = temp_dtype(src.dtype)
    theta = float(F32(theta))
    xc, yc = F32((w - 1) / 2.0), F32((h - 1) / 2.0)
    jd = np.arange(h).astype(F32)[:, None]
    id_ = np.arange(w).astype(F32)[None, :]
    ri = (math.cos(theta) * (id_ - xc).astype(F64) - math.sin(theta) * (jd - yc).astype(F64)).astype(tdt)
    rj = (math.cos(theta) * (jd - yc).astype(F64) + math.sin(theta) * (id_ - xc).astype(F64)).astype(tdt)
    ri, rj = np.broadcast_arrays(ri, rj)
    xs = ri + xc.astype(tdt)
    ys = rj + yc.astype(tdt)
    ii0 = np.floor(xs.astype(F64)).astype(np.int64)
    jj0 = np.floor(ys.astype(F64)).astype(np.int64)
    ii1, jj1 = ii0 + 1, jj0 + 1
    wi = xs - ii0.astype(tdt)
    wj = ys - jj0.astype(tdt)
    zero = np.zeros(ri.shape, dtype=bool)
    m = (ii1 == w) & (wi < 0.5)
    zero |= ~m & (ii1 >= w)
    ii1 = np.where(m, ii0, ii1)
    m = (jj1 == h) & (wj < 0.5)
    zero |= ~m & (jj1 >= h)
    jj1 = np.where(m, jj0, jj1)
    m = (ii0 == -1) & (wi > 0.5)
    zero |= ~m & (ii0 < 0)
    ii0 = np.where(m, ii1, ii0)
    m = (jj0 == -1) & (wj > 0.5)
    zero |= ~m & (jj0 < 0)
    jj0 = np.where(m, jj1, jj0)
    i0, i1 = np.clip(ii0, 0, w - 1), np.clip(ii1, 0, w - 1)
    j0, j1 = np.clip(jj0, 0, h - 1), np.clip(jj1, 0, h - 1)
    s = src.astype(F64)
    wi64, wj64 = wi.astype(F64), wj.astype(F64)
    val = ((1.0 - wi64) * (1.0 - wj64) * s[:, j0, i0] + wi64 * (1.0 - wj64) * s[:, j0, i1]
           + (1.0 - wi64) * wj64 * s[:, j1, i0] + wi64 * wj64 * s[:, j1, i1]).astype(F32)
    val = np.where(zero[None], F32(0), val)
    return from_intermediate(val.astype(tdt), src.dtype)
