"""add / csub / mul / div and friends (torch7 doc/maths.md, 'Basic operations')."""
import numpy as np

from .._decl import over, wrap
from ._util import cast_scalar, result_like, same_numel


def _add_scalar(out, x, value):
    r = result_like(out, x)
    np.add(x._a, cast_scalar(x, value), out=r._a, casting="unsafe")
    return r


def _add_tensor(out, x, y):
    r = result_like(out, x)
    np.add(x._a, same_numel(x, y, "add"), out=r._a)
    return r


def _add_scaled(out, x, value, y):
    r = result_like(out, x)
    b = same_numel(x, y, "add")
    np.add(x._a, b * cast_scalar(x, value), out=r._a, casting="unsafe")
    return r


wrap("add",
     over("T x, N value", _add_scalar),
     over("T x, T y", _add_tensor),
     over("T x, N value, T y", _add_scaled))
