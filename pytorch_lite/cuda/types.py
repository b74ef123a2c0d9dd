"""The Cuda tensor and storage types: torch.CudaTensor (float), CudaDoubleTensor, ... CudaLongTensor.

They are ordinary Tensor/Storage classes whose arrays come from ``device.xp()``: CuPy arrays on a
GPU, numpy arrays under ``PYTORCH_LITE_CUDA=cpu``.  The declared surface runs on them unchanged:
numpy calls on CuPy arrays dispatch to CuPy through ``__array_function__``/``__array_ufunc__``.
Only what must know where the memory lives is overridden here: allocation, the strided view,
host<->device copies.  Without a device, making one raises ``TorchCudaError``.
"""
import numpy as np

from .. import _decl, tensor as _tensor
from ..errors import TorchValueError
from ..storage import Storage, STORAGE_TYPES, _STORAGE_CLASSES
from ..tensor import Tensor, TENSOR_TYPES, _TYPES
from . import device

# element name -> (numpy dtype, Torch7's Cuda prefix, the cutorch shorthand method)
ELEMENTS = (("Float", np.float32, "Cuda", "cuda"), ("Double", np.float64, "CudaDouble", "cudaDouble"),
            ("Half", np.float16, "CudaHalf", "cudaHalf"), ("Byte", np.uint8, "CudaByte", "cudaByte"),
            ("Char", np.int8, "CudaChar", "cudaChar"), ("Short", np.int16, "CudaShort", "cudaShort"),
            ("Int", np.int32, "CudaInt", "cudaInt"), ("Long", np.int64, "CudaLong", "cudaLong"))


def _on_device(arr, dtype):
    """arr (numpy or device array) as a 1-D contiguous array of dtype in the current array module."""
    xp = device.xp()
    if xp is np:
        return np.ascontiguousarray(device.to_host(arr), dtype=dtype).reshape(-1)
    return xp.ascontiguousarray(xp.asarray(arr), dtype=dtype).reshape(-1)


class CudaStorageBase(Storage):
    """A Storage whose ``_data`` lives where ``device.xp()`` says."""
    __slots__ = ()
    is_cuda = True

    def __init__(self, arg=None, *more):
        xp = device.xp()
        if device.is_device_array(arg):
            arg = arg.get()
        elif isinstance(arg, Storage):
            arg = device.to_host(arg._data)
        Storage.__init__(self, arg, *more)
        if xp is not np:
            self._data = xp.asarray(self._data)

    @classmethod
    def _wrap(cls, arr):
        xp = device.xp()
        if xp is not np and not device.is_device_array(arr):
            arr = xp.asarray(arr)
        elif xp is np and device.is_device_array(arr):
            arr = arr.get()
        return super()._wrap(arr)

    def resize(self, n):
        xp = device.xp()
        if xp is np:
            return Storage.resize(self, n)
        n = int(n)
        if n < 0:
            raise TorchValueError("storage size must be non-negative, got %d" % n)
        old = self._data
        if n != old.shape[0]:
            new = xp.zeros(n, self.dtype)
            k = min(n, old.shape[0])
            new[:k] = old[:k]
            self._set_data(new)
        return self

    def copy(self, src):
        if not device.is_device_array(self._data):
            if isinstance(src, Storage) and device.is_device_array(src._data):
                src = src._data.get()
            return Storage.copy(self, src)
        arr = src._data if isinstance(src, Storage) else src
        arr = _on_device(arr, self.dtype) if arr.dtype == self.dtype else _cast(arr, self.dtype)
        if arr.shape[0] != self._data.shape[0]:
            raise TorchValueError("copy: size mismatch (%d vs %d)" % (self._data.shape[0], arr.shape[0]))
        self._data[...] = arr
        return self

    def numpy(self):
        """A host copy on a GPU (the storage itself under PYTORCH_LITE_CUDA=cpu)."""
        return device.to_host(self._data)

    def __array__(self, dtype=None, copy=None):
        a = self.numpy()
        return a if dtype is None else a.astype(dtype)

    def tolist(self):
        return device.to_host(self._data).tolist()

    totable = tolist

    def __iter__(self):
        return iter(self.tolist())

    def isSharedWith(self, other):
        a, b = self._data, other._data
        if device.is_device_array(a) or device.is_device_array(b):
            return (device.is_device_array(a) and device.is_device_array(b)
                    and bool(device.xp().shares_memory(a, b)))
        return np.shares_memory(a, b)

    def getDevice(self):
        return _device_of(self._data)


def _cast(arr, dtype):
    """Torch7's conversion (float->int truncates, wraps like C) on the host, then onto the device."""
    from ..convert import convert_array
    return _on_device(convert_array(np.asarray(device.to_host(arr)).reshape(-1), np.dtype(dtype)), dtype)


def _device_of(arr):
    dev = getattr(arr, "device", None)
    return int(dev.id) if dev is not None and hasattr(dev, "id") else device.getDevice()


class CudaTensorBase(Tensor):
    """A Tensor over a CudaStorageBase; the view ``_a`` is a CuPy array on a GPU."""
    __slots__ = ()
    is_cuda = True

    def __init__(self, *args):
        device.xp()   # the one clear error where there is no device
        if len(args) == 1 and device.is_device_array(args[0]):
            args = (args[0].get(),)
        Tensor.__init__(self, *args)

    def __getattr__(self, name):
        if name != "_a":
            raise AttributeError("%s has no attribute %r" % (type(self).__name__, name))
        st = self._storage
        d = None if st is None else st._data
        if d is None or not device.is_device_array(d):
            return Tensor.__getattr__(self, name)
        cp = device.xp()
        if not self._size:
            arr = d[:0]
        else:
            isz = d.itemsize
            self._check_inside(d.shape[0])
            arr = cp.ndarray(self._size, self.dtype, memptr=d.data + self._offset * isz,
                             strides=tuple(s * isz for s in self._stride))
        st._add_viewer(self)
        self._a = arr
        return arr

    @classmethod
    def _from_array(cls, arr):
        xp = device.xp()
        if xp is np:
            return super()._from_array(device.to_host(arr))
        arr = xp.ascontiguousarray(xp.asarray(arr), dtype=cls.dtype)
        size = _tensor._th_size(arr.shape)
        if not size:
            return cls._make(cls.storage_class._wrap(xp.empty(0, cls.dtype)), 0, (), ())
        return cls._make(cls.storage_class._wrap(arr.reshape(-1)), 0, size, _tensor._contig_strides(size))

    def copy(self, src):
        dst_dev = self._storage is not None and device.is_device_array(self._storage._data)
        if not dst_dev:
            if isinstance(src, Tensor) and device.is_device_array(src._a):
                src = device.to_host(src._a)
            return Tensor.copy(self, src)
        n = src.nElement() if isinstance(src, Tensor) else getattr(src, "size", None)
        if not isinstance(src, Tensor) and not isinstance(src, np.ndarray) and not device.is_device_array(src):
            return Tensor.copy(self, src)   # its own type error
        if n != self.nElement():
            raise TorchValueError("copy: sizes do not match (%d vs %d elements)" % (self.nElement(), n))
        if n == 0:
            return self
        a = src._a if isinstance(src, Tensor) else src
        a = _on_device(a, self.dtype) if a.dtype == self.dtype else _cast(a, self.dtype)
        self._a[...] = a.reshape(self._size)
        return self

    def numpy(self):
        """A host copy on a GPU (a view of the tensor under PYTORCH_LITE_CUDA=cpu)."""
        return device.to_host(self._a)

    def __array__(self, dtype=None, copy=None):
        a = self.numpy()
        return a if dtype is None else a.astype(dtype)

    def tolist(self):
        return device.to_host(self._a).tolist() if self._size else []

    def __dlpack__(self, *args, **kw):
        return self._a.__dlpack__(*args, **kw)

    def __dlpack_device__(self):
        return self._a.__dlpack_device__()

    def getDevice(self):
        """The device holding this tensor (0-based; Lua's cutorch adds 1); -1 for a tensor with no
        storage yet, which cutorch reports as device 0 (none)."""
        st = self._storage
        return -1 if st is None else _device_of(st._data)


CUDA_TENSOR_TYPES = {}
CUDA_STORAGE_TYPES = {}
_CPU_OF = {}       # 'torch.CudaTensor' -> 'torch.FloatTensor', storages too
_CUDA_OF = {}      # the reverse


def _register():
    for elem, dt, prefix, _short in ELEMENTS:
        st_name, t_name = prefix + "Storage", prefix + "Tensor"
        scls = type(st_name, (CudaStorageBase,), {"__slots__": (), "dtype": np.dtype(dt),
                                                    "typename": "torch." + st_name})
        tcls = type(t_name, (CudaTensorBase,), {"__slots__": (), "dtype": scls.dtype,
                                                   "typename": "torch." + t_name, "storage_class": scls})
        scls.tensor_class = tcls
        for table, cls in ((_STORAGE_CLASSES, scls), (STORAGE_TYPES, scls), (_TYPES, tcls),
                           (TENSOR_TYPES, tcls)):
            table[cls.typename] = cls
        CUDA_TENSOR_TYPES[tcls.typename] = tcls
        CUDA_STORAGE_TYPES[scls.typename] = scls
        for cpu, cuda in (("torch.%sTensor" % elem, tcls.typename), ("torch.%sStorage" % elem, scls.typename)):
            _CPU_OF[cuda], _CUDA_OF[cpu] = cpu, cuda


def cpu_typename(name):
    """'torch.CudaTensor' -> 'torch.FloatTensor' (a CPU name is returned as is)."""
    return _CPU_OF.get(name, name)


def cuda_typename(name):
    """'torch.FloatTensor' -> 'torch.CudaTensor' (a Cuda name is returned as is)."""
    return _CUDA_OF.get(name, name)


def is_cuda(obj):
    return getattr(type(obj), "is_cuda", False) is True


def _shorthand(typename, short):
    def conv(self, *device_arg):
        return self.type(typename)
    conv.__name__ = short
    conv.__doc__ = "This tensor as a %s (itself if it already is one)." % typename
    return conv


def _link_index_types():
    """cutorch's index and mask types: max/sort/nonzero/comparisons of a Cuda tensor answer
    CudaLongTensor/CudaByteTensor, and the declarations accept them as index (L) and mask (M)."""
    from ..ops import _util
    for cpu, cuda in _CUDA_OF.items():
        if cpu in TENSOR_TYPES and cpu in _TYPES:
            _util.CUDA_COUNTERPART[_TYPES[cpu]] = _TYPES[cuda]
    _decl._CUDA_LONG = _TYPES["torch.CudaLongTensor"]
    _decl._CUDA_BYTE = _TYPES["torch.CudaByteTensor"]


def _install_methods():
    """x.cuda(), x.cudaDouble(), ... on every tensor, declared for the Lua bridge (getDevice: cutorch.lua)."""
    from ..ops.structure import _q
    for elem, _dt, prefix, short in ELEMENTS:
        setattr(Tensor, short, _shorthand("torch." + prefix + "Tensor", short))
        _decl.wrap(short, _decl.over("T x", _q(short), "*"), form="new", method=False, function=False)

    Tensor.is_cuda = False
    Storage.is_cuda = False


_register()
_link_index_types()
_install_methods()
