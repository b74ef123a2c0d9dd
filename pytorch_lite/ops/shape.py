"""cat / repeatTensor / reshape / split / chunk (torch7 doc/maths.md and doc/tensor.md).

Torch7's rules: cat's default dimension is the last one (of the input with most dimensions),
a missing trailing dimension counts as size 1 and empty tensors are skipped; split and chunk
return lists of views (narrow) and default to the first dimension.
"""
import math

import numpy as np

from .._decl import over, wrap
from ..errors import TorchIndexError, TorchTypeError, TorchValueError
from ._util import result_sized


def _fmt(size):
    return "x".join(map(str, size)) if size else "empty"


def _cat(out, tensors, dim):
    maxdim = max(t.dim() for t in tensors)
    if dim is None:
        d = maxdim - 1 if maxdim else 0
    else:
        d = int(dim)
        if d < 0:
            d += maxdim
        if d < 0:
            raise TorchIndexError("cat: dimension %d out of range for %dD tensors" % (dim, maxdim))
    ndims = max(maxdim, d + 1)
    parts = [t for t in tensors if t.dim() > 0]
    cls = type(tensors[0])
    if not parts:
        r = result_sized(out, cls, ())
        return r
    shapes = [t._size + (1,) * (ndims - t.dim()) for t in parts]
    ref = shapes[0]
    for s in shapes[1:]:
        if any(a != b for i, (a, b) in enumerate(zip(s, ref)) if i != d):
            raise TorchValueError("cat: inconsistent tensor sizes %s and %s along dimension %d"
                                  % (_fmt(ref), _fmt(s), d))
    size = list(ref)
    size[d] = sum(s[d] for s in shapes)
    arrays = [t._a.reshape(s) for t, s in zip(parts, shapes)]
    if out is not None and any(t._storage is out._storage for t in parts):
        joined = np.concatenate(arrays, axis=d)     # the result overlaps an input
        r = result_sized(out, cls, tuple(size))
        r._a[...] = joined
        return r
    r = result_sized(out, cls, tuple(size))
    ra = r._a
    lead = (slice(None),) * d
    o = 0
    for arr in arrays:
        n = arr.shape[d]
        ra[lead + (slice(o, o + n),)] = arr
        o += n
    return r


def _cat2(out, x, y, dim):
    return _cat(out, [x, y], dim)


def _cat_into(out, res, tensors, dim):
    # x.cat({a, b}) writes into x, as Torch7's method does
    return _cat(res, list(tensors), dim)


wrap("cat",
     over("T x, T y, D dim=None", _cat2),
     over("TS tensors, D dim=None", lambda out, ts, dim: _cat(out, list(ts), dim)),
     over("T result, TS tensors, D dim=None", _cat_into),
     form="new")


def _repeat(out, x, sizes):
    if len(sizes) < x.dim():
        raise TorchValueError("repeatTensor: the number of repetitions (%d) can not be smaller than the "
                              "number of dimensions of the tensor (%d)" % (len(sizes), x.dim()))
    if any(s <= 0 for s in sizes):
        raise TorchValueError("repeatTensor: repetitions must be positive, got %s" % (tuple(sizes),))
    src = x._a.reshape((1,) * (len(sizes) - x.dim()) + x._size) if x.dim() else np.empty(0, x.dtype)
    if not x.dim():
        return result_sized(out, type(x), ())
    tiled = np.tile(src, sizes)
    r = result_sized(out, type(x), tiled.shape)
    r._a[...] = tiled
    return r


wrap("repeatTensor", over("T x, Z sizes", _repeat), form="new")


def _reshape(out, x, sizes):
    n = 1
    for s in sizes:
        if s <= 0:
            raise TorchValueError("reshape: sizes must be positive, got %s" % (tuple(sizes),))
        n *= s
    if n != x.nElement() or not sizes:
        raise TorchValueError("reshape: cannot reshape a tensor of %d elements to %s"
                              % (x.nElement(), _fmt(sizes)))
    src = x._a
    if out is not None and out._storage is x._storage:
        src = src.copy()
    r = result_sized(out, type(x), tuple(sizes))
    r._a[...] = src.reshape(sizes)
    return r


wrap("reshape", over("T x, Z sizes", _reshape), form="new")


def _split(out, x, size, dim):
    if x.dim() == 0:
        raise TorchValueError("split: cannot split an empty tensor")
    d = x._checkdim(dim)
    if isinstance(size, float) and size != int(size):
        raise TorchTypeError("split: the split size must be an integer, got %r" % size)
    size = int(size)
    if size <= 0:
        raise TorchValueError("split: the split size must be positive, got %d" % size)
    n = x._size[d]
    return [x.narrow(d, start, min(size, n - start)) for start in range(0, n, size)]


def _split_into(out, result, x, size, dim):
    if not isinstance(result, list):
        raise TorchTypeError("split: the result must be a list, got %s" % type(result).__name__)
    parts = _split(None, x, size, dim)
    result[:] = parts
    return result


def _chunk_size(x, n, dim):
    if x.dim() == 0:
        raise TorchValueError("chunk: cannot chunk an empty tensor")
    if isinstance(n, float) and n != int(n):
        raise TorchTypeError("chunk: the number of chunks must be an integer, got %r" % n)
    if int(n) <= 0:
        raise TorchValueError("chunk: the number of chunks must be positive, got %s" % n)
    return int(math.ceil(x._size[x._checkdim(dim)] / int(n)))


def _chunk(out, x, n, dim):
    return _split(None, x, _chunk_size(x, n, dim), dim)


def _chunk_into(out, result, x, n, dim):
    return _split_into(None, result, x, _chunk_size(x, n, dim), dim)


wrap("split",
     over("T x, N size, D dim=0", _split, returns="V"),
     over("* result, T x, N size, D dim=0", _split_into, returns="V"),
     form="new")
wrap("chunk",
     over("T x, N n, D dim=0", _chunk, returns="V"),
     over("* result, T x, N n, D dim=0", _chunk_into, returns="V"),
     form="new")
