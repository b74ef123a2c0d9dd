"""index, indexCopy/indexAdd/indexFill, gather, scatter, masked ops, nonzero
(torch7 doc/tensor.md, 'Extracting sub-tensors' and 'Search').

Indices are 0-based LongTensors; every one is checked and an out-of-range index raises
TorchIndexError before anything is written.  Masks are ByteTensors of 0s and 1s with as many
elements as the tensor (their shapes may differ: both are walked in row-major order).

Forms, as in Torch7: ``x.index(dim, idx)`` returns a new tensor and ``r.index(x, dim, idx)``
writes into r (likewise gather, maskedSelect, nonzero); indexCopy, indexAdd, indexFill,
scatter, maskedCopy and maskedFill change x and return it.
"""
import numpy as np

from .._decl import over, wrap
from ..errors import TorchIndexError, TorchTypeError, TorchValueError
from ._util import index_class, real, result_sized

try:
    from .. import _index as _kernels
except ImportError:  # pragma: no cover - the extension is part of the build
    _kernels = None


def _fmt(size):
    return "x".join(map(str, size)) or "empty"


def _check_range(idx, n, what):
    if idx.size:
        bad = (idx < 0) | (idx >= n)
        if bad.any():
            raise TorchIndexError("%s: index %d out of range for a dimension of size %d (indices are 0-based)"
                                  % (what, idx[bad].flat[0], n))


def _index_array(x, index, what, small_ok=True):
    """index's entries as int64 on x's device.  For a Cuda x, cutorch takes a CudaLongTensor, a host
    LongTensor, or a tensor of x's own type, whose values it converts (not a byte or char one where
    the index addresses slices: its 0..255 range cannot hold the indices)."""
    a = index._a
    if type(x).is_cuda:
        if not small_ok and index.dtype in (np.uint8, np.int8):
            raise TorchTypeError("%s: indices are in a %s, which is not allowed: its small range cannot "
                                 "hold the indices; use a CudaLongTensor" % (what, index.typename))
        if not type(index).is_cuda:
            from ..cuda.device import xp
            a = xp().asarray(a)
    if a.dtype != np.int64:
        a = a.astype(np.int64)
    return a


def _index_vector(x, index, n, what):
    """The entries of a 1-D LongTensor index, checked against a dimension of size n."""
    if index.dim() != 1:
        raise TorchValueError("%s: the index must be a 1D LongTensor, got a %dD one" % (what, index.dim()))
    idx = _index_array(x, index, what, small_ok=False)
    _check_range(idx, n, what)
    return idx


def _along(dim, idx):
    return (slice(None),) * dim + (idx,)


def _sized(out, cls, size):
    """A result tensor of `size`; a zero-sized dimension makes it empty, as TH's resize does."""
    if any(s == 0 for s in size):
        if out is None:
            return cls()
        return out.resize(0)
    return result_sized(out, cls, size)


def _mask_flat(x, mask, what):
    """The mask as a flat bool array in row-major order, checked to be 0/1 and sized like x."""
    if mask.nElement() != x.nElement():
        raise TorchValueError("%s: the mask has %d elements but the tensor has %d"
                              % (what, mask.nElement(), x.nElement()))
    m = mask._a.reshape(-1) if mask._size else np.empty(0, np.uint8)
    if m.size and m.max() > 1:
        raise TorchValueError("%s: mask tensor can take 0 and 1 values only" % what)
    return m.astype(bool)


def _flat_positions(x, pos):
    """An index for x._a that selects the row-major flat positions pos."""
    return np.unravel_index(pos, x._size)


# -- index ------------------------------------------------------------------------------------

def _index(out, x, dim, index):
    if out is x:     # x.index(dim, idx): a new tensor (the source cannot hold its own result)
        out = None
    dim = x._checkdim(dim)
    idx = _index_vector(x, index, x._size[dim], "index")
    r = _sized(out, type(x), x._size[:dim] + (idx.size,) + x._size[dim + 1:])
    if idx.size:
        np.copyto(r._a, np.take(x._a, idx, axis=dim))
    return r


def _slices_source(x, dim, n, src, what):
    """src's array, which must be shaped like x with dimension dim of size n."""
    want = x._size[:dim] + (n,) + x._size[dim + 1:]
    if src._size != want:
        raise TorchValueError("%s: the source has size %s; expected %s (the tensor's size with "
                              "dimension %d matching the %d indices)" % (what, _fmt(src._size), _fmt(want), dim, n))
    return src._a


def _last_occurrences(idx):
    """Distinct indices and, for each, the position of its last occurrence (the write that wins)."""
    uniq, first_in_reversed = np.unique(idx[::-1], return_index=True)
    return uniq, idx.size - 1 - first_in_reversed


def _index_copy(x, dim, index, src):
    dim = x._checkdim(dim)
    idx = _index_vector(x, index, x._size[dim], "indexCopy")
    s = _slices_source(x, dim, idx.size, src, "indexCopy")
    if idx.size:
        uniq, pos = _last_occurrences(idx)
        x._a[_along(dim, uniq)] = np.take(s, pos, axis=dim)
    return x


def _view3(a, dim):
    """a as (outer, a.shape[dim], inner) without a copy if possible; (view, copied?)."""
    s = a.shape
    shp = (int(np.prod(s[:dim], dtype=np.int64)), s[dim], int(np.prod(s[dim + 1:], dtype=np.int64)))
    r = a.reshape(shp)   # a view when the strides allow it, else a fresh copy
    return r, not np.may_share_memory(r, a)


def _index_add(x, dim, index, src):
    dim = x._checkdim(dim)
    idx = _index_vector(x, index, x._size[dim], "indexAdd")
    s = _slices_source(x, dim, idx.size, src, "indexAdd")
    if not idx.size:
        return x
    if _kernels is None or x.dtype not in _KERNEL_TYPES or type(x._a) is not np.ndarray:   # CuPy: add.at
        # repeated indices accumulate in order, like the kernel (slower: numpy's unbuffered add)
        np.add.at(x._a, _along(dim, idx), s)
        return x
    d3, copied = _view3(x._a, dim)
    s3, _ = _view3(s, dim)
    _kernels.index_add(d3, s3, np.ascontiguousarray(idx))
    if copied:
        np.copyto(x._a, d3.reshape(x._size))
    return x


_KERNEL_TYPES = {np.dtype(t) for t in (np.uint8, np.int8, np.int16, np.int32, np.int64,
                                       np.float32, np.float64)}


def _index_fill(x, dim, index, value):
    dim = x._checkdim(dim)
    idx = _index_vector(x, index, x._size[dim], "indexFill")
    if idx.size:
        x._a[_along(dim, idx)] = real(x, value)
    return x


# -- gather / scatter --------------------------------------------------------------------------

def _check_like(a_size, b_size, dim, what, names):
    if len(a_size) != len(b_size) or any(p != q for d, (p, q) in enumerate(zip(a_size, b_size)) if d != dim):
        raise TorchValueError("%s: %s (size %s) and %s (size %s) must have the same sizes except in "
                              "dimension %d" % (what, names[0], _fmt(a_size), names[1], _fmt(b_size), dim))


def _gather(out, x, dim, index):
    if out is x:
        out = None
    dim = x._checkdim(dim)
    _check_like(x._size, index._size, dim, "gather", ("the tensor", "the index"))
    idx = _index_array(x, index, "gather")
    _check_range(idx, x._size[dim], "gather")
    r = _sized(out, type(x), index._size)
    np.copyto(r._a, np.take_along_axis(x._a, idx, axis=dim))
    return r


def _scatter_index(x, dim, index):
    dim = x._checkdim(dim)
    _check_like(x._size, index._size, dim, "scatter", ("the tensor", "the index"))
    idx = _index_array(x, index, "scatter")
    _check_range(idx, x._size[dim], "scatter")
    return dim, idx


def _scatter(x, dim, index, src):
    dim, idx = _scatter_index(x, dim, index)
    _check_like(x._size, src._size, dim, "scatter", ("the tensor", "the source"))
    n = index._size[dim]
    if src._size[dim] < n:
        raise TorchValueError("scatter: the source has %d elements along dimension %d; the index needs %d"
                              % (src._size[dim], dim, n))
    s = src._a[_along(dim, slice(0, n))]
    # for each row the writes happen in index order, so on a repeated index the last one wins
    np.put_along_axis(x._a, idx, s.copy() if np.shares_memory(s, x._a) else s, axis=dim)
    return x


def _scatter_fill(x, dim, index, value):
    dim, idx = _scatter_index(x, dim, index)
    np.put_along_axis(x._a, idx, real(x, value), axis=dim)
    return x


# -- masks --------------------------------------------------------------------------------------

def _masked_select(out, x, mask):
    if out is x:
        out = None
    m = _mask_flat(x, mask, "maskedSelect")
    vals = np.ravel(x._a)[m] if m.size else np.empty(0, x.dtype)
    r = _sized(out, type(x), (vals.size,))
    if vals.size:
        np.copyto(r._a, vals)
    return r


def _masked_copy(x, mask, src):
    m = _mask_flat(x, mask, "maskedCopy")
    pos = np.flatnonzero(m)
    if src.nElement() < pos.size:
        raise TorchValueError("maskedCopy: the source has %d elements, fewer than the %d ones in the mask"
                              % (src.nElement(), pos.size))
    if pos.size:
        vals = np.ravel(src._a)[:pos.size].copy()
        x._a[_flat_positions(x, pos)] = vals
    return x


def _masked_fill(x, mask, value):
    m = _mask_flat(x, mask, "maskedFill")
    pos = np.flatnonzero(m)
    if pos.size:
        x._a[_flat_positions(x, pos)] = real(x, value)
    return x


def _nonzero(out, x):
    from ..tensor import LongTensor
    if out is x:
        out = None
    a = x._a
    coords = np.nonzero(a) if x._size else ()
    n = coords[0].size if coords else 0
    r = _sized(out, index_class(x, LongTensor), (n, len(x._size)))
    if n:
        np.copyto(r._a, np.stack(coords, axis=1))
    return r


wrap("index",
     over("T x, D dim, L index", _index),
     doc="x.index(dim, index) -> a new tensor of the slices of x along dim at the 0-based "
         "positions in the 1D LongTensor index; r.index(x, dim, index) writes them into r.")

wrap("indexCopy",
     over("T x, D dim, L index, T src", _index_copy),
     form="self",
     doc="x.indexCopy(dim, index, src): copies src's slices along dim into x at the 0-based "
         "positions in index (on a repeated index the last copy wins); returns x.")

wrap("indexAdd",
     over("T x, D dim, L index, T src", _index_add),
     form="self",
     doc="x.indexAdd(dim, index, src): adds src's slices along dim into x at the 0-based "
         "positions in index (repeated indices accumulate); returns x.")

wrap("indexFill",
     over("T x, D dim, L index, N value", _index_fill),
     form="self",
     doc="x.indexFill(dim, index, value): fills the slices of x along dim at the 0-based "
         "positions in index with value; returns x.")

wrap("gather",
     over("T x, D dim, L index", _gather),
     doc="x.gather(dim, index) -> r with r[i][j] = x[index[i][j]][j] (dim 0; likewise for "
         "other dims), shaped like index; r.gather(x, dim, index) writes into r.")

wrap("scatter",
     over("T x, D dim, L index, T src", _scatter),
     over("T x, D dim, L index, N value", _scatter_fill),
     form="self",
     doc="x.scatter(dim, index, src|value): the inverse of gather, x[index[i][j]][j] = "
         "src[i][j] (dim 0) or value; returns x.")

wrap("maskedSelect",
     over("T x, M mask", _masked_select),
     doc="x.maskedSelect(mask) -> a 1D tensor of the elements of x where mask is 1 (row-major "
         "order); r.maskedSelect(x, mask) writes into r.")

wrap("maskedCopy",
     over("T x, M mask, T src", _masked_copy),
     form="self",
     doc="x.maskedCopy(mask, src): the elements of x where mask is 1 receive src's elements "
         "in row-major order; returns x.")

wrap("maskedFill",
     over("T x, M mask, N value", _masked_fill),
     form="self",
     doc="x.maskedFill(mask, value): the elements of x where mask is 1 become value; returns x.")

wrap("nonzero",
     over("A x", _nonzero, returns="L"),
     doc="nonzero([r,] x) -> an N x x.dim() LongTensor of the 0-based subscripts of the "
         "non-zero elements of x, in row-major order.")
