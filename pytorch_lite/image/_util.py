"""Shared helpers of the image package: tensors <-> numpy, Torch7's ``temp_t`` precision and the
rounding its C kernels apply when they store an intermediate value (``FromIntermediate``)."""
import numpy as np

from ..errors import TorchTypeError, TorchValueError
from ..tensor import Tensor, TENSOR_TYPES

F32, F64 = np.float32, np.float64


def is_tensor(x):
    return isinstance(x, Tensor)


def check_tensor(x, what, fn):
    if not isinstance(x, Tensor):
        raise TorchTypeError("%s: %s must be a tensor, got %s" % (fn, what, type(x).__name__))
    return x


def default_class():
    """torch.Tensor's current type (what Torch7's ``torch.Tensor()`` builds)."""
    return type(Tensor())


def new_like(src, shape):
    """``src.new(shape...)``: a zeroed tensor of src's type."""
    return type(src)._from_array(np.zeros(shape, dtype=src.dtype))


def from_array(cls, arr):
    return cls._from_array(np.ascontiguousarray(arr, dtype=cls.dtype))


def write(dst, arr):
    """Resize dst to arr's shape (keeping it when it already has it) and copy arr in."""
    shape = tuple(arr.shape)
    if tuple(dst.size()) != shape:
        dst.resize(*shape)
    if arr.size:
        dst.numpy()[...] = arr
    return dst


def temp_dtype(dtype):
    """Torch7's image.c computes in ``temp_t``: real for float/double tensors, float otherwise."""
    return np.dtype(dtype) if np.dtype(dtype).kind == "f" else np.dtype(F32)


def from_intermediate(x, dtype):
    """Store temp_t values x into a tensor of dtype as image.c does: a ByteTensor rounds half up
    and saturates to 0..255; other integer types truncate (a C cast); floats convert."""
    dtype = np.dtype(dtype)
    x = np.asarray(x)
    if dtype == np.uint8:
        x = x + x.dtype.type(0.5)
        return np.clip(x, 0, 255).astype(np.uint8)
    if dtype.kind in "iu":
        return np.trunc(x).astype(dtype)
    return x.astype(dtype)


def c_long(v, what="argument", fn="image"):
    """A Lua number read with luaL_checklong: truncated toward zero."""
    if isinstance(v, bool) or not isinstance(v, (int, float, np.number)):
        raise TorchTypeError("%s: %s must be a number, got %s" % (fn, what, type(v).__name__))
    return int(v)


def tensor_class(name, fn):
    """'byte' | 'float' | 'double' | None (the default type) as a tensor class."""
    if name is None:
        return default_class()
    cls = {"byte": TENSOR_TYPES["torch.ByteTensor"], "float": TENSOR_TYPES["torch.FloatTensor"],
           "double": TENSOR_TYPES["torch.DoubleTensor"]}.get(name)
    if cls is None:
        raise TorchValueError("%s: tensor type must be 'byte', 'float' or 'double', got %r" % (fn, name))
    return cls


def image_dims(src, fn):
    """(channels or None, height, width) of a HxW or CxHxW image."""
    if src.dim() == 3:
        return src.size(0), src.size(1), src.size(2)
    if src.dim() == 2:
        return None, src.size(0), src.size(1)
    raise TorchValueError("%s: expected a 2D (HxW) or 3D (CxHxW) image, got %dD" % (fn, src.dim()))


def as3d(a):
    """A 2D array as 1xHxW (a view), a 3D one as it is."""
    return a[None] if a.ndim == 2 else a
