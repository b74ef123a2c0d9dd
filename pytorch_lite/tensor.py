"""Torch7 tensors: typed views (size, stride, storageOffset) over a shared Storage.

Everything structural lives here (construction, views, resize, copy, indexing, numpy/DLPack
interop).  The math surface is declared in ``pytorch_lite/ops/`` through ``_decl.wrap`` and
installed as methods at import time.  Python is 0-based: dims, indices and storageOffset.
"""
import numbers

import numpy as np

from . import _decl, _small, _views
from .convert import cast_into, convert_array
from .errors import TorchIndexError, TorchTypeError, TorchValueError
from .storage import (Storage, ByteStorage, CharStorage, ShortStorage, IntStorage, LongStorage,
                      FloatStorage, DoubleStorage, HalfStorage)

_TYPES = {}        # 'torch.DoubleTensor' -> class
_default = [None]  # the class torch.Tensor(...) builds


_contig_strides = _views.contig_strides   # compiled: every new tensor and view asks


def _norm_sizes(args, what="size"):
    """Sizes given as ints, one LongStorage, a tuple/list, or a torch.Size-like sequence."""
    if len(args) == 1 and isinstance(args[0], (Storage, list, tuple, np.ndarray)):
        args = tuple(args[0])
    out = []
    for a in args:
        if isinstance(a, bool) or not isinstance(a, (int, np.integer, float)) or int(a) != a:
            raise TorchTypeError("%s must be integers, got %r" % (what, a))
        out.append(int(a))
    return tuple(out)


def _th_size(size):
    """TH drops every dimension from the first non-positive size on (resizeNd)."""
    for i, s in enumerate(size):
        if s <= 0:
            return size[:i]
    return size


_SIZE_SEQS = (Storage, list, tuple, np.ndarray)


class Tensor:
    """Base class of every tensor type; ``Tensor(...)`` builds the default type."""
    # _a: the numpy view of this tensor, built on first use and dropped whenever the geometry
    # changes or the storage reallocates (Storage.resize tells its viewers); a descriptor over the
    # slot _arr (set after the class, see csrc/_views.pyx).  _th: the tensor's C view (plite_meta),
    # made when the Lua side first asks for it and kept in step with _a (csrc/_views.pyx).
    __slots__ = ("_storage", "_offset", "_size", "_stride", "_arr", "_th", "__weakref__")
    dtype = None
    typename = None
    storage_class = None
    __array_priority__ = 1000  # numpy defers to our operators

    def __new__(cls, *args, **kw):
        if cls is Tensor:
            cls = _default[0]
        return object.__new__(cls)

    def __init__(self, *args):
        self._storage = None
        self._offset = 0
        self._size = ()
        self._stride = ()
        if not args:
            return
        a0 = args[0]
        if type(a0) is int and not self.is_cuda:
            size = _views.positive_sizes(args)      # Tensor(4, 5): the common case, compiled
            if size is not None:
                n = 1
                for k in size:
                    n *= k
                self._storage = self.storage_class._wrap(np.zeros(n, self.dtype))
                self._size, self._stride = size, _contig_strides(size)
                return
        if isinstance(a0, Tensor) and len(args) == 1:
            self.set(a0)
        elif isinstance(a0, Storage) and (type(a0) is self.storage_class
                                          or (len(args) > 1 and not isinstance(args[1], _SIZE_SEQS))):
            offset = args[1] if len(args) > 1 else 0
            if isinstance(offset, bool) or not isinstance(offset, (int, np.integer)):
                raise TorchTypeError("%s(storage, offset, ...): the offset must be a number, got %s"
                                     % (self.typename, getattr(offset, "typename", type(offset).__name__)))
            size = _norm_sizes((args[2],)) if len(args) > 2 and args[2] is not None else (a0.size() - offset,)
            stride = _norm_sizes((args[3],)) if len(args) > 3 and args[3] is not None else None
            self.set(a0, offset, size, stride)
        elif isinstance(a0, (list, tuple)) and len(args) == 1:
            self._init_from_values(a0)
        elif isinstance(a0, np.ndarray) and len(args) == 1:
            self._init_from_values(a0)
        else:
            self.resize(*args)

    def _init_from_values(self, values):
        if isinstance(values, np.ndarray):
            arr = convert_array(values, self.dtype) if values.dtype != self.dtype else values.copy()
        else:
            try:
                arr = np.array(values, dtype=np.float64 if self.dtype.kind == "f" else None)
            except ValueError as e:
                raise TorchValueError("cannot build a tensor from a ragged or invalid table: %s" % e) from None
            arr = convert_array(arr, self.dtype) if arr.dtype != self.dtype else arr
        if arr.dtype == object:
            raise TorchValueError("cannot build a tensor from non-numbers")
        arr = np.ascontiguousarray(arr).reshape(-1) if arr.size else np.empty(0, self.dtype)
        shape = tuple(np.shape(values)) if arr.size else ()
        self._storage = self.storage_class._wrap(arr)
        self._size = _th_size(shape)
        self._stride = _contig_strides(self._size)

    @classmethod
    def _make(cls, storage, offset, size, stride):
        t = object.__new__(cls)
        t._storage, t._offset, t._size, t._stride = storage, offset, size, stride
        return t

    @classmethod
    def _from_array(cls, arr):
        """A new contiguous tensor owning a copy of (or, if already suitable, the buffer of) arr."""
        arr = np.ascontiguousarray(arr, dtype=cls.dtype)
        size = _th_size(arr.shape)
        if not size:
            return cls._make(cls.storage_class._wrap(np.empty(0, cls.dtype)), 0, (), ())
        flat = arr.reshape(-1)
        return cls._make(cls.storage_class._wrap(flat), 0, size, _contig_strides(size))

    # -- the numpy view ----------------------------------------------------------------------
    def __getattr__(self, name):
        # `_a` comes here only when csrc/_views.pyx does not build it itself (no storage, no
        # elements, a storage whose data is not a plain numpy array); a tensor class with another
        # array module overrides this, as before the compiled path existed
        if name != "_a":
            raise AttributeError("%s has no attribute %r" % (type(self).__name__, name))
        return self._build_array()

    def _check_inside(self, n):
        """Raise unless every element of this view lies within a storage of n elements."""
        need = self._offset + 1 + sum((k - 1) * s for k, s in zip(self._size, self._stride))
        if need > n or self._offset < 0:
            raise TorchValueError("tensor (size %s, stride %s, offset %d) lies outside its storage of size %d"
                                  % (self._size, self._stride, self._offset, n))

    def _build_array(self):
        """The general path of `_a` (np.ndarray over the storage's buffer)."""
        st = self._storage
        if st is None:
            return np.empty(0, self.dtype)
        d = st._data
        if not self._size:
            arr = d[:0]
        else:
            isz = d.itemsize
            self._check_inside(d.shape[0])
            arr = np.ndarray(self._size, self.dtype, buffer=d, offset=self._offset * isz,
                             strides=tuple(s * isz for s in self._stride))
        st._add_viewer(self)
        self._a = arr
        return arr

    def _invalidate(self):
        del self._a     # never an error (the descriptor's delete)

    # -- basic queries -------------------------------------------------------------------------
    def elementSize(self):
        """Bytes per element of this tensor's type."""
        return self.dtype.itemsize

    def storage(self):
        return self._storage

    def storageOffset(self):
        return self._offset

    def dim(self):
        return len(self._size)

    nDimension = dim
    ndimension = dim

    def size(self, dim=None):
        if dim is None:
            return LongStorage._wrap(np.array(self._size, dtype=np.int64))
        return self._size[self._checkdim(dim)]

    def stride(self, dim=None):
        if dim is None:
            return LongStorage._wrap(np.array(self._stride, dtype=np.int64))
        return self._stride[self._checkdim(dim)]

    @property
    def shape(self):
        return self._size

    def nElement(self):
        n = 1 if self._size else 0
        for s in self._size:
            n *= s
        return n

    numel = nElement

    def isContiguous(self):
        return _views.is_contiguous(self._size, self._stride)

    def is_contiguous(self):
        return self.isContiguous()

    def isSameSizeAs(self, other):
        return self._size == other._size

    def isSetTo(self, other):
        return (self._storage is not None and self._storage is other._storage and self._offset == other._offset
                and self._size == other._size and self._stride == other._stride and bool(self._size))

    def isSize(self, size):
        return self._size == _norm_sizes((size,))

    def _checkdim(self, dim, ndim=None, what="dimension"):
        n = len(self._size) if ndim is None else ndim
        if type(dim) is int and 0 <= dim < n:   # the common case, first
            return dim
        if isinstance(dim, bool) or not isinstance(dim, (int, np.integer)):
            raise TorchTypeError("%s must be an integer, got %r" % (what, dim))
        dim = int(dim)
        if dim < 0:
            dim += n
        if dim < 0 or dim >= n:
            raise TorchIndexError("%s %d out of range for a %dD tensor" % (what, dim, len(self._size)))
        return dim

    # -- types ---------------------------------------------------------------------------------
    def type(self, name=None):
        if name is None:
            return self.typename
        if isinstance(name, type) and issubclass(name, Tensor):
            cls = name
        else:
            cls = _TYPES.get(name)
        if cls is None:
            raise TorchTypeError("unknown tensor type %r" % (name,))
        if cls is type(self):
            return self
        out = cls._make(None, 0, (), ())
        out.resize(*self._size)
        out.copy(self)
        return out

    def typeAs(self, other):
        return self.type(other.typename)

    def new(self, *args):
        return type(self)(*args)

    # -- structure -----------------------------------------------------------------------------
    def set(self, source=None, offset=0, size=None, stride=None):
        if source is None:
            self._storage, self._offset, self._size, self._stride = None, 0, (), ()
        elif isinstance(source, Tensor):
            if type(source) is not type(self):
                raise TorchTypeError("set: expected a %s, got a %s" % (self.typename, source.typename))
            self._storage, self._offset = source._storage, source._offset
            self._size, self._stride = source._size, source._stride
        elif isinstance(source, Storage):
            if type(source) is not self.storage_class:
                raise TorchTypeError("set: expected a %s" % self.storage_class.typename)
            offset = int(offset)
            if size is None:
                size = (source.size() - offset,)
            size = _th_size(_norm_sizes((size,)))
            stride = _contig_strides(size) if stride is None else _norm_sizes((stride,))[:len(size)]
            if len(stride) != len(size):
                raise TorchValueError("set: size and stride have different lengths")
            if size:
                need = offset + 1 + sum((n - 1) * s for n, s in zip(size, stride))
                if offset < 0 or need > source.size() or min(stride) < 0:
                    raise TorchValueError("set: view (offset %d, size %s, stride %s) lies outside the storage of size %d"
                                          % (offset, size, stride, source.size()))
            self._storage, self._offset, self._size, self._stride = source, offset, size, stride
        else:
            raise TorchTypeError("set: expected a tensor or a storage")
        self._invalidate()
        return self

    def resize(self, *sizes):
        if _views.positive_sizes(sizes) is not None and sizes == self._size:
            return self         # TH: the same sizes change nothing, the strides stay
        if len(sizes) == 2 and all(isinstance(a, _SIZE_SEQS) for a in sizes):
            return self._resize_strided(sizes[0], sizes[1])
        size = _th_size(_norm_sizes(sizes))
        if size == self._size:
            return self
        stride = _contig_strides(size)
        return self._resize(size, stride)

    def _resize_strided(self, sizes, strides):
        """resize(LongStorage sizes, LongStorage strides): TH's resizeNd with explicit strides, where
        a negative stride means the contiguous one for that dimension."""
        size, stride = _norm_sizes((sizes,)), _norm_sizes((strides,), "strides")
        if len(size) != len(stride):
            raise TorchValueError("resize: %d sizes but %d strides" % (len(size), len(stride)))
        size = _th_size(size)
        stride = list(stride[:len(size)])
        for d in range(len(size) - 1, -1, -1):
            if stride[d] < 0:
                stride[d] = 1 if d == len(size) - 1 else stride[d + 1] * max(size[d + 1], 1)
        return self._resize(size, tuple(stride))

    def _resize(self, size, stride):
        need = (self._offset + 1 + sum((n - 1) * s for n, s in zip(size, stride))) if size else 0
        if self._storage is None:
            if size:
                self._storage = self.storage_class(need)
        elif need > self._storage.size():
            self._storage.resize(need)
        elif size == self._size and stride == self._stride:
            return self         # nothing changes: the view (its array, its C view) stays valid
        self._size, self._stride = size, stride
        self._invalidate()
        return self

    def resizeAs(self, other):
        if self._size != other._size:
            self.resize(*other._size)
        return self

    def _view(self, offset, size, stride):
        t = object.__new__(type(self))
        t._storage, t._offset, t._size, t._stride = self._storage, offset, size, stride
        return t

    def view(self, *sizes):
        n = 1
        for s in sizes:             # the common case first: positive int sizes
            if type(s) is not int or s <= 0:
                break
            n *= s
        else:
            if sizes and n == self.nElement() and _views.is_contiguous(self._size, self._stride):
                return self._view(self._offset, sizes, _contig_strides(sizes))
        size = list(_norm_sizes(sizes))
        n = self.nElement()
        if size.count(-1) > 1:
            raise TorchValueError("view: only one dimension can be inferred (-1)")
        if -1 in size:
            rest = 1
            for s in size:
                if s != -1:
                    rest *= s
            if rest == 0 or n % rest:
                raise TorchValueError("view: cannot infer the -1 dimension of %s for %d elements" % (tuple(size), n))
            size[size.index(-1)] = n // rest
        size = tuple(size)
        m = 1
        for s in size:
            if s < 0 or (s == 0 and n):
                raise TorchValueError("view: sizes must be positive, got %s" % (size,))
            m *= s
        if m != n:
            raise TorchValueError("view: size %s is inconsistent with the %d elements of the tensor" % (size, n))
        if not self.isContiguous():
            raise TorchValueError("view: the tensor is not contiguous; call :contiguous() first")
        size = _th_size(size)   # an empty tensor viewed with a 0 size stays empty, as in TH
        return self._view(self._offset, size, _contig_strides(size))

    def viewAs(self, other):
        return self.view(*other._size)

    def narrow(self, dim, start, length):
        size = self._size
        if type(dim) is not int or not 0 <= dim < len(size):
            dim = self._checkdim(dim)
        n = size[dim]
        if type(start) is not int or type(length) is not int:
            start, length = int(start), int(length)
        if start < 0:
            start += n
        if start < 0 or length <= 0 or start + length > n:
            raise TorchIndexError("narrow: out of range (dim %d of size %d, start %d, length %d)" % (dim, n, start, length))
        t = object.__new__(type(self))   # inlined _view: narrow is hot in loops (and from Lua)
        t._storage = self._storage
        t._offset = self._offset + start * self._stride[dim]
        t._size = size[:dim] + (length,) + size[dim + 1:]
        t._stride = self._stride
        return t

    def select(self, dim, index):
        size = self._size
        nd = len(size)
        if nd == 0:
            raise TorchIndexError("select: cannot select on an empty tensor")
        # Torch7: selecting from a vector gives the number itself, whatever dim says
        if nd == 1:
            dim = 0
        elif type(dim) is not int or not 0 <= dim < nd:
            dim = self._checkdim(dim)
        n = size[dim]
        if type(index) is not int:
            index = int(index)
        if index < 0:
            index += n
        if index < 0 or index >= n:
            raise TorchIndexError("select: index %d out of range for dimension %d of size %d" % (index, dim, n))
        stride = self._stride
        if nd == 1:
            return self._storage._data[self._offset + index * stride[0]].item()
        t = object.__new__(type(self))   # inlined _view, as narrow
        t._storage = self._storage
        t._offset = self._offset + index * stride[dim]
        t._size = size[:dim] + size[dim + 1:]
        t._stride = stride[:dim] + stride[dim + 1:]
        return t

    def sub(self, *bounds):
        """sub(d0start, d0end, d1start, d1end, ...): inclusive bounds, negatives count from the end."""
        if len(bounds) % 2 or len(bounds) // 2 > len(self._size):
            raise TorchValueError("sub: expected pairs of bounds for at most %d dimensions" % len(self._size))
        t = self
        for d in range(len(bounds) // 2):
            n = self._size[d]
            a, b = int(bounds[2 * d]), int(bounds[2 * d + 1])
            a = a + n if a < 0 else a
            b = b + n if b < 0 else b
            if a < 0 or b >= n or a > b:
                raise TorchIndexError("sub: bounds (%s, %s) out of range for dimension %d of size %d"
                                      % (bounds[2 * d], bounds[2 * d + 1], d, n))
            t = t.narrow(d, a, b - a + 1)
        return t if t is not self else self._view(self._offset, self._size, self._stride)

    def transpose(self, d1, d2):
        d1, d2 = self._checkdim(d1), self._checkdim(d2)
        size, stride = list(self._size), list(self._stride)
        size[d1], size[d2] = size[d2], size[d1]
        stride[d1], stride[d2] = stride[d2], stride[d1]
        return self._view(self._offset, tuple(size), tuple(stride))

    def t(self):
        if len(self._size) != 2:
            raise TorchValueError("t(): expected a 2D tensor, got %dD" % len(self._size))
        return self.transpose(0, 1)

    def permute(self, *dims):
        dims = _norm_sizes(dims, "dimensions")
        if sorted(self._checkdim(d) for d in dims) != list(range(len(self._size))):
            raise TorchValueError("permute: %s is not a permutation of the %d dimensions" % (dims, len(self._size)))
        return self._view(self._offset, tuple(self._size[d] for d in dims), tuple(self._stride[d] for d in dims))

    def unfold(self, dim, size, step):
        if not self._size:
            raise TorchValueError("unfold: empty tensor")
        dim = self._checkdim(dim)
        size, step = int(size), int(step)
        if size > self._size[dim] or size <= 0:
            raise TorchValueError("unfold: size %d out of range for dimension %d of size %d" % (size, dim, self._size[dim]))
        if step <= 0:
            raise TorchValueError("unfold: step must be positive")
        n = (self._size[dim] - size) // step + 1
        nsize = self._size[:dim] + (n,) + self._size[dim + 1:] + (size,)
        nstride = self._stride[:dim] + (self._stride[dim] * step,) + self._stride[dim + 1:] + (self._stride[dim],)
        return self._view(self._offset, nsize, nstride)

    def expand(self, *sizes):
        size = _norm_sizes(sizes)
        if len(size) != len(self._size):
            raise TorchValueError("expand: the number of sizes (%d) must equal the tensor's dimensions (%d)"
                                  % (len(size), len(self._size)))
        stride = []
        for d, (old, new) in enumerate(zip(self._size, size)):
            if old == new:
                stride.append(self._stride[d])
            elif old == 1:
                stride.append(0)
            else:
                raise TorchValueError("expand: dimension %d has size %d; only a size 1 can be expanded (to %d)"
                                      % (d, old, new))
        return self._view(self._offset, size, tuple(stride))

    def expandAs(self, other):
        return self.expand(*other._size)

    def squeeze(self, dim=None):
        if dim is None:
            keep = [i for i, s in enumerate(self._size) if s != 1]
            if not keep and self._size:
                keep_size, keep_stride = (1,), (1,)  # TH keeps a 1-element tensor 1D
            else:
                keep_size = tuple(self._size[i] for i in keep)
                keep_stride = tuple(self._stride[i] for i in keep)
            return self._view(self._offset, keep_size, keep_stride)
        dim = self._checkdim(dim)
        if self._size[dim] != 1 or len(self._size) == 1:
            return self._view(self._offset, self._size, self._stride)
        return self._view(self._offset, self._size[:dim] + self._size[dim + 1:],
                          self._stride[:dim] + self._stride[dim + 1:])

    def unsqueeze(self, dim):
        dim = self._checkdim(dim, len(self._size) + 1)
        st = self._stride[dim] * self._size[dim] if dim < len(self._size) else 1
        return self._view(self._offset, self._size[:dim] + (1,) + self._size[dim:],
                          self._stride[:dim] + (st,) + self._stride[dim:])

    def contiguous(self):
        if self.isContiguous():
            return self
        return self.clone()

    def clone(self, *_ignored):
        # Torch7's clone reads only the tensor (torch/demos' train-autoencoder calls x:clone(x))
        return type(self)._from_array(self._a.copy())  # never share the source buffer

    def copy(self, src):
        if isinstance(src, np.ndarray):
            src_arr = src
            n = src.size
        elif isinstance(src, Tensor):
            if _small.copy(self, src):      # small float tensors: a memmove (csrc/_small.pyx)
                return self
            src_arr = src._a
            if type(src_arr) is not np.ndarray and hasattr(src_arr, "get"):
                src_arr = src_arr.get()   # a Cuda tensor on the device: copied to the host first
            n = src.nElement()
        else:
            raise TorchTypeError("copy: expected a tensor, got %s" % type(src).__name__)
        if n != self.nElement():
            raise TorchValueError("copy: sizes do not match (%d vs %d elements)" % (self.nElement(), n))
        if n == 0:
            return self
        dst = self._a
        if src_arr.shape != dst.shape:
            src_arr = src_arr.reshape(dst.shape) if src_arr.flags.c_contiguous else np.ascontiguousarray(src_arr).reshape(dst.shape)
        cast_into(dst, src_arr)
        return self

    def fill(self, value):
        if _small.fill(self, value):    # small float tensors (csrc/_small.pyx)
            return self
        self._a[...] = _scalar_for(self, value)
        return self

    def zero(self):
        if _small.fill(self, 0):        # small float tensors (csrc/_small.pyx)
            return self
        self._a[...] = 0
        return self

    # -- callables -----------------------------------------------------------------------------
    def apply(self, fn):
        a = self._a
        for idx in np.ndindex(a.shape):
            r = fn(a[idx].item())
            if r is not None:
                a[idx] = r
        return self

    def map(self, other, fn):
        a, b = self._a, other._a
        if a.size != b.size:
            raise TorchValueError("map: sizes do not match (%d vs %d)" % (a.size, b.size))
        b = b.reshape(a.shape)
        for idx in np.ndindex(a.shape):
            r = fn(a[idx].item(), b[idx].item())
            if r is not None:
                a[idx] = r
        return self

    def map2(self, t1, t2, fn):
        a, b, c = self._a, t1._a, t2._a
        if not (a.size == b.size == c.size):
            raise TorchValueError("map2: sizes do not match")
        b, c = b.reshape(a.shape), c.reshape(a.shape)
        for idx in np.ndindex(a.shape):
            r = fn(a[idx].item(), b[idx].item(), c[idx].item())
            if r is not None:
                a[idx] = r
        return self

    # -- numpy and DLPack ----------------------------------------------------------------------
    def numpy(self):
        return self._a

    def __array__(self, dtype=None, copy=None):
        a = self._a
        return a if dtype is None else a.astype(dtype)

    def __dlpack__(self, *args, **kw):
        return self._a.__dlpack__(*args, **kw)

    def __dlpack_device__(self):
        return self._a.__dlpack_device__()

    def tolist(self):
        return self._a.tolist()

    totable = tolist  # Torch7's name

    def item(self):
        if self.nElement() != 1:
            raise TorchValueError("item(): the tensor has %d elements, not 1" % self.nElement())
        return self._a.reshape(-1)[0].item()

    # -- Python protocol -----------------------------------------------------------------------
    def __len__(self):
        return self._size[0] if self._size else 0

    def __iter__(self):
        n = len(self)
        if len(self._size) == 1:
            return iter(self._a.tolist())
        return (self.select(0, i) for i in range(n))

    def __bool__(self):
        raise TorchValueError("the truth value of a tensor is ambiguous; use :all(), :any() or a comparison")

    def __str__(self):
        from .printing import format_tensor
        return format_tensor(self)

    __repr__ = __str__

    def __getitem__(self, key):
        return _getitem(self, key)

    def __setitem__(self, key, value):
        _setitem(self, key, value)

    # -- Python operators: Python's conventions (* elementwise, @ matrix product), new results --
    def __add__(self, other):
        return _fn("add")(self, other)

    __radd__ = __add__

    def __sub__(self, other):
        if isinstance(other, Tensor):
            return _fn("add")(self, -1, other)
        return _fn("add")(self, -other)

    def __rsub__(self, other):
        return _fn("add")(_fn("neg")(self), other)

    def __mul__(self, other):
        return _fn("cmul" if isinstance(other, Tensor) else "mul")(self, other)

    __rmul__ = __mul__

    def __truediv__(self, other):
        return _fn("cdiv" if isinstance(other, Tensor) else "div")(self, other)

    def __rtruediv__(self, other):
        return _fn("mul")(_fn("cinv")(self), other)

    def __pow__(self, other):
        return _fn("cpow" if isinstance(other, Tensor) else "pow")(self, other)

    def __rpow__(self, other):
        return _fn("pow")(other, self)

    def __neg__(self):
        return _fn("neg")(self)

    def __abs__(self):
        return _fn("abs")(self)

    def __matmul__(self, other):
        if not isinstance(other, Tensor):
            return NotImplemented
        nd = (self.dim(), other.dim())
        if nd == (2, 2):
            return _fn("mm")(self, other)
        if nd == (2, 1):
            return _fn("mv")(self, other)
        if nd == (1, 1):
            return _fn("dot")(self, other)
        if nd == (3, 3):
            return _fn("bmm")(self, other)
        raise TorchValueError("@: unsupported dimensions %dD @ %dD" % nd)

    def __iadd__(self, other):
        return self.add(other)

    def __isub__(self, other):
        return self.add(-1, other) if isinstance(other, Tensor) else self.add(-other)

    def __imul__(self, other):
        return self.cmul(other) if isinstance(other, Tensor) else self.mul(other)

    def __itruediv__(self, other):
        return self.cdiv(other) if isinstance(other, Tensor) else self.div(other)

    def __lt__(self, other):
        return _fn("lt")(self, other)

    def __le__(self, other):
        return _fn("le")(self, other)

    def __gt__(self, other):
        return _fn("gt")(self, other)

    def __ge__(self, other):
        return _fn("ge")(self, other)

    # == and != keep Python's identity semantics (as Lua's == on tensors): use eq/ne/equal.

    def __copy__(self):
        return self.clone()

    def __deepcopy__(self, memo):
        return self.clone()

    def __reduce__(self):
        return (_rebuild, (self.typename, self._a.copy()))


Tensor._a = _views.ArrayAttr(Tensor, "_arr", "_th")
_small.bind(Tensor, Storage)


def _fn(name):
    """The generated torch.<name> function (looked up late: ops register after this module)."""
    import pytorch_lite
    return getattr(pytorch_lite, name)


def _rebuild(typename, arr):
    return _TYPES[typename]._from_array(arr)


def _scalar_for(t, value):
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        if isinstance(value, Tensor) and value.nElement() == 1:
            return value.item()
        raise TorchTypeError("expected a number, got %s" % type(value).__name__)
    if t.dtype.kind in "iu" and isinstance(value, float):
        return convert_array(np.array([value]), t.dtype)[0]
    if t.dtype.kind in "iu":
        return np.array(value).astype(t.dtype)  # wraps like a C cast
    return value


# -- indexing --------------------------------------------------------------------------------------

def _basic_view(t, key):
    """Integers and slices (and Ellipsis / None) -> a view, or a number when every dim is indexed."""
    if not isinstance(key, tuple):
        key = (key,)
    if any(k is Ellipsis for k in key):
        i = key.index(Ellipsis)
        fill = len(t._size) - (len(key) - 1 - sum(1 for k in key if k is None))
        key = key[:i] + (slice(None),) * fill + key[i + 1:]
    size, stride, off = [], [], t._offset
    d = 0
    for k in key:
        if k is None:
            size.append(1)
            # a new size-1 dim: any stride works; use the contiguous one for the dims that follow
            stride.append(t._stride[d] * t._size[d] if d < len(t._size) else 1)
            continue
        if d >= len(t._size):
            raise TorchIndexError("too many indices for a %dD tensor" % len(t._size))
        n = t._size[d]
        if isinstance(k, slice):
            start, stop, step = k.indices(n)
            if step <= 0:
                raise TorchValueError("slices with a non-positive step are not supported")
            cnt = len(range(start, stop, step))
            if cnt == 0:
                raise TorchIndexError("empty slice %s for dimension %d of size %d" % (k, d, n))
            off += start * t._stride[d]
            size.append(cnt)
            stride.append(t._stride[d] * step)
        elif isinstance(k, (int, np.integer)) and not isinstance(k, bool):
            i = int(k)
            if i < 0:
                i += n
            if i < 0 or i >= n:
                raise TorchIndexError("index %d out of range for dimension %d of size %d" % (k, d, n))
            off += i * t._stride[d]
        else:
            raise TorchTypeError("unsupported index %r" % (k,))
        d += 1
    size += list(t._size[d:])
    stride += list(t._stride[d:])
    if not size:
        return None, off
    return t._view(off, tuple(size), tuple(stride)), off


def _is_mask(key):
    # x[mask]: a ByteTensor, or cutorch's CudaByteTensor (what torch.eq gives for Cuda tensors)
    return type(key).typename in ("torch.ByteTensor", "torch.CudaByteTensor")


def _is_index(key):
    return type(key).typename in ("torch.LongTensor", "torch.CudaLongTensor")


def _getitem(t, key):
    if isinstance(key, Tensor):
        if _is_mask(key):
            return t.maskedSelect(key)
        if _is_index(key):
            return t.index(0, key)
        raise TorchTypeError("a tensor index must be a LongTensor or a ByteTensor mask")
    if isinstance(key, (int, np.integer)) and not isinstance(key, bool):
        if len(t._size) == 1:
            n = t._size[0]
            i = int(key)
            if i < 0:
                i += n
            if i < 0 or i >= n:
                raise TorchIndexError("index %d out of range for a tensor of size %d" % (key, n))
            return t._storage._data[t._offset + i * t._stride[0]].item()
        if not t._size:
            raise TorchIndexError("cannot index an empty tensor")
    view, off = _basic_view(t, key)
    if view is None:
        return t._storage._data[off].item()
    return view


def _setitem(t, key, value):
    if isinstance(key, Tensor):
        if _is_mask(key):
            if isinstance(value, Tensor):
                t.maskedCopy(key, value)
            else:
                t.maskedFill(key, value)
            return
        if _is_index(key):
            if isinstance(value, Tensor):
                t.indexCopy(0, key, value)
            else:
                t.indexFill(0, key, value)
            return
        raise TorchTypeError("a tensor index must be a LongTensor or a ByteTensor mask")
    view, off = _basic_view(t, key)
    if view is None:
        t._storage._data[off] = _scalar_for(t, value)
    elif isinstance(value, Tensor):
        view.copy(value)
    elif isinstance(value, np.ndarray):
        view.copy(value)
    else:
        view.fill(value)


# -- the tensor types ---------------------------------------------------------------------------------

def _make_type(name, storage_cls):
    cls = type(name + "Tensor", (Tensor,), {"__slots__": (), "dtype": storage_cls.dtype,
                                            "typename": "torch.%sTensor" % name,
                                            "storage_class": storage_cls})
    storage_cls.tensor_class = cls
    _TYPES[cls.typename] = cls
    return cls


ByteTensor = _make_type("Byte", ByteStorage)
CharTensor = _make_type("Char", CharStorage)
ShortTensor = _make_type("Short", ShortStorage)
IntTensor = _make_type("Int", IntStorage)
LongTensor = _make_type("Long", LongStorage)
FloatTensor = _make_type("Float", FloatStorage)
DoubleTensor = _make_type("Double", DoubleStorage)
HalfTensor = _make_type("Half", HalfStorage)
_default[0] = DoubleTensor

_SHORTHANDS = {"byte": ByteTensor, "char": CharTensor, "short": ShortTensor, "int": IntTensor,
               "long": LongTensor, "float": FloatTensor, "double": DoubleTensor, "half": HalfTensor}


def _shorthand(cls):
    def conv(self):
        return self.type(cls.typename)
    conv.__name__ = cls.__name__[:-6].lower()
    conv.__doc__ = "This tensor as a %s (itself if it already is one)." % cls.typename
    return conv


for _n, _c in _SHORTHANDS.items():
    setattr(Tensor, _n, _shorthand(_c))


def _real(self):
    """This tensor as the default tensor type (Torch7's x:real())."""
    return self.type(_default[0].typename)


Tensor.real = _real

TENSOR_TYPES = dict(_TYPES)
_decl._TENSOR_BASE = Tensor
_decl._LONG = LongTensor
_decl._BYTE = ByteTensor
_decl._STORAGE = Storage

_DTYPE_TO_CLASS = {np.dtype(c.dtype): c for c in _TYPES.values()}


def from_numpy(arr):
    """A tensor sharing arr's memory (no copy)."""
    if not isinstance(arr, np.ndarray):
        raise TorchTypeError("from_numpy: expected a numpy array, got %s" % type(arr).__name__)
    cls = _DTYPE_TO_CLASS.get(arr.dtype)
    if cls is None or not arr.dtype.isnative:
        raise TorchTypeError("from_numpy: unsupported dtype %s (expected one of %s)"
                             % (arr.dtype, ", ".join(str(d) for d in _DTYPE_TO_CLASS)))
    isz = arr.itemsize
    if arr.size == 0:
        return cls._make(cls.storage_class._wrap(np.empty(0, arr.dtype)), 0, (), ())
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if any(s < 0 or s % isz for s in arr.strides):
        raise TorchValueError("from_numpy: arrays with negative or unaligned strides cannot be shared; "
                              "pass a copy (numpy.ascontiguousarray)")
    stride = tuple(s // isz for s in arr.strides)
    extent = 1 + sum((n - 1) * s for n, s in zip(arr.shape, stride))
    flat = np.lib.stride_tricks.as_strided(arr, shape=(extent,), strides=(isz,))
    # zero-stride arrays keep working: the storage is just their span
    return cls._make(cls.storage_class._wrap(flat), 0, _th_size(arr.shape), stride)


def from_dlpack(obj):
    return from_numpy(np.from_dlpack(obj))


def install_declarations():
    """Attach every declared operation as a Tensor method (the torch.* functions come in __init__)."""
    for name, decl in _decl.DECLS.items():
        if decl.method:
            setattr(Tensor, name, _decl.make_method(decl))
