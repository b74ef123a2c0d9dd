"""How a tensor's elements reach MPI without copies: its storage's memory, seen through the buffer
protocol, with an MPI datatype describing the view.

A contiguous tensor is one run of memory.  Any other view is described by nested MPI ``hvector``
types over its storage (one per dimension, strides in bytes), which MPI reads and writes in
place.  MPICH's reduction operators only take contiguous runs, so a reduction over a view that is
not contiguous uses its memory block directly when the view covers one block exactly and every
rank has the same layout (a transposed matrix), and otherwise packs the elements into a temporary
(a column of a matrix) -- the one case that copies.
"""
import numpy as np

from ..errors import TorchTypeError, TorchValueError
from ..tensor import Tensor

# numpy dtype name -> MPI datatype name; HalfTensor has no MPI type
_MPI_NAMES = {"float32": "FLOAT", "float64": "DOUBLE", "int64": "INT64_T", "int32": "INT32_T",
              "int16": "INT16_T", "int8": "INT8_T", "uint8": "UINT8_T"}
# the Cuda types have codes of their own: a CudaTensor on one rank and a FloatTensor on another
# is a mismatch, as in Torch7 (their memory is on different sides)
TYPE_CODES = {name: i for i, name in enumerate(
    ["torch.ByteTensor", "torch.CharTensor", "torch.ShortTensor", "torch.IntTensor", "torch.LongTensor",
     "torch.FloatTensor", "torch.DoubleTensor",
     "torch.CudaByteTensor", "torch.CudaCharTensor", "torch.CudaShortTensor", "torch.CudaIntTensor",
     "torch.CudaLongTensor", "torch.CudaTensor", "torch.CudaDoubleTensor"])}
TYPE_NAMES = {i: name for name, i in TYPE_CODES.items()}


def check_tensor(t, what):
    if not isinstance(t, Tensor):
        raise TorchTypeError("%s: expected a tensor, got %s" % (what, type(t).__name__))
    if t.typename not in TYPE_CODES:
        raise TorchTypeError("%s: %s cannot be sent over MPI (use a Float, Double or integer tensor)"
                             % (what, t.typename))


def mpi_type(MPI, t):
    return getattr(MPI, _MPI_NAMES[t.dtype.name])


def overlaps(t):
    """Do two elements of t share memory (a stride of 0 after expand, ...)?"""
    dims = sorted((s, n) for n, s in zip(t._size, t._stride) if n > 1)
    reach = 0   # how far the inner dims reach, in elements
    for s, n in dims:
        if s <= reach:
            return True
        reach += (n - 1) * s
    return False


def compact(t):
    """Do t's elements exactly fill one run of memory, in some order of its dims?"""
    dims = sorted((s, n) for n, s in zip(t._size, t._stride) if n > 1)
    acc = 1
    for s, n in dims:
        if s != acc:
            return False
        acc *= n
    return True


def layout_code(t):
    """The same number on two ranks when their views order the memory block the same way."""
    if t.isContiguous():
        return 0
    return hash(tuple((n, s) for n, s in zip(t._size, t._stride) if n > 1)) & 0x7FFFFFFFFFFFFFFF or 1


def storage_array(t):
    st = t.storage()
    return st._data[t.storageOffset():]


class Spec:
    """The MPI buffer of a tensor ([memory, count, datatype]); free() releases a derived type."""

    def __init__(self, MPI, t, run=False):
        self._derived = None
        basic = mpi_type(MPI, t)
        n = t.nElement()
        if n == 0:
            self.buf = [np.empty(0, t.dtype), 0, basic]
        elif t.isContiguous() or run:
            self.buf = [storage_array(t)[:n], n, basic]
        else:
            dt = basic
            isz = t.dtype.itemsize
            for n_d, s_d in reversed(list(zip(t._size, t._stride))):
                dt = dt.Create_hvector(n_d, 1, s_d * isz)
            dt.Commit()
            self._derived = dt
            self.buf = [storage_array(t), 1, dt]

    def free(self):
        if self._derived is not None:
            self._derived.Free()
            self._derived = None


def packed(t):
    """t's elements in a new contiguous array (logical order)."""
    return np.ascontiguousarray(t.numpy()).reshape(-1)


def unpack(t, arr):
    t.numpy()[...] = arr.reshape(t._size)


def check_receiver(t, what):
    if overlaps(t):
        raise TorchValueError("%s: the tensor's elements overlap in memory (a stride of 0, as after expand); "
                              "a collective writes each element, so each must be stored once" % what)
