"""Basic arithmetic (torch7 doc/maths.md, 'Basic operations'): add, csub, mul, div, cmul, cdiv,
addcmul, addcdiv, fmod/remainder, clamp, cmax/cmin and the bitwise ops on integer types.

Every implementation writes into the numpy view of its result with ``out=``.  The element rules
are TH's: a number argument is first converted to the tensor's C type (integer types truncate and
wrap), integer division and fmod truncate toward zero, remainder takes the divisor's sign, and an
integer division by zero is an error (it kills a real Torch7 with SIGFPE).
"""
import numpy as np

from .. import _math, _small
from .._decl import over, wrap
from ._util import need_int, new_tensor, other, real, result_like, shares
from ..errors import TorchValueError

def _int_div(a, b, ra):
    """C division on integer arrays (truncates toward zero); b has no zeros."""
    m = np.fmod(a, b)
    np.subtract(a, m, out=m)       # exactly divisible by b now, so floor division is exact
    np.floor_divide(m, b, out=ra)


def _no_zero(name, b):
    if (b == 0) if np.ndim(b) == 0 else not b.all():
        raise TorchValueError("%s: integer division by zero" % name)


# -- tensor (op) number, tensor (op) tensor ----------------------------------------------------------
# The plain ufunc cases are written out flat: a method call on a small tensor is mostly overhead.
# Small float tensors whose result needs no allocation or resize take the compiled loops of
# csrc/_small.pyx (the same IEEE operations on the same elements); everything else, and every
# error, goes through numpy.
_SMALL_OPS = {np.add: _small.ADD, np.subtract: _small.SUB, np.multiply: _small.MUL, np.divide: _small.DIV}


def _scalar(ufunc, name):
    code = _SMALL_OPS.get(ufunc, -1)

    def impl(out, x, value):
        # in place first: _small takes only float tensors and the numbers real() passes unchanged
        if out is x and _small.scalar(code, x, x, value):
            return x
        v = real(x, value)
        if out is not x:
            if out is None:
                out = new_tensor(type(x), x._size)
            elif out._size != x._size:
                out.resize(*x._size)
            elif _small.scalar(code, out, x, v):
                return out
        ufunc(x._a, v, out=out._a)
        return out
    impl.__name__ = "_" + name
    return impl


def _pointwise(ufunc, name):
    code = _SMALL_OPS.get(ufunc, -1)

    def impl(out, x, y):
        if (out is x or (out is not None and out._size == x._size)) and _small.binary(code, out, x, y):
            return out
        b = y._a if y._size == x._size else other(x, y, name)
        if out is not x:
            if out is None:
                out = new_tensor(type(x), x._size)
            elif out._size != x._size:
                out.resize(*x._size)
        ufunc(x._a, b, out=out._a)
        return out
    impl.__name__ = "_" + name
    return impl


_add_tensor = _pointwise(np.add, "add")


def _axpy(r, a, value, b):
    """r = a + value * b (TH's cadd): fused (one rounding) on contiguous floating tensors, as TH's
    BLAS axpy / AVX2 path computes it; two roundings on strided ones, as TH's plain C loop."""
    ra = r._a
    if (type(ra) is np.ndarray and ra.dtype.kind == "f" and ra.dtype.itemsize >= 4   # CuPy: below
            and ra.flags.c_contiguous and a.flags.c_contiguous
            and b.flags.c_contiguous and ra.size and value not in (1, -1)):
        _math.fma_axpy(ra.reshape(-1), a.reshape(-1), ra.dtype.type(value), b.reshape(-1))
        return r
    if value == 1:
        np.add(a, b, out=ra)
    elif value == -1:
        np.subtract(a, b, out=ra)
    elif shares(ra, a):
        np.add(a, np.multiply(b, value), out=ra)
    else:
        np.multiply(b, value, out=ra)
        np.add(ra, a, out=ra)
    return r


def _add_scaled(out, x, value, y):
    b = other(x, y, "add")
    return _axpy(result_like(out, x), x._a, real(x, value), b)


_csub_scalar = _scalar(np.subtract, "csub")
_csub_tensor = _pointwise(np.subtract, "csub")


def _csub_scaled(out, x, value, y):
    b = other(x, y, "csub")
    return _axpy(result_like(out, x), x._a, -real(x, value), b)


_mul = _scalar(np.multiply, "mul")


def _div(out, x, value):
    v = real(x, value)
    r = result_like(out, x)
    if x.dtype.kind == "f":
        np.divide(x._a, v, out=r._a)
    else:
        _no_zero("div", v)
        _int_div(x._a, v, r._a)
    return r


_cmul = _pointwise(np.multiply, "cmul")


def _cdiv(out, x, y):
    b = other(x, y, "cdiv")
    r = result_like(out, x)
    if x.dtype.kind == "f":
        np.divide(x._a, b, out=r._a)
    else:
        _no_zero("cdiv", b)
        _int_div(x._a, b, r._a)
    return r


def _addc(name, combine):
    def impl(out, x, value, y, z):
        b = other(x, y, name)
        c = other(x, z, name)
        v = real(x, value)
        t = np.multiply(b, v) if v != 1 else b.copy()   # (value * src1) first, as TH does
        combine(t, c)
        r = result_like(out, x)
        np.add(x._a, t, out=r._a)
        return r

    def impl_default(out, x, y, z):
        return impl(out, x, 1, y, z)
    return impl, impl_default


def _mul_into(t, c):
    np.multiply(t, c, out=t)


def _div_into(t, c):
    if t.dtype.kind == "f":
        np.divide(t, c, out=t)
    else:
        _no_zero("addcdiv", c)
        _int_div(t, c, t)


def _fmod(out, x, value):
    v = real(x, value)
    r = result_like(out, x)
    if x.dtype.kind != "f":
        _no_zero("fmod", v)
    elif v == 0:
        r._a[...] = np.nan      # C's fmod(x, 0), without numpy's warning
        return r
    np.fmod(x._a, v, out=r._a)
    return r


def _cfmod(out, x, y):
    b = other(x, y, "cfmod")
    if x.dtype.kind != "f":
        _no_zero("cfmod", b)
    r = result_like(out, x)
    np.fmod(x._a, b, out=r._a)
    return r


def _float_remainder(a, b, ra):
    """a - b * floor(a / b) (NaN where b == 0 falls out of the formula)."""
    q = np.divide(a, b)
    np.floor(q, out=q)
    np.multiply(q, b, out=q)
    np.subtract(a, q, out=ra)


def _remainder(out, x, value):
    v = real(x, value)
    r = result_like(out, x)
    if x.dtype.kind == "f":
        if v == 0:
            r._a[...] = np.nan
        else:
            _float_remainder(x._a, v, r._a)
    else:
        _no_zero("remainder", v)
        np.remainder(x._a, v, out=r._a)
    return r


def _cremainder(out, x, y):
    b = other(x, y, "cremainder")
    r = result_like(out, x)
    if x.dtype.kind == "f":
        _float_remainder(x._a, b, r._a)
    else:
        _no_zero("cremainder", b)
        np.remainder(x._a, b, out=r._a)
    return r


def _clamp(out, x, lo, hi):
    lo, hi = real(x, lo), real(x, hi)
    r = result_like(out, x)
    a, ra = x._a, r._a
    if lo <= hi:                      # also False when a bound is NaN
        np.clip(a, lo, hi, out=ra)
    else:                             # TH's rule taken literally: (t < lo) ? lo : (t > hi ? hi : t)
        res = np.where(a < lo, lo, np.where(a > hi, hi, a))
        np.copyto(ra, res, casting="unsafe")
    return r


def _cvalue(nanless, integral):
    """cmax / cmin against a number v: t > v ? t : v (a NaN t gives v; a NaN v gives all v)."""
    def impl(out, x, value):
        v = real(x, value)
        r = result_like(out, x)
        if x.dtype.kind == "f":
            if v != v:
                r._a[...] = v
            else:
                nanless(x._a, v, out=r._a)
        else:
            integral(x._a, v, out=r._a)
        return r
    return impl


_cmax_value = _cvalue(np.fmax, np.maximum)
_cmin_value = _cvalue(np.fmin, np.minimum)


def _cmaxmin(name, nanless, propagate):
    def impl(out, x, y):
        b = other(x, y, name)
        r = result_like(out, x)
        ra = r._a
        if x.dtype.kind == "f":
            # TH: t > s ? t : s  -- a NaN in t gives s, a NaN in s gives NaN
            if shares(ra, b):
                b = b.copy()
            nanless(x._a, b, out=ra)
            propagate(ra, b, out=ra)
        else:
            propagate(x._a, b, out=ra)
        return r
    return impl


# -- bitwise ops and shifts --------------------------------------------------------------------------

_UNSIGNED = {np.dtype(np.int8): np.uint8, np.dtype(np.int16): np.uint16, np.dtype(np.int32): np.uint32,
             np.dtype(np.int64): np.uint64, np.dtype(np.uint8): np.uint8}


def _bitwise(ufunc, name):
    def impl(out, x, value):
        need_int(name, x)
        r = result_like(out, x)
        ufunc(x._a, real(x, value), out=r._a)
        return r

    def cimpl(out, x, y):
        need_int("c" + name, x)
        b = other(x, y, "c" + name)
        r = result_like(out, x)
        ufunc(x._a, b, out=r._a)
        return r
    return impl, cimpl


def _shift(ufunc, name, fscale):
    """TH shifts the value as an unsigned integer; float tensors multiply/divide by 2^value."""
    def impl(out, x, value):
        r = result_like(out, x)
        v = real(x, value)
        if x.dtype.kind == "f":
            fscale(x._a, np.power(x.dtype.type(2), v), out=r._a)
        else:
            u = _UNSIGNED[x.dtype]
            ufunc(x._a.view(u), u(np.array(v).astype(u)), out=r._a.view(u))
        return r

    def cimpl(out, x, y):
        b = other(x, y, "c" + name)
        r = result_like(out, x)
        if x.dtype.kind == "f":
            fscale(x._a, np.power(x.dtype.type(2), b), out=r._a)
        else:
            u = _UNSIGNED[x.dtype]
            ufunc(x._a.view(u), b.view(u), out=r._a.view(u))
        return r
    return impl, cimpl


# -- declarations ------------------------------------------------------------------------------------

wrap("add",
     over("T x, N value", _scalar(np.add, "add")),
     over("T x, T y", _add_tensor),
     over("T x, N value, T y", _add_scaled))

wrap("csub",
     over("T x, N value", _csub_scalar),
     over("T x, T y", _csub_tensor),
     over("T x, N value, T y", _csub_scaled))

wrap("mul", over("T x, N value", _mul))
wrap("div", over("T x, N value", _div))
wrap("cmul", over("T x, T y", _cmul))
wrap("cdiv", over("T x, T y", _cdiv))

_acm, _acm1 = _addc("addcmul", _mul_into)
_acd, _acd1 = _addc("addcdiv", _div_into)
wrap("addcmul", over("T x, N value, T y, T z", _acm), over("T x, T y, T z", _acm1))
wrap("addcdiv", over("T x, N value, T y, T z", _acd), over("T x, T y, T z", _acd1))

wrap("fmod", over("T x, N value", _fmod))
wrap("mod", over("T x, N value", _fmod))
wrap("remainder", over("T x, N value", _remainder))
wrap("cfmod", over("T x, T y", _cfmod))
wrap("cmod", over("T x, T y", _cfmod))
wrap("cremainder", over("T x, T y", _cremainder))

wrap("clamp", over("T x, N min, N max", _clamp))
wrap("cmax",
     over("T x, T y", _cmaxmin("cmax", np.fmax, np.maximum)),
     over("T x, N value", _cmax_value))
wrap("cmin",
     over("T x, T y", _cmaxmin("cmin", np.fmin, np.minimum)),
     over("T x, N value", _cmin_value))

for _name, _uf in (("bitand", np.bitwise_and), ("bitor", np.bitwise_or), ("bitxor", np.bitwise_xor)):
    _s, _c = _bitwise(_uf, _name)
    wrap(_name, over("T x, N value", _s))
    wrap("c" + _name, over("T x, T y", _c))

for _name, _uf, _fs in (("lshift", np.left_shift, np.multiply), ("rshift", np.right_shift, np.divide)):
    _s, _c = _shift(_uf, _name, _fs)
    wrap(_name, over("T x, N value", _s))
    wrap("c" + _name, over("T x, T y", _c))
