"""Comparisons (torch7 doc/maths.md, 'Logical operations'): lt, le, gt, ge, eq, ne and equal.

``torch.lt(a, b)`` and ``a.lt(b)`` return a new ByteTensor of 0/1 (b a tensor or a number); with a
result first, ``torch.lt(r, a, b)`` or ``r.lt(a, b)``, r is a ByteTensor or a tensor of a's type
and receives 1/0.  NaN compares false except under ``ne``.  A number is converted to a's element
type first, as TH does.
"""
import numpy as np

from .._decl import over, wrap
from ..errors import TorchTypeError
from ._util import index_class, other, real, result_like

_BYTE = np.dtype(np.uint8)


def _into(out, x, name):
    from ..tensor import ByteTensor
    byte = index_class(x, ByteTensor)
    if out is not None and type(out) is not byte and type(out) is not type(x):
        raise TorchTypeError("%s: the result must be a %s or a %s, got a %s"
                             % (name, byte.typename, x.typename, out.typename))
    r = result_like(out, x, byte)
    ra = r._a
    return r, (ra.view(np.bool_) if ra.dtype == _BYTE else ra)


def _compare(name, ufunc):
    def value(out, x, v):
        r, ra = _into(out, x, name)
        ufunc(x._a, real(x, v), out=ra)
        return r

    def tensor(out, x, y):
        b = other(x, y, name)
        r, ra = _into(out, x, name)
        ufunc(x._a, b, out=ra)
        return r

    return (over("T x, N value", value, returns="M"),
            over("T x, T y", tensor, returns="M"),
            over("A r, T x, N value", lambda out, r, x, v: value(r, x, v), returns="M"),
            over("A r, T x, T y", lambda out, r, x, y: tensor(r, x, y), returns="M"))


for _name, _uf in (("lt", np.less), ("le", np.less_equal), ("gt", np.greater),
                   ("ge", np.greater_equal), ("eq", np.equal), ("ne", np.not_equal)):
    wrap(_name, *_compare(_name, _uf), form="new")


def _equal(out, x, y):
    return x._size == y._size and bool(np.array_equal(x._a, y._a))


wrap("equal", over("T x, T y", _equal, returns="B"), form="new")
