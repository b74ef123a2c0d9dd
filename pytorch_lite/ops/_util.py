"""Helpers shared by the op implementations."""
import numpy as np

from ..convert import convert_array
from ..errors import TorchValueError


def result_like(out, x):
    """The result tensor for an op producing x's shape and type: out resized, or a new tensor."""
    if out is None:
        return type(x)._make(type(x).storage_class._wrap(np.empty(x.nElement(), x.dtype)), 0,
                             x._size, _contig(x._size))
    if out._size != x._size:
        out.resize(*x._size)
    return out


def result_sized(out, cls, size):
    if out is None:
        n = 1
        for s in size:
            n *= s
        return cls._make(cls.storage_class._wrap(np.empty(n if size else 0, cls.dtype)), 0, tuple(size),
                         _contig(size))
    if out._size != tuple(size):
        out.resize(*size)
    return out


def _contig(size):
    st = [1] * len(size)
    acc = 1
    for i in range(len(size) - 1, -1, -1):
        st[i] = acc
        acc *= size[i]
    return tuple(st)


def same_numel(x, y, what):
    """y's array shaped like x's (Torch7 only asks for equal element counts)."""
    a = y._a
    if y._size == x._size:
        return a
    if y.nElement() != x.nElement():
        raise TorchValueError("%s: inconsistent tensor sizes (%s vs %s)"
                              % (what, "x".join(map(str, x._size)), "x".join(map(str, y._size))))
    return np.ascontiguousarray(a).reshape(x._size) if x._size else a


def cast_scalar(x, value):
    """A Lua number as the C `real` of x's type (integer types truncate like a C cast)."""
    if x.dtype.kind in "iu":
        if isinstance(value, float):
            return convert_array(np.array([value]), x.dtype)[0]
        return np.array(value).astype(x.dtype)
    return x.dtype.type(value)
