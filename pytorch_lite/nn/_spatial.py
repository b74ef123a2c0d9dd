"""Helpers shared by the convolution, pooling and normalisation modules (not a module file).

The kernel table is picked by the tensor's type (THNN's rule): CPU tensors use the Cython
kernels in pytorch_lite._nn_conv / _nn_pool / _nn_norm; a CUDA table can sit beside it later
under the same function names.
"""
import math

import numpy as np

from ..errors import TorchValueError
from ..tensor import Tensor, LongTensor
from . import utils

FLOAT_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def kernels(name, t):
    """The kernel table `name` ('conv', 'pool', 'norm') for tensor t's type."""
    if t.dtype not in FLOAT_DTYPES:
        raise TorchValueError("%s kernels are defined for torch.FloatTensor and torch.DoubleTensor, not %s"
                              % (name, t.typename))
    if name == "conv":
        from .. import _nn_conv as k
    elif name == "pool":
        from .. import _nn_pool as k
    else:
        from .. import _nn_norm as k
    return k


def arr(t):
    """A C-contiguous numpy array with t's elements (t's own buffer when already contiguous)."""
    return np.ascontiguousarray(t._a)


def out(t, shape):
    """t resized to shape; its (contiguous) numpy view."""
    shape = tuple(int(s) for s in shape)
    if t._size != shape or not t.isContiguous():
        t.resize(*shape)
    a = t._a
    if not a.flags.c_contiguous:
        t.set()
        t.resize(*shape)
        a = t._a
    return a


def buffer(module, name, like, shape):
    """The module's reusable buffer `name` (same type as `like`), resized to shape; its array."""
    b = module.__dict__.get(name)
    if not isinstance(b, Tensor) or type(b) is not type(like):
        b = like.new()
        module.__dict__[name] = b
    return out(b, shape)


def index_buffer(module, name, shape):
    b = module.__dict__.get(name)
    if not isinstance(b, LongTensor):
        b = LongTensor()
        module.__dict__[name] = b
    return out(b, shape)


def need(module, cond, expected, x):
    if not cond:
        utils.bad_input(module, expected, x)


def check_tensor(module, x, dims, expected):
    if not isinstance(x, Tensor) or x.dim() not in dims:
        utils.bad_input(module, expected, x)
    if x.dtype not in FLOAT_DTYPES:
        raise TorchValueError("%s: expected a torch.FloatTensor or torch.DoubleTensor, got %s"
                              % (module.typename, x.typename))


def check_grad(module, gradOutput, shape):
    if not isinstance(gradOutput, Tensor) or tuple(gradOutput._size) != tuple(shape):
        raise TorchValueError("%s: gradOutput should be of size %s, got %s"
                              % (module.typename, "x".join(map(str, shape)), utils.shape_str(gradOutput)))


def pool_size(n, k, d, pad, ceil_mode, dil=1):
    """THNN's pooled output length (floor or ceil), with the last window starting inside the input."""
    span = n + 2 * pad - (dil * (k - 1) + 1)
    o = (int(math.ceil(span / d)) if ceil_mode else span // d) + 1
    if pad and (o - 1) * d >= n + pad:
        o -= 1
    return o


def get(module, name, default=None):
    v = module.__dict__.get(name)
    return default if v is None else v


def planes(module, input, expected, dims=(3, 4)):
    """input checked to be 3D/4D (or `dims`) and its contiguous array folded to (planes, H, W)."""
    check_tensor(module, input, dims, expected)
    x = arr(input)
    return x.reshape((-1,) + x.shape[-2:])
