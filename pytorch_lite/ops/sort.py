"""sort, topk, kthvalue, median, mode (torch7 doc/maths.md, 'Sorting' and 'Reductions').

Each takes an optional dim (default: the last), returns (values, LongTensor of 0-based
indices), and accepts result tensors first in the torch.* form:
``torch.sort(rv, ri, x, dim)``.  kthvalue/median/mode keep the reduced dimension with size 1,
as Torch7 does.  The kernels (csrc/_index.pyx) follow TH's quicksort and quickselect step by
step, so ties report the same indices as Torch7 and an unsorted topk comes out in its order.
"""
import numbers

import numpy as np

from .._decl import over, wrap
from ..errors import TorchIndexError, TorchTypeError, TorchValueError
from ._util import index_class, result_sized

try:
    from .. import _index
except ImportError:  # pragma: no cover - the extension is part of the build
    _index = None

_SUPPORTED = {np.dtype(t) for t in (np.uint8, np.int8, np.int16, np.int32, np.int64,
                                    np.float32, np.float64)}
_HALF = np.dtype(np.float16)


def _kernels(x, what):
    if _index is None:
        raise TorchTypeError("%s: the compiled kernels (pytorch_lite._index) are not built; "
                             "run setup.py build_ext --inplace" % what)
    if x.dtype not in _SUPPORTED and not (x.dtype == _HALF and type(x).is_cuda):
        raise TorchTypeError("%s is not implemented for %s" % (what, x.typename))
    return _index


def _dim(x, dim, what):
    if not x._size:
        raise TorchValueError("%s: the tensor is empty" % what)
    return len(x._size) - 1 if dim is None else x._checkdim(dim)


def _count(v, what, name="k"):
    if isinstance(v, bool) or not isinstance(v, numbers.Real) or int(v) != v:
        raise TorchTypeError("%s: %s must be an integer, got %r" % (what, name, v))
    return int(v)


def _rows(x, dim):
    """A private C-contiguous copy of x with `dim` moved last, as (rows, n), and the moved shape."""
    a = np.moveaxis(x._a, dim, -1)
    if type(a) is not np.ndarray and hasattr(a, "get"):
        a = a.get()   # a Cuda tensor on the device: TH's selection kernels run on a host copy
    shape = a.shape
    # a CudaHalfTensor's rows are ordered as floats (every half is one exactly)
    return np.array(a, order="C", copy=True, dtype=np.float32 if a.dtype == _HALF else None
                    ).reshape(-1, shape[-1]), shape


def _outs(out):
    return (None, None) if out is None else out


def _store(out_v, out_i, x, dim, size, vals, idxs):
    """Write moved-layout (dim last) values/indices into result tensors of `size`."""
    from ..tensor import LongTensor
    rv = result_sized(out_v, type(x), size)
    ri = result_sized(out_i, index_class(x, LongTensor), size)
    if type(rv._a) is not np.ndarray:   # back onto the device
        from ..cuda.device import xp
        vals, idxs = xp().asarray(vals), xp().asarray(idxs)
    np.copyto(np.moveaxis(rv._a, dim, -1), vals)
    np.copyto(np.moveaxis(ri._a, dim, -1), idxs)
    return rv, ri


def _sort(out, x, dim=None, descending=False):
    k = _kernels(x, "sort")
    dim = _dim(x, dim, "sort")
    v, shape = _rows(x, dim)
    ix = np.empty(v.shape, np.int64)
    k.sort_rows(v, ix, bool(descending))
    return _store(*_outs(out), x, dim, x._size, v.reshape(shape), ix.reshape(shape))


def _sort_desc(out, x, descending):
    return _sort(out, x, None, descending)


def _topk(out, x, k=1, dim=None, largest=False, sorted=False):
    kern = _kernels(x, "topk")
    dim = _dim(x, dim, "topk")
    k = _count(k, "topk")
    n = x._size[dim]
    if not 0 < k <= n:
        raise TorchIndexError("topk: k %d not in range for dimension %d of size %d" % (k, dim, n))
    v, shape = _rows(x, dim)
    ix = np.empty(v.shape, np.int64)
    ov = np.empty((v.shape[0], k), v.dtype)
    oi = np.empty((v.shape[0], k), np.int64)
    kern.topk_rows(v, ix, k, bool(largest), bool(sorted), ov, oi)
    size = x._size[:dim] + (k,) + x._size[dim + 1:]
    oshape = shape[:-1] + (k,)
    return _store(*_outs(out), x, dim, size, ov.reshape(oshape), oi.reshape(oshape))


def _topk_dir(out, x, k, largest, sorted=False):
    return _topk(out, x, k, None, largest, sorted)


def _select(out, x, k, dim, what):
    """k-th smallest (1-based count) along dim, keeping dim with size 1."""
    kern = _kernels(x, what)
    n = x._size[dim]
    if not 0 < k <= n:
        raise TorchIndexError("%s: k %d out of range for dimension %d of size %d" % (what, k, dim, n))
    v, shape = _rows(x, dim)
    ix = np.empty(v.shape, np.int64)
    ov = np.empty(v.shape[0], v.dtype)
    oi = np.empty(v.shape[0], np.int64)
    kern.kth_rows(v, ix, k - 1, ov, oi)
    size = x._size[:dim] + (1,) + x._size[dim + 1:]
    oshape = shape[:-1] + (1,)
    return _store(*_outs(out), x, dim, size, ov.reshape(oshape), oi.reshape(oshape))


def _kthvalue(out, x, k, dim=None):
    dim = _dim(x, dim, "kthvalue")
    return _select(out, x, _count(k, "kthvalue"), dim, "kthvalue")


def _median(out, x, dim=None):
    dim = _dim(x, dim, "median")
    # the middle element, or the lower of the two middle ones for an even length
    return _select(out, x, (x._size[dim] - 1) // 2 + 1, dim, "median")


def _mode(out, x, dim=None):
    kern = _kernels(x, "mode")
    dim = _dim(x, dim, "mode")
    v, shape = _rows(x, dim)
    ix = np.empty(v.shape, np.int64)
    ov = np.empty(v.shape[0], v.dtype)
    oi = np.empty(v.shape[0], np.int64)
    kern.mode_rows(v, ix, ov, oi)
    size = x._size[:dim] + (1,) + x._size[dim + 1:]
    oshape = shape[:-1] + (1,)
    return _store(*_outs(out), x, dim, size, ov.reshape(oshape), oi.reshape(oshape))


wrap("sort",
     over("T x, D dim=None, B descending=False", _sort, returns="T,L"),
     over("T x, B descending", _sort_desc, returns="T,L"),
     form="new",
     doc="sort([rv, ri,] x [, dim] [, descending]) -> (values, indices): sorts along dim "
         "(default: the last); indices are 0-based positions along dim.")

wrap("topk",
     over("T x, N k=1, D dim=None, B largest=False, B sorted=False", _topk, returns="T,L"),
     over("T x, N k, B largest, B sorted=False", _topk_dir, returns="T,L"),
     form="new",
     doc="topk([rv, ri,] x [, k=1] [, dim] [, largest=False] [, sorted=False]) -> (values, "
         "indices): the k smallest (Torch7's default) or, with largest=True, the k largest "
         "elements along dim; sorted=True orders them.")

wrap("kthvalue",
     over("T x, N k, D dim=None", _kthvalue, returns="T,L"),
     form="new",
     doc="kthvalue([rv, ri,] x, k [, dim]) -> (values, indices): the k-th smallest element "
         "(k counts from 1) along dim, which is kept with size 1.")

wrap("median",
     over("T x, D dim=None", _median, returns="T,L"),
     form="new",
     doc="median([rv, ri,] x [, dim]) -> (values, indices): the median along dim (the lower "
         "median for an even length); dim is kept with size 1.")

wrap("mode",
     over("T x, D dim=None", _mode, returns="T,L"),
     form="new",
     doc="mode([rv, ri,] x [, dim]) -> (values, indices): the most frequent value along dim "
         "(the smallest one on a tie of counts); dim is kept with size 1.")
