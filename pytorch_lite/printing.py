"""Torch7's text form of tensors and storages (``tostring(x)`` / ``print(x)`` in Lua).

The layout follows torch7's Tensor.lua (``Storage__printformat``, ``Tensor__printMatrix``,
``Tensor__printTensor``, ``__tostring__``) as run by the reference build:

* one format is chosen for ALL the elements (their absolute min and max): ``%<w>d`` when every
  value is an integer, ``%<w>.4f`` (with a ``<scale> *`` header line when the magnitudes call for
  it), or ``%<w>.4e`` when the magnitudes span more than four decades; a NaN anywhere makes it a
  bare ``%f``;
* matrices are cut into ``Columns a to b`` blocks to fit 80 characters;
* 3D and larger tensors print as 2D slices headed ``(i,j,.,.) = `` with Torch7's 1-based
  indices, the FIRST index running fastest;
* the last line names the type and size; the text ends with a newline.

Numbers are written as LuaJIT 2.1's ``string.format`` writes them: correctly rounded, but a
value exactly halfway between two outputs rounds away from zero (C's printf and Python round
it to even), and NaN prints as ``nan`` whatever its sign.  Formatting is vectorised: one ``%``
per printed row.
"""
import itertools
import math

import numpy as np

LINE_WIDTH = 80

_POW5 = np.array([float(5 ** i) for i in range(23)])  # exact doubles


# -- choosing the format ----------------------------------------------------------------------------

def _exponent(x):
    """Torch7's digit count of a magnitude: floor(log10(x)) + 1, and 1 for zero (float: inf/nan pass)."""
    if x == 0:
        return 1.0
    return float(np.floor(math.log10(x))) + 1.0 if x == x else x


class _Format:
    """One printf conversion: kind 'd', 'f' or 'e', a field width and a precision."""
    __slots__ = ("kind", "width", "prec")

    def __init__(self, kind, width, prec):
        self.kind, self.width, self.prec = kind, width, prec

    @property
    def spec(self):
        if self.kind == "d":
            return "%%%dd" % self.width
        if self.width is None:
            return "%%.%d%s" % (self.prec, self.kind)
        return "%%%d.%d%s" % (self.width, self.prec, self.kind)


def _printformat(flat):
    """(format, scale or None, column width sz) for these values (a float64 array), as Torch7 picks them.

    sz is None when the values hold a NaN: Torch7 then computes a NaN width, falls back to '%f'
    and never splits columns.
    """
    if flat.size == 0:
        return None, None, 0
    with np.errstate(invalid="ignore"):
        int_mode = bool(np.all(flat == np.ceil(flat)))
    mag = np.abs(flat)
    exp_min = _exponent(float(mag.min()))
    exp_max = _exponent(float(mag.max()))
    if exp_max != exp_max or exp_min != exp_min:
        return _Format("f", None, 6), None, None
    scale = None
    if int_mode:
        if exp_max > 9:
            fmt, sz = _Format("e", 11, 4), 11
        else:
            sz = int(exp_max) + 1
            fmt = _Format("d", sz, 0)
    elif exp_max - exp_min > 4:
        sz = 11
        if abs(exp_max) > 99 or abs(exp_min) > 99:
            sz += 1
        fmt = _Format("e", sz, 4)
    elif exp_max > 5 or exp_max < 0:
        sz = 7
        fmt = _Format("f", sz, 4)
        scale = math.pow(10, exp_max - 1)
    else:
        sz = 7 if exp_max == 0 else int(exp_max) + 6
        fmt = _Format("f", sz, 4)
    if scale == 1:
        scale = None
    return fmt, scale, sz


# -- writing numbers ----------------------------------------------------------------------------------

def _halfway(v, m):
    """Where v lies exactly halfway between two multiples of 10**-m (m: int or int array), and
    there the odd integer N = 2 * v * 10**m.  Every float operation here is exact.

    2 * v * 10**m = N odd means u = v * 2**(m+1) = N / 5**m: a dyadic rational equal to a fraction
    with an odd denominator (m >= 0), or an odd multiple of 5**-m (m < 0); either way u is an odd
    integer, i.e. h = v * 2**m has fractional part exactly 1/2 (the cheap first filter).
    """
    with np.errstate(invalid="ignore", over="ignore"):
        h = np.ldexp(v, np.asarray(m, dtype=np.int32)) if np.ndim(m) else v * 2.0 ** m
        idx = np.flatnonzero((h - np.floor(h)) == 0.5)
    mc = np.broadcast_to(np.asarray(m, dtype=np.int64), v.shape).reshape(-1)[idx]
    u = 2 * h.reshape(-1)[idx]
    p5 = _POW5[np.minimum(np.abs(mc), 22)]
    ok = (mc >= 0) | ((mc >= -22) & (np.fmod(u, p5) == 0))
    n = np.where(mc < 0, u / p5, u * p5)
    return idx[ok], n[ok]


def _round_ties_away(v, fmt):
    """v with exact ties nudged one ulp away from zero, so Python's round-half-even formatting
    writes what LuaJIT's round-half-away writes."""
    if fmt.kind == "d" or v.size == 0:
        return v
    if fmt.kind == "f":
        ties, _ = _halfway(v, fmt.prec)
    else:
        with np.errstate(divide="ignore", invalid="ignore"):
            k0 = np.floor(np.log10(np.abs(v)))
        k0 = np.where(np.isfinite(k0), k0, 0).astype(np.int64)
        lo, hi = 2 * 10.0 ** fmt.prec, 2 * 10.0 ** (fmt.prec + 1)
        found = []
        for dk in (-1, 0, 1):  # log10 may be one off; the digit count of N decides
            idx, n = _halfway(v, fmt.prec - (k0 + dk))
            found.append(idx[(np.abs(n) >= lo) & (np.abs(n) < hi)])
        ties = np.concatenate(found)
    if not ties.size:
        return v
    shape = v.shape
    v = np.array(v, dtype=np.float64).reshape(-1)
    v[ties] = np.nextafter(v[ties], np.copysign(np.inf, v[ties]))
    return v.reshape(shape)


def _values(v, fmt):
    """The Python values to feed to fmt.spec for the float64 array v (any shape), as nested lists."""
    if fmt.kind == "d":
        return v.astype(np.int64).tolist()
    return _round_ties_away(v, fmt).tolist()


def _scale_line(scale):
    return "%g *\n" % scale


# -- layouts ------------------------------------------------------------------------------------------

def _column(flat, fmt, scale):
    """One number per line (1D tensors and storages)."""
    if flat.size == 0:
        return ""
    out = []
    if scale is not None:
        out.append(_scale_line(scale))
        flat = flat / scale
    spec = fmt.spec
    n = flat.size
    out.append(("%s\n" % spec) * n % tuple(_values(flat, fmt)))
    return "".join(out)


def _matrix(m, fmt, scale, sz, indent=""):
    """Tensor__printMatrix: m is a 2D float64 array; fmt/scale/sz were chosen over the whole tensor."""
    rows, cols = m.shape
    per_line = cols if sz is None else max(1, (LINE_WIDTH - len(indent)) // (sz + 1))
    if scale is not None:
        m = m / scale
    spec = fmt.spec
    row_sep = "\n" + indent + (" " if scale is not None else "")
    out = [indent]
    first = 0
    while first < cols:
        last = min(first + per_line, cols)
        if per_line < cols:
            if first:
                out.append("\n")
            out.append("Columns %d to %d\n%s" % (first + 1, last, indent))
        if scale is not None:
            out.append(_scale_line(scale) + " " + indent)
        row_fmt = " ".join([spec] * (last - first))
        vals = _values(m[:, first:last], fmt)
        out.append(row_sep.join([row_fmt % tuple(r) for r in vals]))
        out.append("\n")
        first = last
    return "".join(out)


def _slices(a, fmt, scale, sz):
    """Tensor__printTensor: every 2D slice of a 3D+ array, the first leading index running fastest."""
    lead = a.shape[:-2]
    out = []
    for rev in itertools.product(*[range(n) for n in reversed(lead)]):
        idx = rev[::-1]
        if out:
            out.append("\n")
        out.append("(" + "".join("%d," % (i + 1) for i in idx) + ".,.) = \n")
        out.append(_matrix(a[idx], fmt, scale, sz, " "))
    return "".join(out)


def _host_array(a):
    if isinstance(a, np.ndarray):
        return a
    get = getattr(a, "get", None)  # a CuPy array
    return np.asarray(get() if get is not None else a)


def format_tensor(t):
    """tostring(t) as Torch7 writes it (ends with a newline)."""
    size = tuple(t._size)
    name = t.typename
    if not size:
        return "[%s with no dimension]\n" % name
    a = np.asarray(_host_array(t._a), dtype=np.float64)
    fmt, scale, sz = _printformat(a.reshape(-1))
    if len(size) == 1:
        body = _column(a, fmt, scale)
    elif len(size) == 2:
        body = _matrix(a, fmt, scale, sz)
    else:
        body = _slices(a, fmt, scale, sz)
    return "%s[%s of size %s]\n" % (body, name, "x".join(str(s) for s in size))


def format_storage(s):
    """tostring(s) for a storage: one element per line, then its type and size."""
    flat = np.asarray(_host_array(s._data), dtype=np.float64).reshape(-1)
    fmt, scale, _ = _printformat(flat)
    return "%s[%s of size %d]\n" % (_column(flat, fmt, scale), s.typename, flat.size)
