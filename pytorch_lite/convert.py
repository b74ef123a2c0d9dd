"""Element conversions between tensor types, following what Torch7's C casts do on x86_64.

Floating to integer conversion truncates toward zero.  Values that do not fit (and NaN) are
undefined behaviour in C; on x86_64 the hardware answers with the "integer indefinite" value
(INT32_MIN for the 32-bit conversion that gcc uses for char/short/int targets, INT64_MIN for
long), and narrower targets then keep the low bits.  We reproduce that explicitly rather than
relying on whatever numpy's vectorised casts happen to do.
"""
import numpy as np

_I32_MIN, _I32_MAX = -2 ** 31, 2 ** 31 - 1


def _float_to_int(src, dst_dtype):
    if dst_dtype == np.int64:
        with np.errstate(invalid="ignore"):
            bad = ~(np.abs(src) < 2.0 ** 63)  # catches NaN too
            out = np.trunc(np.where(bad, 0, src)).astype(np.int64)
        if bad.any():
            out[bad] = np.iinfo(np.int64).min
        return out
    with np.errstate(invalid="ignore"):
        t = np.trunc(src)
        bad = ~((t >= _I32_MIN) & (t <= _I32_MAX))
        out = np.where(bad, 0, t).astype(np.int32)
    if bad.any():
        out[bad] = _I32_MIN
    return out.astype(dst_dtype) if dst_dtype != np.int32 else out


def convert_array(src, dst_dtype):
    """A new array holding src converted to dst_dtype with Torch7's rules."""
    dst_dtype = np.dtype(dst_dtype)
    if src.dtype == dst_dtype:
        return src.copy()
    if src.dtype.kind == "f" and dst_dtype.kind in "iu":
        return _float_to_int(src, dst_dtype)
    with np.errstate(over="ignore", invalid="ignore"):
        return src.astype(dst_dtype)


def cast_into(dst, src):
    """dst[...] = src converted with Torch7's rules (shapes must broadcast)."""
    if type(dst) is not np.ndarray and type(src) is np.ndarray:
        dst[...] = convert_array(src, dst.dtype)   # a device dst (CuPy): converted on the host, copied over
        return
    if src.dtype == dst.dtype:
        np.copyto(dst, src, casting="unsafe")
    elif src.dtype.kind == "f" and dst.dtype.kind in "iu":
        np.copyto(dst, _float_to_int(src, dst.dtype), casting="unsafe")
    else:
        with np.errstate(over="ignore", invalid="ignore"):
            np.copyto(dst, src, casting="unsafe")
