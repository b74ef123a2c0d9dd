"""A stand-in for CuPy on a machine without a GPU, as strict as CuPy about host and device memory.

A "device array" (``ndarray`` here) wraps a numpy array but is not one: like ``cupy.ndarray`` it
has no buffer protocol (a Cython typed-memoryview kernel handed one fails, as with device memory)
and no implicit conversion (``numpy.asarray(d)`` raises CuPy's TypeError; ``d.get()`` and
``cupy.asnumpy(d)`` copy to the host).  numpy functions, ufuncs and operators on it dispatch
through ``__array_function__``/``__array_ufunc__`` and, as in CuPy, refuse a numpy array beside
it (a 0-d one too, except in comparisons; numpy and Python scalars are fine), give 0-d device
arrays rather than numpy scalars, and support ``ufunc.reduce``/``accumulate`` only for add and
multiply and ``ufunc.at`` only for CuPy's scatter ufuncs.  Indexing and item assignment take
numpy arrays (CuPy copies them over).  ``ndarray(shape, dtype, memptr=d.data + k, strides=)``
views as CuPy's memory pointers do.  Kernels launch on the host (tests/cuda_host.py) and refuse
numpy array arguments, as CuPy's kernel launch does.

What it still cannot see: whether CuPy implements each numpy function called on a device array
(``__array_function__`` finds ``cupy.<name>`` or fails; here numpy's is there except for the
names in _NOT_IN_CUPY, checked by hand against CuPy's namespace for what pytorch_lite calls),
differences of CuPy's versions of a function (type promotion, unsupported keyword arguments,
sort stability), speed and synchronisation, real multi-device placement, and the CUDA sources
compiled by NVRTC rather than the host C++ compiler (tests/test_cuda_kernels.py compiles them with
nvcc where there is one).
"""
import sys
import types

import numpy as np

_IMPLICIT = ("Implicit conversion to a NumPy array is not allowed. "
             "Please use `.get()` to construct a NumPy array explicitly.")
_COMPARE = {np.equal, np.not_equal, np.less, np.less_equal, np.greater, np.greater_equal}
# the ufunc methods CuPy has, and for which ufuncs (None: all)
_UFUNC_METHODS = {"reduce": {np.add, np.multiply}, "accumulate": {np.add, np.multiply}, "reduceat": {np.add},
                  "at": {np.add, np.subtract, np.maximum, np.minimum, np.bitwise_and, np.bitwise_or,
                         np.bitwise_xor},
                  "outer": None, "__call__": None}
_NO_SUCH = {"ctypes", "__array_interface__", "__array_struct__", "tofile", "__index__"}
_TAKES_HOST = {"take", "put"}    # methods that copy a numpy argument over, as CuPy's do
# numpy functions pytorch_lite calls (np.<name> in its sources) that CuPy's namespace lacks, so that
# numpy's __array_function__ dispatch finds no implementation (checked against cupy/__init__.py)
_NOT_IN_CUPY = {"insert"}
CALLED = set()   # ("numpy.lib.stride_tricks", "sliding_window_view"), ("ufunc", "add.reduce"), ("method", "sum"), ...:
                 # what ran on device arrays, to check against CuPy's namespace where its source is at hand


class _MemPtr:
    def __init__(self, base, off):
        self.base, self.off = base, off

    def __add__(self, n):
        return _MemPtr(self.base, self.off + int(n))


class _Device:
    id = 0


def _refuse(x, where):
    raise TypeError("Unsupported type %s (a host array given to %s on the device)" % (type(x), where))


def _dev_in(x, where, host_ok=False, zero_d_ok=False):
    """x with device arrays unwrapped; a numpy array is refused unless host_ok (or 0-d and zero_d_ok)."""
    if isinstance(x, ndarray):
        return x._h
    if isinstance(x, np.ndarray):
        if host_ok or (zero_d_ok and x.ndim == 0):
            return x
        _refuse(x, where)
    if isinstance(x, (list, tuple)):
        return type(x)(_dev_in(e, where, host_ok, zero_d_ok) for e in x)
    return x


def _dev_out(r, outs=()):
    """A result on the device: arrays wrapped (an `out=` array given back as itself), scalars 0-d."""
    for o in outs:
        if isinstance(o, ndarray) and r is o._h:
            return o
    if isinstance(r, np.ndarray):
        return ndarray._wrap(r)
    if isinstance(r, np.generic):
        return ndarray._wrap(np.asarray(r))
    if isinstance(r, tuple):
        return tuple(_dev_out(e, outs) for e in r)
    if isinstance(r, list):
        return [_dev_out(e, outs) for e in r]
    return r


class ndarray(np.lib.mixins.NDArrayOperatorsMixin):
    __slots__ = ("_h",)
    __array_priority__ = 100

    def __init__(self, shape, dtype=float, memptr=None, strides=None):
        if memptr is None:
            self._h = np.zeros(shape, dtype)
        else:
            self._h = np.ndarray(shape, dtype, buffer=memptr.base._h, offset=memptr.off, strides=strides)

    @classmethod
    def _wrap(cls, h):
        d = cls.__new__(cls)
        d._h = h
        return d

    # -- what CuPy has and numpy's ndarray has not, and what CuPy refuses --------------------------
    @property
    def data(self):
        return _MemPtr(self, 0)

    @property
    def device(self):
        return _Device()

    def get(self):
        return np.array(self._h)

    def __array__(self, dtype=None, copy=None):
        raise TypeError(_IMPLICIT)

    # -- numpy protocols: the computation runs on the wrapped arrays ----------------------------
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        allowed = _UFUNC_METHODS.get(method, ())
        if allowed is not None and ufunc not in allowed:
            raise NotImplementedError("`%s.%s` is not supported by CuPy" % (ufunc.__name__, method))
        where = "numpy.%s.%s" % (ufunc.__name__, method)
        CALLED.add(("ufunc", "%s.%s" % (ufunc.__name__, method)))
        if method == "at":
            a, rest = inputs[0], inputs[1:]
            if not isinstance(a, ndarray):
                _refuse(a, where)
            ufunc.at(a._h, *_dev_in(rest, where, host_ok=True))
            return None
        outs = kwargs.get("out") or ()
        ins = _dev_in(inputs, where, zero_d_ok=ufunc in _COMPARE)
        if outs:
            kwargs["out"] = _dev_in(tuple(outs), where)
        return _dev_out(getattr(ufunc, method)(*ins, **kwargs), outs)

    def __array_function__(self, func, types_, args, kwargs):
        where = "numpy.%s" % func.__name__
        CALLED.add((func.__module__, func.__name__))
        if func.__name__ in _NOT_IN_CUPY:
            return NotImplemented   # numpy then raises its TypeError, as with CuPy
        outs = (kwargs.get("out"),)
        if func.__name__ in _TAKES_HOST:   # cupy.take(a, indices): a on the device, indices anywhere
            if not isinstance(args[0], ndarray):
                _refuse(args[0], where)
            return getattr(args[0], func.__name__)(*args[1:], **kwargs)
        return _dev_out(func(*_dev_in(args, where), **{k: _dev_in(v, where) for k, v in kwargs.items()}), outs)

    # -- the numpy ndarray surface, run on the wrapped array, results kept on the device -----------
    def __getattr__(self, name):
        if name in _NO_SUCH or name == "_h":
            raise AttributeError("cupy.ndarray has no attribute %r" % name)
        v = getattr(self._h, name)
        if not callable(v):
            return _dev_out(v)
        where = "ndarray.%s" % name
        CALLED.add(("method", name))

        def method(*args, **kw):
            host_ok = name in _TAKES_HOST
            return _dev_out(v(*_dev_in(args, where, host_ok), **{k: _dev_in(e, where, host_ok) for k, e in kw.items()}),
                            (kw.get("out"),))
        return method

    @staticmethod
    def _index(key):
        return _dev_in(key, "an index", host_ok=True)

    def __getitem__(self, key):
        return _dev_out(self._h[self._index(key)])

    def __setitem__(self, key, value):
        self._h[self._index(key)] = _dev_in(value, "item assignment", host_ok=True)

    def __len__(self):
        return len(self._h)

    def __iter__(self):
        if self._h.ndim == 0:
            raise TypeError("iteration over a 0-d array")
        return (self[i] for i in range(len(self._h)))

    def __bool__(self):
        return bool(self._h)

    def __int__(self):
        return int(self._h)

    def __float__(self):
        return float(self._h)

    def __complex__(self):
        return complex(self._h)

    def __repr__(self):
        return repr(self._h).replace("array(", "device_array(", 1)

    def __copy__(self):
        return ndarray._wrap(self._h.copy())

    def __deepcopy__(self, memo):
        return ndarray._wrap(self._h.copy())

    def __reduce__(self):
        return (ndarray._wrap, (self._h,))


def _to_device(a, dtype=None, copy=True):
    if isinstance(a, ndarray):
        return a if dtype is None or a.dtype == dtype else a.astype(dtype)
    return ndarray._wrap(np.array(a, dtype=dtype, copy=copy))


def _strict(fn, name):
    """numpy's function `fn` as CuPy's: device arrays in, device arrays out, numpy arrays refused."""
    def f(*args, **kw):
        where = "cupy.%s" % name
        CALLED.add(("cupy", name))
        return _dev_out(fn(*_dev_in(args, where), **{k: _dev_in(v, where) for k, v in kw.items()}), (kw.get("out"),))
    f.__name__ = name
    return f


def _asnumpy(a):
    return a.get() if isinstance(a, ndarray) else np.asarray(a)


def _scatter_add(a, idx, v):
    np.add.at(a._h, _dev_in(idx, "cupyx.scatter_add", True), _dev_in(v, "cupyx.scatter_add", True))


def module():
    m = types.ModuleType("cupy")
    m.ndarray = ndarray
    m.asarray = lambda a, dtype=None: _to_device(a, dtype, copy=None)
    m.array = lambda a, dtype=None, copy=True: _to_device(a, dtype, copy=copy)
    m.ascontiguousarray = lambda a, dtype=None: (
        ndarray._wrap(np.ascontiguousarray(a._h, dtype=dtype)) if isinstance(a, ndarray)
        else _to_device(np.ascontiguousarray(a), dtype))
    m.asnumpy = _asnumpy
    st = np.lib.stride_tricks   # CuPy's as_strided has no `writeable`
    m.lib = types.SimpleNamespace(stride_tricks=types.SimpleNamespace(
        as_strided=lambda x, shape=None, strides=None: _strict(st.as_strided, "as_strided")(x, shape, strides),
        sliding_window_view=_strict(st.sliding_window_view, "sliding_window_view")))

    def attr(name):   # every other name: numpy's, made strict (types and constants as they are)
        v = getattr(np, name)
        if isinstance(v, type) or not callable(v):
            return v
        setattr(m, name, _strict(v, name))
        return getattr(m, name)
    m.__getattr__ = attr
    rt = types.SimpleNamespace(getDeviceCount=lambda: 1, getDevice=lambda: 0, setDevice=lambda d: None,
                               memGetInfo=lambda: (1 << 30, 2 << 30), deviceSynchronize=lambda: None,
                               getDeviceProperties=lambda d: {"name": b"Fake GPU\0", "totalGlobalMem": 2 << 30,
                                                              "major": 9, "minor": 0},
                               runtimeGetVersion=lambda: 12040, driverGetVersion=lambda: 12040)
    m.cuda = types.SimpleNamespace(runtime=rt)
    pool = types.SimpleNamespace(free_all_blocks=lambda: None)   # CuPy's caching allocators
    m.get_default_memory_pool = lambda: pool
    m.get_default_pinned_memory_pool = lambda: pool
    m.random = types.SimpleNamespace(seed=lambda s: None)
    return m


def _strict_launch(host_launch):
    def launch(owner, name, dtype, n, *args):
        where = "kernel %s" % name
        return host_launch(owner, name, dtype, n,
                           *[_dev_in(a, where) if isinstance(a, (ndarray, np.ndarray)) else a for a in args])
    return launch


class installed:
    """Context: `import cupy` is the stand-in, pytorch_lite.cuda sees one device, kernels run on the
    host and take device arrays only."""

    def __enter__(self):
        import cuda_host
        from pytorch_lite.cuda import _kernels, device
        self._host = cuda_host.on_host().__enter__()
        _kernels.launch = _strict_launch(cuda_host.host_launch)
        self._old = sys.modules.get("cupy")
        self._oldx = sys.modules.get("cupyx")
        sys.modules["cupy"] = fake = module()
        sys.modules["cupyx"] = types.SimpleNamespace(scatter_add=_scatter_add)
        self._probe = list(device._cupy)
        device._cupy[:] = [fake, ""]
        return fake

    def __exit__(self, *exc):
        from pytorch_lite.cuda import device
        device._cupy[:] = self._probe
        self._host.__exit__(*exc)
        for name, old in (("cupy", self._old), ("cupyx", self._oldx)):
            if old is None:
                sys.modules.pop(name, None)
            else:
                sys.modules[name] = old
        return False
