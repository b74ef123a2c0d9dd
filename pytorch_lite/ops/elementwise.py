"""Pointwise math (torch7 doc/maths.md, 'Pointwise functions'): abs, sign, neg, the libm functions,
round/ceil/floor/trunc/frac, sigmoid, rsqrt, cinv, pow (tensor^number and number^tensor), cpow,
atan2 and lerp.

The libm functions exist for Float and Double tensors only, as in Torch7; given a Lua number
instead of a tensor, ``torch.f(n)`` returns a number.  Special values follow TH: ``round`` rounds
half away from zero (C ``round``), ``sign`` of NaN is 0, ``frac(x) = x - trunc(x)``, ``pow`` takes
TH's exact shortcuts for the exponents 1, 2, 3, 0.5, -0.5, -1 and -2.
"""
import numpy as np

from .._decl import over, wrap
from ..convert import convert_array
from ._util import need_float, other, real, result_like, shares

_HALF_DOWN = {np.dtype(np.float64): np.nextafter(0.5, 0.0),
              np.dtype(np.float32): np.nextafter(np.float32(0.5), np.float32(0.0))}


def _round(a, ra):
    # trunc(x + copysign(0.5 - ulp/2, x)) is C's round for every finite x (ties away from zero)
    np.add(a, np.copysign(_HALF_DOWN[a.dtype], a), out=ra)
    np.trunc(ra, out=ra)


def _frac(a, ra):
    if shares(ra, a):
        np.subtract(a, np.trunc(a), out=ra)
    else:
        np.trunc(a, out=ra)
        np.subtract(a, ra, out=ra)


def _sigmoid(a, ra):
    np.negative(a, out=ra)
    np.exp(ra, out=ra)
    np.add(ra, 1, out=ra)
    np.reciprocal(ra, out=ra)


def _rsqrt(a, ra):
    np.sqrt(a, out=ra)
    np.reciprocal(ra, out=ra)


def _sign(a, ra):
    if a.dtype.kind == "u":
        np.greater(a, 0, out=ra)
        return
    np.sign(a, out=ra)
    if a.dtype.kind == "f" and ra.size:
        nan = np.isnan(ra)
        if nan.any():
            ra[nan] = 0          # TH: (t > 0) ? 1 : (t < 0 ? -1 : 0)


_FLOAT_FUNCS = {
    "log": np.log, "log1p": np.log1p, "exp": np.exp,
    "cos": np.cos, "acos": np.arccos, "cosh": np.cosh,
    "sin": np.sin, "asin": np.arcsin, "sinh": np.sinh,
    "tan": np.tan, "atan": np.arctan, "tanh": np.tanh,
    "sqrt": np.sqrt, "ceil": np.ceil, "floor": np.floor, "trunc": np.trunc,
    "round": _round, "frac": _frac, "sigmoid": _sigmoid, "rsqrt": _rsqrt, "cinv": np.reciprocal,
}


def _number(kernel):
    """The Lua-number overload: torch.exp(1) -> a number (computed as a double, like C)."""
    def impl(out, value):
        a = np.array([float(value)])
        kernel(a, a)
        return a[0].item()
    return impl


def _unary(name, kernel, floats_only):
    def impl(out, x):
        if floats_only:
            need_float(name, x)
        r = result_like(out, x)
        kernel(x._a, r._a)
        return r
    impl.__name__ = "_" + name
    return impl


for _name, _k in _FLOAT_FUNCS.items():
    if _name == "cinv":
        wrap(_name, over("T x", _unary(_name, _k, True)))
    else:
        wrap(_name, over("T x", _unary(_name, _k, True)), over("N x", _number(_k), returns="N"))

wrap("abs", over("T x", _unary("abs", np.abs, False)), over("N x", lambda out, v: abs(v), returns="N"))
wrap("neg", over("T x", _unary("neg", np.negative, False)))
wrap("sign", over("T x", _unary("sign", _sign, False)))


# -- pow, cpow, atan2, lerp ----------------------------------------------------------------------

def _pow_kernel(a, v, ra):
    if v == 1:
        np.copyto(ra, a)
    elif v == 2:
        np.multiply(a, a, out=ra)
    elif v == 3:
        if shares(ra, a):
            np.multiply(a * a, a, out=ra)
        else:
            np.multiply(a, a, out=ra)
            np.multiply(ra, a, out=ra)
    elif v == 0.5:
        np.sqrt(a, out=ra)
    elif v == -0.5:
        _rsqrt(a, ra)
    elif v == -1:
        np.reciprocal(a, out=ra)
    elif v == -2:
        np.multiply(a, a, out=ra)
        np.reciprocal(ra, out=ra)
    else:
        np.power(a, v, out=ra)


def _pow(out, x, value):
    need_float("pow", x)
    r = result_like(out, x)
    _pow_kernel(x._a, real(x, value), r._a)
    return r


def _tpow(out, value, x):
    need_float("pow", x)
    r = result_like(out, x)
    np.power(real(x, value), x._a, out=r._a)
    return r


def _pow_numbers(out, a, b):
    return np.power(np.float64(a), np.float64(b)).item()


def _cpow(out, x, y):
    b = other(x, y, "cpow")
    r = result_like(out, x)
    if x.dtype.kind == "f":
        np.power(x._a, b, out=r._a)
    else:  # C's pow on the values converted to double, truncated back
        p = np.power(x._a.astype(np.float64), b.astype(np.float64))
        r._a[...] = convert_array(p, x.dtype)
    return r


def _atan2(out, x, y):
    need_float("atan2", x)
    b = other(x, y, "atan2")
    r = result_like(out, x)
    np.arctan2(x._a, b, out=r._a)
    return r


def _atan2_numbers(out, a, b):
    return np.arctan2(np.float64(a), np.float64(b)).item()


def _lerp(out, x, y, weight):
    need_float("lerp", x)
    b = other(x, y, "lerp")
    d = np.subtract(b, x._a)                     # a + weight * (b - a), as TH_lerp
    np.multiply(d, real(x, weight), out=d)
    r = result_like(out, x)
    np.add(x._a, d, out=r._a)
    return r


def _lerp_numbers(out, a, b, weight):
    return a + weight * (b - a)


wrap("pow",
     over("T x, N value", _pow),
     over("N value, T x", _tpow),
     over("N x, N y", _pow_numbers, returns="N"))
wrap("cpow", over("T x, T y", _cpow))
wrap("atan2", over("T x, T y", _atan2), over("N x, N y", _atan2_numbers, returns="N"))
wrap("lerp", over("T x, T y, N weight", _lerp), over("N x, N y, N weight", _lerp_numbers, returns="N"))
