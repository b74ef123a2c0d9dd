"""Constructors and extractors (torch7 doc/maths.md, 'Construction or extraction functions').

zeros / ones / eye / range / linspace / logspace build a tensor of the default type, or write
into a given result (``x.zeros(2, 3)`` resizes x, as in Torch7).  diag / tril / triu / histc
extract from a tensor: ``x.diag()`` returns a new tensor, ``torch.diag(r, x)`` writes into r.
"""
import numpy as np

from .. import tensor as _tensor
from .._decl import over, wrap
from ..errors import TorchTypeError, TorchValueError
from ._util import result_counted, result_sized


def _cls(out):
    return type(out) if out is not None else _tensor._default[0]


def _int_arg(value, what):
    """A count TH reads as a C long: a fractional number truncates toward zero, as Torch7's
    (timeSort.lua's torch.linspace(0, 1, n) with a computed n)."""
    if isinstance(value, float) and value != value:
        raise TorchValueError("%s must be a number, got nan" % what)
    return int(value)


def _require_float(cls, name):
    if cls.dtype.kind != "f":
        raise TorchTypeError("%s is only defined for FloatTensor and DoubleTensor, not %s"
                             % (name, cls.typename))


# -- filled constructors --------------------------------------------------------------------------

def _zeros(out, size):
    r = result_sized(out, _cls(out), _check_sizes(size))
    r._a[...] = 0
    return r


def _ones(out, size):
    r = result_sized(out, _cls(out), _check_sizes(size))
    r._a[...] = 1
    return r


def _check_sizes(size):
    for s in size:
        if s < 0:
            raise TorchValueError("sizes must be non-negative, got %s" % (tuple(size),))
    # TH drops every dimension from the first zero size on
    for i, s in enumerate(size):
        if s == 0:
            return tuple(size[:i])
    return tuple(size)


wrap("zeros", over("Z size", _zeros))
wrap("ones", over("Z size", _ones))


def _eye(out, n, m):
    n = _int_arg(n, "eye: n")
    m = _int_arg(m, "eye: m")
    if m <= 0:
        m = n
    if n <= 0:
        raise TorchValueError("eye: invalid number of rows %d" % n)
    r = result_sized(out, _cls(out), (n, m))
    a = r._a
    a[...] = 0
    k = min(n, m)
    a[np.arange(k), np.arange(k)] = 1
    return r


wrap("eye", over("N n, N m=0", _eye))


def _range(out, xmin, xmax, step):
    cls = _cls(out)
    if cls.dtype.kind == "f":
        xmin, xmax, step = float(xmin), float(xmax), float(step)   # accreal = double
        acc = np.float64
    else:   # TH reads the bounds and the step as accreal, a C long for the integer types
        xmin, xmax, step = (int(v) for v in (xmin, xmax, step))
        acc = np.int64
    if step == 0:
        raise TorchValueError("range: step must be a non-null number")
    if not ((step > 0 and xmax >= xmin) or (step < 0 and xmax <= xmin)):
        raise TorchValueError("range: upper bound and larger bound incoherent with step sign")
    if acc is np.int64:
        n = _trunc_div(xmax - xmin, step) + 1
    else:
        n = int((xmax - xmin) / step + 1)   # C cast truncates
    r = result_counted(out, cls, n)
    vals = np.arange(n, dtype=acc) * acc(step) + acc(xmin)
    r._a[...] = (vals.astype(cls.dtype, copy=False) if cls.dtype != vals.dtype else vals).reshape(r._size)
    return r


def _trunc_div(a, b):
    q = abs(a) // abs(b)
    return q if (a >= 0) == (b >= 0) else -q


wrap("range", over("N xmin, N xmax, N step=1", _range))


def _linspace(out, a, b, n):
    cls = _cls(out)
    _require_float(cls, "linspace")
    n = _int_arg(n, "linspace: n")
    dt = cls.dtype.type
    a, b = dt(a), dt(b)
    if not (n > 1 or (n == 1 and a == b)):
        raise TorchValueError("linspace: invalid number of points %d" % n)
    r = result_counted(out, cls, n)
    if n == 1:
        r._a[...] = a
    else:
        # Torch7 evaluates a + i*(b-a)/(n-1) in `real`, in that order
        i = np.arange(n, dtype=cls.dtype)
        r._a[...] = (a + i * (b - a) / dt(n - 1)).reshape(r._size)
    return r


def _logspace(out, a, b, n):
    cls = _cls(out)
    _require_float(cls, "logspace")
    n = _int_arg(n, "logspace: n")
    dt = cls.dtype.type
    a, b = dt(a), dt(b)
    if not (n > 1 or (n == 1 and a == b)):
        raise TorchValueError("logspace: invalid number of points %d" % n)
    r = result_counted(out, cls, n)
    if n == 1:
        r._a[...] = np.power(dt(10), a)
    else:
        i = np.arange(n, dtype=cls.dtype)
        r._a[...] = np.power(dt(10), a + i * (b - a) / dt(n - 1)).reshape(r._size)
    return r


wrap("linspace", over("N a, N b, N n=100", _linspace))
wrap("logspace", over("N a, N b, N n=100", _logspace))


# -- extractors ------------------------------------------------------------------------------------

def _diag(out, x, k):
    k = _int_arg(k, "diag: k")
    a = x._a
    if x.dim() == 1:
        n = x._size[0] + abs(k)
        r = result_sized(out, type(x), (n, n))
        ra = r._a
        ra[...] = 0
        idx = np.arange(x._size[0])
        if k >= 0:
            ra[idx, idx + k] = a
        else:
            ra[idx - k, idx] = a
        return r
    if x.dim() == 2:
        d = np.diagonal(a, k)
        if d.shape[0] == 0:
            raise TorchValueError("diag: diagonal %d is out of range for a %dx%d matrix" % ((k,) + x._size))
        r = result_sized(out, type(x), (d.shape[0],))
        r._a[...] = d
        return r
    raise TorchValueError("diag: expected a matrix or a vector, got a %dD tensor" % x.dim())


wrap("diag", over("T x, N k=0", _diag), form="new")


def _tri(fn, name):
    def impl(out, x, k):
        k = _int_arg(k, name + ": k")
        if x.dim() != 2:
            raise TorchValueError("%s: expected a matrix, got a %dD tensor" % (name, x.dim()))
        src = fn(x._a, k)          # a new array: safe when out is x
        r = result_sized(out, type(x), x._size)
        r._a[...] = src
        return r
    return impl


wrap("tril", over("T x, N k=0", _tri(np.tril, "tril")), form="new")
wrap("triu", over("T x, N k=0", _tri(np.triu, "triu")), form="new")


def _histc(out, x, nbins, vmin, vmax):
    _require_float(type(x), "histc")
    nbins = _int_arg(nbins, "histc: nbins")
    if nbins <= 0:
        raise TorchValueError("histc: the number of bins must be positive, got %d" % nbins)
    dt = x.dtype.type
    a = x._a.reshape(-1) if x.nElement() else np.empty(0, x.dtype)
    lo, hi = dt(vmin), dt(vmax)
    if lo == hi and a.size:
        lo, hi = a.min(), a.max()
    if lo == hi:
        lo, hi = lo - dt(1), hi + dt(1)
    r = result_sized(out, type(x), (nbins,))
    r._a[...] = _counts(a, lo, hi, nbins, dt)
    return r


def _counts(a, lo, hi, nbins, dt):
    """TH's binning: values in [lo, hi] go to bin floor((v - lo) / (hi - lo) * nbins), hi to the last."""
    inside = a[(a >= lo) & (a <= hi)]
    bins = ((inside - lo) / (hi - lo) * dt(nbins)).astype(np.int64)
    np.minimum(bins, nbins - 1, out=bins)
    return np.bincount(bins, minlength=nbins)


wrap("histc", over("T x, N nbins=100, N min=0, N max=0", _histc), form="new")


def _bhistc(out, x, nbins, vmin, vmax):
    """One histogram per row of a 2D tensor; min == max means the whole tensor's range."""
    _require_float(type(x), "bhistc")
    nbins = _int_arg(nbins, "bhistc: nbins")
    if nbins <= 0:
        raise TorchValueError("bhistc: the number of bins must be positive, got %d" % nbins)
    if x.dim() != 2:
        raise TorchValueError("bhistc: the input must be a 2D tensor, got %dD" % x.dim())
    dt = x.dtype.type
    a = x._a
    lo, hi = dt(vmin), dt(vmax)
    if lo == hi and a.size:
        lo, hi = a.min(), a.max()
    if lo == hi:
        lo, hi = lo - dt(1), hi + dt(1)
    r = result_sized(out, type(x), (a.shape[0], nbins))
    for i in range(a.shape[0]):
        r._a[i] = _counts(a[i], lo, hi, nbins, dt)
    return r


wrap("bhistc", over("T x, N nbins=100, N min=0, N max=0", _bhistc), form="new")
