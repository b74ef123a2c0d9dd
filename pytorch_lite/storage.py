"""Torch7 storages: typed, resizable, one-dimensional arrays that tensors view.

A storage owns one contiguous numpy array (``_data``).  Resizing replaces that array (keeping
the common prefix), exactly like TH's realloc; tensors notice the change because they compare
their cached view's source against ``storage._data``.  Python indexing is 0-based.
"""
import os
import weakref

import numpy as np

from . import _views
from .errors import TorchIndexError, TorchTypeError, TorchValueError

_STORAGE_CLASSES = {}

# Called with the byte size of every new storage buffer when set (lua_compat uses it to let Lua
# release the Python objects it holds once enough memory has been allocated; see its runtime).
alloc_hook = None


class Storage:
    __slots__ = ("_data", "_viewers", "_vlimit", "__weakref__")
    dtype = None
    typename = None      # e.g. 'torch.DoubleStorage'
    tensor_class = None  # filled in by tensor.py

    def __init__(self, arg=None, *more):
        self._viewers = None
        self._vlimit = 16
        dt = self.dtype
        if arg is None:
            self._data = np.empty(0, dt)
        elif isinstance(arg, (int, np.integer)) and not more and not isinstance(arg, bool):
            if arg < 0:
                raise TorchValueError("storage size must be non-negative, got %d" % arg)
            self._data = np.zeros(int(arg), dt)
        elif isinstance(arg, np.ndarray):
            if arg.ndim == 1 and arg.dtype == dt and arg.flags.c_contiguous:
                self._data = arg  # shares memory
            else:
                self._data = np.ascontiguousarray(arg, dtype=dt).reshape(-1).copy()
        elif isinstance(arg, Storage):
            if type(arg) is type(self):
                self._data = _view_of(arg, *more)   # Torch7: Storage(storage, offset, size) shares memory
            elif more:
                raise TorchTypeError("%s(storage, offset, size): the storage must be a %s, got %s"
                                     % (self.typename, self.typename, arg.typename))
            else:
                self._data = arg._data.astype(dt)
        elif isinstance(arg, str):
            self._data = _mapped(arg, dt, *more)
            self._finalize_mapping(arg, *more)
        elif isinstance(arg, (list, tuple)):
            self._data = _array_from_values(arg, dt)
        elif isinstance(arg, (bytes, bytearray)) and dt in (np.uint8, np.int8):
            self._data = np.frombuffer(bytes(arg), dtype=dt).copy()
        else:
            raise TorchTypeError("%s(): cannot build from %s" % (self.typename, type(arg).__name__))
        if alloc_hook is not None:
            alloc_hook(self._data.nbytes)

    def _finalize_mapping(self, path, shared=False, size=0, sharedMem=False):
        if shared and sharedMem:   # TH unlinks a shared-memory object when its storage is freed
            weakref.finalize(self, _unlink_quietly, _shm_path(path))

    @classmethod
    def _wrap(cls, arr):
        """Wrap a 1-D contiguous array of this storage's dtype without copying."""
        s = object.__new__(cls)
        s._data = arr
        s._viewers = None
        s._vlimit = 16
        if alloc_hook is not None:
            alloc_hook(arr.nbytes)
        return s

    def _add_viewer(self, tensor):
        """Remember a tensor holding a numpy view of _data, to refresh it if _data is replaced
        (_viewers: weak references, compacted as it grows; see csrc/_views.pyx)."""
        _views.add_viewer(self, tensor)

    def _set_data(self, arr):
        """Replace the backing array (a reallocation); every tensor's cached view is dropped."""
        self._data = arr
        if alloc_hook is not None:
            alloc_hook(arr.nbytes)
        if self._viewers:
            for r in self._viewers:
                t = r()
                if t is not None:
                    t._invalidate()
            self._viewers = None
            self._vlimit = 16

    # -- Torch7 API -------------------------------------------------------------------------
    def size(self):
        return self._data.shape[0]

    def __len__(self):
        return self._data.shape[0]

    def elementSize(self):
        """Bytes per element."""
        return self.dtype.itemsize

    def resize(self, n):
        n = int(n)
        if n < 0:
            raise TorchValueError("storage size must be non-negative, got %d" % n)
        old = self._data
        if n != old.shape[0]:
            new = np.zeros(n, self.dtype)
            k = min(n, old.shape[0])
            new[:k] = old[:k]
            self._set_data(new)
        return self

    def fill(self, value):
        self._data.fill(value)
        return self

    def zero(self):
        self._data.fill(0)
        return self

    def copy(self, src):
        if isinstance(src, Storage):
            src_arr = src._data
            if type(src_arr) is not np.ndarray and hasattr(src_arr, "get"):
                src_arr = src_arr.get()   # a Cuda storage on the device: copied to the host first
        else:
            src_arr = np.asarray(src).reshape(-1)
        if src_arr.shape[0] != self._data.shape[0]:
            raise TorchValueError("copy: size mismatch (%d vs %d)" % (self._data.shape[0], src_arr.shape[0]))
        from .convert import cast_into
        cast_into(self._data, src_arr)
        return self

    def type(self, name=None):
        if name is None:
            return self.typename
        cls = _STORAGE_CLASSES.get(name)
        if cls is None:
            raise TorchTypeError("unknown storage type %r" % (name,))
        if cls is type(self):
            return self
        out = cls(self.size())
        return out.copy(self)

    def tolist(self):
        return self._data.tolist()

    totable = tolist  # Torch7's name

    def numpy(self):
        return self._data

    def __array__(self, dtype=None, copy=None):
        return self._data if dtype is None else self._data.astype(dtype)

    def _check_index(self, i):
        n = self._data.shape[0]
        if not isinstance(i, (int, np.integer)):
            raise TorchTypeError("storage index must be an integer")
        if i < -n or i >= n:
            raise TorchIndexError("index %d out of range for storage of size %d" % (i, n))
        return i

    def __getitem__(self, i):
        if isinstance(i, slice):
            return type(self)._wrap(self._data[i].copy())
        return self._data[self._check_index(i)].item()

    def __setitem__(self, i, v):
        self._data[self._check_index(i)] = v

    def __iter__(self):
        return iter(self._data.tolist())

    def __eq__(self, other):
        if isinstance(other, (Storage, list, tuple)):
            return list(self) == list(other)
        return NotImplemented

    __hash__ = object.__hash__

    def __str__(self):
        from .printing import format_storage
        return format_storage(self)

    __repr__ = __str__

    def isSharedWith(self, other):  # not in Torch7 but handy for tests
        return np.shares_memory(self._data, other._data)


def _view_of(base, offset=0, size=None):
    """base's elements [offset, offset + size) (0-based; size: to the end), sharing memory."""
    n = base._data.shape[0]
    offset = int(offset)
    if offset < 0 or offset > n:
        raise TorchIndexError("storage view: offset %d out of range for a storage of size %d" % (offset, n))
    size = n - offset if size is None else int(size)
    if size < 0 or offset + size > n:
        raise TorchIndexError("storage view: size %d out of range (offset %d, storage size %d)" % (size, offset, n))
    return base._data[offset:offset + size]


def _shm_path(name):
    return os.path.join("/dev/shm", name.lstrip("/"))


def _unlink_quietly(path):
    try:
        os.unlink(path)
    except OSError:
        pass


def _mapped(path, dtype, shared=False, size=0, sharedMem=False):
    """Torch7's Storage(filename, shared, size, sharedMem): the file mapped into memory.  shared:
    writes reach the file (and other mappings of it), else they stay private; size: elements (0:
    the whole file), the file grows to hold them when shared; sharedMem: a POSIX shared-memory
    object of that name (under /dev/shm) rather than a file."""
    if sharedMem and not shared:
        raise TorchValueError("a shared-memory storage must be shared")
    if sharedMem:
        path = _shm_path(path)
    size = int(size or 0)
    if size < 0:
        raise TorchValueError("storage size must be non-negative, got %d" % size)
    isz = np.dtype(dtype).itemsize
    try:
        if shared:
            with open(path, "a+b") as f:
                f.seek(0, os.SEEK_END)
                have = f.tell()
                if size and have < size * isz:
                    f.truncate(size * isz)
        have = os.path.getsize(path)
    except OSError as e:
        raise TorchValueError("cannot map %r: %s" % (path, e.strerror)) from None
    n = size or have // isz
    if n * isz > have:
        raise TorchValueError("cannot map %r: the file holds %d bytes, %d are needed" % (path, have, n * isz))
    if n == 0:
        return np.empty(0, dtype)
    return np.memmap(path, dtype=dtype, mode="r+" if shared else "c", shape=(n,))


def _array_from_values(values, dtype):
    try:
        return np.array(values, dtype=dtype).reshape(-1)
    except (TypeError, ValueError, OverflowError) as e:
        raise TorchValueError("cannot build a storage from %r: %s" % (values, e)) from None


def _make(name, dtype):
    cls = type(name + "Storage", (Storage,), {"__slots__": (), "dtype": np.dtype(dtype),
                                               "typename": "torch.%sStorage" % name})
    _STORAGE_CLASSES[cls.typename] = cls
    return cls


ByteStorage = _make("Byte", np.uint8)
CharStorage = _make("Char", np.int8)
ShortStorage = _make("Short", np.int16)
IntStorage = _make("Int", np.int32)
LongStorage = _make("Long", np.int64)
FloatStorage = _make("Float", np.float32)
DoubleStorage = _make("Double", np.float64)
HalfStorage = _make("Half", np.float16)

STORAGE_TYPES = dict(_STORAGE_CLASSES)
