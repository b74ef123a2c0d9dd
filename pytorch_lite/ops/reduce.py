"""Reductions (torch7 doc/maths.md): sum, prod, cumsum, cumprod, max, min, mean, std, var, norm,
renorm, dist, all, any (trace lives in linalg.py).

Whole-tensor forms return a Python number (``all``/``any`` a bool).  Along a dimension (0-based
in Python) the result keeps the reduced dimension with size 1, as Torch7 does; ``max``/``min``
return (values, indices) with indices a LongTensor of 0-based positions, the first one on ties,
and a NaN wins (Torch7 stops at the first NaN).  Sums and products accumulate in TH's ``accreal``
(double for Float/Double, long for the integer types) and ``std``/``var`` use TH's formulas: two
passes over the whole tensor, one pass of sum and sum of squares along a dimension.
"""
import numpy as np

from .. import _small
from .._decl import over, wrap
from ..errors import TorchValueError
from ._util import index_class, need_float, other, result_like, result_sized

_F64 = np.dtype(np.float64)


def _acc(x):
    return np.float64 if x.dtype.kind == "f" else np.int64


def _dim(x, dim):
    return x._checkdim(dim)


def _kept(x, d):
    return x._size[:d] + (1,) + x._size[d + 1:]


def _store(out, x, d, arr, cls=None):
    """arr (keepdims) converted to x's element type into out or a new tensor."""
    r = result_sized(out, cls or type(x), _kept(x, d))
    ra = r._a
    if ra.dtype == arr.dtype:
        np.copyto(ra, arr)
    else:
        np.copyto(ra, arr, casting="unsafe")    # C conversion: wraps (integers) or rounds (float)
    return r


def _number(v):
    return v.item()


def _empty_check(x, name):
    if not x._size:
        raise TorchValueError("%s: tensor must have one dimension (got an empty tensor)" % name)


# -- sum, prod, mean ------------------------------------------------------------------------------

def _sumall(out, x):
    s = _small.sum_all(x)       # small float tensors: numpy's summation, from the buffer (csrc/_small.pyx)
    if s is not None:
        return s
    return np.add.reduce(x._a, axis=None, dtype=_acc(x)).item()


def _prodall(out, x):
    return np.multiply.reduce(x._a, axis=None, dtype=_acc(x)).item()


def _reduce_dim(ufunc):
    def impl(out, x, dim):
        d = _dim(x, dim)
        a = x._a
        acc = _acc(x)
        if a.dtype == acc:
            r = result_sized(out, type(x), _kept(x, d))
            ufunc.reduce(a, axis=d, dtype=acc, out=r._a, keepdims=True)
            return r
        return _store(out, x, d, ufunc.reduce(a, axis=d, dtype=acc, keepdims=True))
    return impl


_sum_dim = _reduce_dim(np.add)


def _meanall(out, x):
    need_float("mean", x)
    _empty_check(x, "mean")
    return np.add.reduce(x._a, axis=None, dtype=_F64).item() / x.nElement()


def _mean_dim(out, x, dim):
    need_float("mean", x)
    r = _sum_dim(out, x, dim)                   # TH: sum along dim, then divide in real
    ra = r._a
    np.divide(ra, ra.dtype.type(x._size[_dim(x, dim)]), out=ra)
    return r


# -- cumulative -----------------------------------------------------------------------------------

def _cumulative(ufunc):
    def impl(out, x, dim):
        d = _dim(x, dim)
        a = x._a
        acc = _acc(x)
        r = result_like(out, x)
        if a.dtype == acc and not np.may_share_memory(r._a, a):
            ufunc.accumulate(a, axis=d, dtype=acc, out=r._a)
        else:
            np.copyto(r._a, ufunc.accumulate(a, axis=d, dtype=acc), casting="unsafe")
        return r
    return impl


# -- max, min -------------------------------------------------------------------------------------

def _extreme_all(fn, name):
    want_max = name == "max"

    def impl(out, x):
        _empty_check(x, name)
        m = _small.extreme_all(x, want_max)     # small float tensors, from the buffer
        if m is not None:
            return m
        a = x._a
        if type(a) is not np.ndarray:   # CuPy has no maximum.reduce: its max (NaN wins there too)
            return (a.max() if want_max else a.min()).item()
        return fn(a, axis=None).item()   # NaN as soon as there is one (np.max without its wrapper)
    return impl


def _extreme_dim(argfn, name):
    def impl(out, x, dim):
        from ..tensor import LongTensor
        _empty_check(x, name)
        d = _dim(x, dim)
        a = x._a
        idx = argfn(a, axis=d, keepdims=True)   # first position on ties; the first NaN wins
        vals = np.take_along_axis(a, idx, axis=d)
        outs = out if isinstance(out, tuple) else (None, None)
        v = result_sized(outs[0], type(x), _kept(x, d))
        i = result_sized(outs[1], index_class(x, LongTensor), _kept(x, d))
        np.copyto(v._a, vals)
        np.copyto(i._a, idx)
        return v, i
    return impl


# -- std, var ---------------------------------------------------------------------------------------

def _varall(x, unbiased_n):
    need_float("var", x)
    _empty_check(x, "var")
    a = x._a
    n = x.nElement()
    mean = np.add.reduce(a, axis=None, dtype=_F64) / n
    d = np.subtract(a, mean, dtype=_F64)
    d = d.reshape(-1)
    s = float(np.dot(d, d))
    return s / (n - (0 if unbiased_n else 1)) if n - (0 if unbiased_n else 1) else float("nan")


def _var_whole(out, x, biased):
    return _varall(x, biased)


def _std_whole(out, x, biased):
    return float(np.sqrt(_varall(x, biased)))


def _var_dim_values(x, d, biased):
    """TH's one-pass formula along a dim, in double (real where TH uses real)."""
    need_float("var", x)
    a = x._a
    n = a.shape[d]
    s = np.add.reduce(a, axis=d, dtype=_F64, keepdims=True)
    s2 = np.add.reduce(np.multiply(a, a), axis=d, dtype=_F64, keepdims=True)  # z*z in real
    with np.errstate(divide="ignore", invalid="ignore"):
        s /= n
        if biased:
            s2 /= n
            s2 -= s * s
        else:
            s2 /= (n - 1)
            rt = a.dtype.type
            c = float(rt(n) / rt(n - 1)) if n > 1 else float("inf")
            s2 -= c * s * s
    np.copyto(s2, 0.0, where=s2 < 0)
    return s2


def _var_dim(out, x, dim, biased):
    d = _dim(x, dim)
    return _store(out, x, d, _var_dim_values(x, d, biased))


def _std_dim(out, x, dim, biased):
    d = _dim(x, dim)
    v = _var_dim_values(x, d, biased).astype(x.dtype)    # TH: sqrt of the value in real
    return _store(out, x, d, np.sqrt(v))


# -- norm, renorm, dist -----------------------------------------------------------------------------

def _abs_pow(a, p):
    """pow(fabs(x), p) computed in the tensor's real type, as TH does."""
    t = np.abs(a)
    np.power(t, a.dtype.type(p), out=t)
    return t


def _root(s, p, dtype):
    """TH_MATH_NAME(pow)(sum, 1.0/p): powf for Float tensors."""
    rt = np.dtype(dtype).type
    inv = 1.0 / p if p != 0 else float("inf")
    return np.power(s.astype(dtype), rt(inv))   # s: a numpy scalar or an array (a CuPy one on a GPU)


def _normall(out, x, p):
    need_float("norm", x)
    a = x._a
    if p == 0:
        return float(np.count_nonzero(a))
    if p == 1:
        return np.add.reduce(np.abs(a), axis=None, dtype=_F64).item()
    if p == 2:
        f = a.astype(_F64).reshape(-1)
        return float(np.sqrt(np.dot(f, f)))
    s = np.add.reduce(_abs_pow(a, p), axis=None, dtype=_F64)
    return _root(s, p, a.dtype).item()


def _norm_dim(out, x, p, dim):
    need_float("norm", x)
    d = _dim(x, dim)
    a = x._a
    if p == 0:
        res = np.add.reduce(a != 0, axis=d, dtype=_F64, keepdims=True)
    else:
        s = np.add.reduce(_abs_pow(a, p), axis=d, dtype=_F64, keepdims=True)
        res = _root(s, p, a.dtype)
    return _store(out, x, d, res)


def _renorm(out, x, p, dim, maxnorm):
    need_float("renorm", x)
    d = _dim(x, dim)
    if not p > 0:
        raise TorchValueError("renorm: non-positive-norm not supported")
    if x.dim() <= 1:
        raise TorchValueError("renorm: need at least 2 dimensions, got %d dimensions" % x.dim())
    a = x._a
    rt = a.dtype.type
    rows = np.moveaxis(a, d, 0).reshape(a.shape[d], -1)
    if p == 1:
        norms = np.add.reduce(np.abs(rows), axis=1, dtype=_F64)
    elif p == 2:
        f = rows.astype(_F64)
        norms = np.einsum("ij,ij->i", f, f)
    else:
        norms = np.add.reduce(_abs_pow(rows, p), axis=1, dtype=_F64)
    # TH keeps the norm in real: norm = pow(norm, 1/value); scale = maxnorm / (norm + 1e-7)
    norms = np.power(norms.astype(a.dtype).astype(_F64), np.float64(rt(1) / rt(p))).astype(a.dtype)
    big = norms > rt(maxnorm)
    scale = (np.float64(rt(maxnorm)) / (norms.astype(_F64) + 1e-7)).astype(a.dtype)
    scale[~big] = 1
    shape = [1] * a.ndim
    shape[d] = a.shape[d]
    r = result_like(out, x)
    res = np.multiply(a, scale.reshape(shape))
    np.copyto(res, a, where=~big.reshape(shape))        # rows within maxnorm are copied unchanged
    np.copyto(r._a, res)
    return r


def _dist(out, x, y, p):
    need_float("dist", x)
    b = other(x, y, "dist")
    t = _abs_pow(np.subtract(x._a, b), p)
    s = x.dtype.type(float(np.add.reduce(t, axis=None, dtype=_F64)))   # TH sums in real (a device sum too)
    return _root(s, p, x.dtype).item()


def _all(out, x):
    _empty_check(x, "all")
    return bool(np.all(x._a))


def _any(out, x):
    _empty_check(x, "any")
    return bool(np.any(x._a))


wrap("sum", over("T x", _sumall, returns="N"), over("T x, D dim", _sum_dim), form="new")
wrap("prod", over("T x", _prodall, returns="N"), over("T x, D dim", _reduce_dim(np.multiply)),
     form="new")
wrap("mean", over("T x", _meanall, returns="N"), over("T x, D dim", _mean_dim), form="new")
wrap("cumsum", over("T x, D dim=0", _cumulative(np.add)), form="new")
wrap("cumprod", over("T x, D dim=0", _cumulative(np.multiply)), form="new")
wrap("max", over("T x", _extreme_all(np.maximum.reduce, "max"), returns="N"),
     over("T x, D dim", _extreme_dim(np.argmax, "max"), returns="T,L"), form="new")
wrap("min", over("T x", _extreme_all(np.minimum.reduce, "min"), returns="N"),
     over("T x, D dim", _extreme_dim(np.argmin, "min"), returns="T,L"), form="new")
wrap("var", over("T x, B biased=False", _var_whole, returns="N"),
     over("T x, D dim, B biased=False", _var_dim), form="new")
wrap("std", over("T x, B biased=False", _std_whole, returns="N"),
     over("T x, D dim, B biased=False", _std_dim), form="new")
wrap("norm", over("T x, N p=2", _normall, returns="N"), over("T x, N p, D dim", _norm_dim),
     form="new")
wrap("renorm", over("T x, N p, D dim, N maxnorm", _renorm))
wrap("dist", over("T x, T y, N p=2", _dist, returns="N"), form="new")
wrap("all", over("M x", _all, returns="B"), form="new")
wrap("any", over("M x", _any, returns="B"), form="new")
