"""Helpers shared by the op implementations: result tensors, operand shapes, Torch7's `real` numbers."""
import numpy as np

from ..convert import convert_array
from ..errors import TorchTypeError, TorchValueError
from ..tensor import _contig_strides as contig_strides


# CPU class -> its Cuda counterpart (LongTensor -> CudaLongTensor), filled by pytorch_lite.cuda
CUDA_COUNTERPART = {}


def index_class(x, cls):
    """cls (LongTensor, ByteTensor) for a CPU x; its Cuda counterpart for a Cuda x, as cutorch."""
    return CUDA_COUNTERPART.get(cls, cls) if type(x).is_cuda else cls


def new_tensor(cls, size):
    """A new contiguous tensor of class cls and the given size (uninitialised)."""
    n = 1
    for s in size:
        n *= s
    if cls.is_cuda:   # allocated where the Cuda type computes (CuPy on a GPU)
        from ..cuda.device import xp
        flat = xp().empty(n if size else 0, cls.dtype)
    else:
        flat = np.empty(n if size else 0, cls.dtype)
    return cls._make(cls.storage_class._wrap(flat), 0, size, contig_strides(size))


def result_like(out, x, cls=None):
    """out resized to x's size, or a new tensor of x's size (and of class cls, default x's)."""
    if out is None:
        return new_tensor(cls or type(x), x._size)
    if out._size != x._size:
        out.resize(*x._size)
    return out


def result_sized(out, cls, size):
    size = tuple(size)
    if out is None:
        return new_tensor(cls, size)
    if out._size != size:
        out.resize(*size)
    return out


def result_counted(out, cls, n):
    """A result for n generated values: TH's range/linspace/logspace resize the result only when
    its element count differs, else fill it in place in its own shape (non-contiguous too)."""
    if out is None:
        return new_tensor(cls, (n,))
    if out.nElement() != n:
        out.resize(n)
    return out


def other(x, y, what):
    """y's array shaped like x's: TH's pointwise ops only ask for equal element counts."""
    if y._size == x._size:
        return y._a
    if y.nElement() != x.nElement():
        raise TorchValueError("%s: inconsistent tensor size, expected %s to have the same number of "
                              "elements as %s" % (what, _desc(y), _desc(x)))
    return y._a.reshape(x._size)   # C order, copied if it must be (a CuPy array has no host buffer)


def _desc(t):
    return "tensor of size [%s]" % "x".join(map(str, t._size))


_RANGE = {np.dtype(t): (np.iinfo(t).min, np.iinfo(t).max)
          for t in (np.uint8, np.int8, np.int16, np.int32, np.int64)}


def real(x, value):
    """A number converted to x's C element type (TH's `real` argument)."""
    dt = x.dtype
    if dt.kind == "f":
        tv = type(value)
        if tv is float or (tv is int and -2 ** 53 <= value <= 2 ** 53):
            return value        # numpy computes with a Python number in the array's own type
        return dt.type(value)
    if type(value) is int:
        lo, hi = _RANGE[dt]
        if lo <= value <= hi:
            return dt.type(value)
        return np.array(value & 0xFFFFFFFFFFFFFFFF, dtype=np.uint64).astype(dt)[()]  # wraps like C
    if isinstance(value, (float, np.floating)):
        return convert_array(np.array([value], np.float64), dt)[0]
    return np.array(value).astype(dt)[()]   # a numpy scalar: CuPy refuses 0-d numpy arrays


def need_float(name, x):
    if x.dtype.kind != "f":
        raise TorchTypeError("%s does not implement the torch.%s() function" % (x.typename, name))


def need_int(name, x):
    if x.dtype.kind == "f":
        raise TorchTypeError("%s is only supported for integer type tensors" % name)


def shares(a, *others):
    return any(np.may_share_memory(a, b) for b in others)
