"""Compiling and launching the CUDA sources of pytorch_lite/cuda/_nn*.py.

Each kernel file keeps its CUDA source as module-level text (one ``extern "C"`` kernel per
element type, ``<cpu kernel name>_float`` / ``_double``) and registers it in SOURCES, so the
nvcc test (tests/test_cuda_kernels.py) compiles every one without a GPU.  CuPy compiles a source
on first use (NVRTC) and caches the module.
"""
import numpy as np

SOURCES = {}       # 'pytorch_lite.cuda._nn_conv' -> its CUDA source
_MODULES = {}
THREADS = 256
_SUFFIX = {np.dtype(np.float32): "float", np.dtype(np.float64): "double"}


def register(owner, source):
    SOURCES[owner] = source
    return source


def function(owner, name, dtype):
    """The compiled kernel `name`_<float|double> of `owner`'s source."""
    import cupy
    mod = _MODULES.get(owner)
    if mod is None:
        mod = _MODULES[owner] = cupy.RawModule(code=SOURCES[owner], options=("--std=c++14",))
    suffix = _SUFFIX.get(np.dtype(dtype))
    if suffix is None:
        raise TypeError("%s: no device kernel for %s" % (name, np.dtype(dtype)))
    return mod.get_function("%s_%s" % (name, suffix))


def launch(owner, name, dtype, n, *args):
    """Run kernel `name` over n work items (grid-stride loops inside), args converted to C types."""
    if n <= 0:
        return
    blocks = min((n + THREADS - 1) // THREADS, 65535)
    function(owner, name, dtype)((blocks,), (THREADS,), args)


def real(dtype, v):
    """A Python number as the kernel's `T` argument."""
    return np.dtype(dtype).type(v)


def i64(v):
    return np.int64(v)


def i32(v):
    return np.int32(v)


def table_for(cpu_module, a):
    """The kernel table for array a: cpu_module (pytorch_lite._nn_conv, ...) for a numpy array,
    its device twin pytorch_lite.cuda._nn_conv for a CuPy one (THNN's rule: the type picks); for a
    half array (a CudaHalfTensor's), that table computing in float."""
    if type(a) is np.ndarray:
        table = cpu_module
    else:
        import importlib
        table = importlib.import_module("pytorch_lite.cuda." + cpu_module.__name__.rsplit(".", 1)[1])
    return _InFloat(table) if getattr(a, "dtype", None) == _HALF else table


_HALF = np.dtype(np.float16)


class _InFloat:
    """A kernel table for CudaHalfTensor modules.  cunn keeps their tensors in half and computes in
    float (its accreal), so each kernel call gets float copies of its half arrays, and the copies
    the kernel changed are rounded back into the half arrays (one copy per array object, so an
    array passed twice stays one array)."""

    def __init__(self, table):
        self._table = table

    def __getattr__(self, name):
        f = getattr(self._table, name)
        if not callable(f):
            return f

        def call(*args):
            copies = {}

            def up(a):
                if getattr(a, "dtype", None) != _HALF:
                    return a
                c = copies.get(id(a))
                if c is None:
                    c = copies[id(a)] = (a, a.astype(np.float32), a.copy())
                return c[1]

            r = f(*[up(a) for a in args])
            for a, c, before in copies.values():
                back = c.astype(_HALF)
                if bool((back != before).any()):
                    a[...] = back
            return r
        return call

