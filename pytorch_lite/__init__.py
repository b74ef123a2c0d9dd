"""pytorch_lite: Lua Torch7 reborn as a Python library.

    import pytorch_lite as torch
    x = torch.Tensor(2, 3).fill(1)
    x.add(2)                       # in place, returns x (Torch7's rule)
    y = torch.add(x, 2)            # a new tensor
"""
import builtins as _builtins
import os as _os

# Our OpenMP kernels alternate with numpy's OpenBLAS threads; libgomp's default spin-waiting
# steals the cores BLAS needs (3x slower conv backward on 2 cores).  Read once when libgomp loads.
_os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
import warnings as _warnings

from . import _decl
from .errors import TorchError, TorchIndexError, TorchValueError, TorchTypeError, TorchRuntimeError
from .storage import (Storage, ByteStorage, CharStorage, ShortStorage, IntStorage, LongStorage,
                      FloatStorage, DoubleStorage, HalfStorage, STORAGE_TYPES)
from .tensor import (Tensor, ByteTensor, CharTensor, ShortTensor, IntTensor, LongTensor, FloatTensor,
                     DoubleTensor, HalfTensor, TENSOR_TYPES, from_numpy, from_dlpack)
from . import tensor as _tensor_mod
from . import ops as _ops  # noqa: F401  (registers the declarations)
from .random import (Generator, seed, manualSeed, initialSeed, getRNGState, setRNGState,  # noqa: E402
                     default_generator)
from .serialization import load, save, serialize, deserialize  # noqa: E402
from . import cuda  # noqa: E402  (the Cuda types; CuPy itself is imported only when one is used)
globals().update({_n.split(".")[1]: _c for _n, _c in cuda.CUDA_TENSOR_TYPES.items()})
globals().update({_n.split(".")[1]: _c for _n, _c in cuda.CUDA_STORAGE_TYPES.items()})

__version__ = "0.1.0"

# Torch7 computes log(0) = -inf, 0/0 = nan, overflow = inf silently; numpy's floating-point
# RuntimeWarnings from inside our own kernels would only be noise (user code is not affected).
_warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"pytorch_lite(\.|$)")


def setdefaulttensortype(name):
    cls = TENSOR_TYPES.get(name)
    if cls is None or cls is HalfTensor:
        raise TorchTypeError("setdefaulttensortype: unknown or unsupported type %r" % (name,))
    _tensor_mod._default[0] = cls


def getdefaulttensortype():
    return _tensor_mod._default[0].typename


def _default_class():
    return _tensor_mod._default[0]


def typename(obj):
    """The Torch class name of obj ('torch.DoubleTensor', 'nn.Linear', ...) or None."""
    tn = getattr(_builtins.type(obj), "typename", None)
    if isinstance(tn, str):
        return tn
    return getattr(obj, "__typename__", None)


def type(obj):  # noqa: A001  (Torch7's name)
    tn = typename(obj)
    if tn is not None:
        return tn
    t = _builtins.type(obj)
    if t in (int, float):
        return "number"
    if t is str:
        return "string"
    if t is bool:
        return "boolean"
    if obj is None:
        return "nil"
    if t in (list, dict, tuple):
        return "table"
    if callable(obj):
        return "function"
    return t.__name__


def isTensor(obj):
    return isinstance(obj, Tensor)


def isStorage(obj):
    return isinstance(obj, Storage)


def is_tensor(obj):
    return isinstance(obj, Tensor)


_tensor_mod.install_declarations()
for _name, _d in _decl.DECLS.items():
    if _d.function and _name not in globals():
        globals()[_name] = _decl.make_function(_d)
del _name, _d
# torch.random is Torch7's function; the module itself stays reachable as pytorch_lite.random
random = _decl.make_function(_decl.DECLS["random"])
