"""A stand-in for CuPy on a machine without a GPU: "device arrays" are a numpy subclass that
numpy's own functions keep (so results stay on the "device"), with CuPy's ``get()``, ``device``
and ``data`` (a memory pointer ``ndarray(shape, dtype, memptr=..., strides=...)`` views).  Kernels
launch on the host (tests/cuda_host.py).  It runs the GPU-mode code paths of pytorch_lite.cuda
(storages, views, host<->device copies, t7, the device kernel tables); it cannot see what only
CuPy refuses (numpy arrays passed to CuPy functions, Cython kernels handed device arrays)."""
import sys
import types

import numpy as np


class _MemPtr:
    def __init__(self, base, off):
        self.base, self.off = base, off

    def __add__(self, n):
        return _MemPtr(self.base, self.off + int(n))


class _Device:
    id = 0


class ndarray(np.ndarray):
    def __new__(cls, shape, dtype=float, memptr=None, strides=None):
        if memptr is None:
            return np.zeros(shape, dtype).view(cls)
        return np.ndarray.__new__(cls, shape, dtype, buffer=np.asarray(memptr.base), offset=memptr.off,
                                  strides=strides)

    @property
    def data(self):
        return _MemPtr(self, 0)

    @property
    def device(self):
        return _Device()

    def get(self):
        return np.array(np.asarray(self))


def _dev(a):
    return a.view(ndarray) if isinstance(a, np.ndarray) else a


def module():
    m = types.ModuleType("cupy")
    m.ndarray = ndarray
    m.asarray = lambda a, dtype=None: _dev(np.array(np.asarray(a), dtype=dtype, copy=True)
                                           if not isinstance(a, ndarray) else np.asarray(a, dtype=dtype))
    m.ascontiguousarray = lambda a, dtype=None: _dev(np.ascontiguousarray(a, dtype=dtype))
    m.zeros = lambda *a, **k: _dev(np.zeros(*a, **k))
    m.empty = lambda *a, **k: _dev(np.empty(*a, **k))
    m.matmul = lambda *a, **k: _dev(np.matmul(*a, **k))
    m.tensordot = lambda *a, **k: _dev(np.tensordot(*a, **k))
    m.full = lambda *a, **k: _dev(np.full(*a, **k))
    m.bincount = lambda *a, **k: _dev(np.bincount(*a, **k))
    m.abs = np.abs
    m.shares_memory = np.shares_memory
    m.int64, m.float32, m.float64 = np.int64, np.float32, np.float64
    rt = types.SimpleNamespace(getDeviceCount=lambda: 1, getDevice=lambda: 0, setDevice=lambda d: None,
                               memGetInfo=lambda: (1 << 30, 2 << 30), deviceSynchronize=lambda: None,
                               getDeviceProperties=lambda d: {"name": b"Fake GPU\0", "totalGlobalMem": 2 << 30,
                                                              "major": 9, "minor": 0})
    m.cuda = types.SimpleNamespace(runtime=rt)
    m.random = types.SimpleNamespace(seed=lambda s: None)
    return m


class installed:
    """Context: `import cupy` is the stand-in, pytorch_lite.cuda sees one device, kernels run on the host."""

    def __enter__(self):
        import cuda_host
        from pytorch_lite.cuda import device
        self._host = cuda_host.on_host().__enter__()
        self._old = sys.modules.get("cupy")
        self._oldx = sys.modules.get("cupyx")
        sys.modules["cupy"] = fake = module()
        sys.modules["cupyx"] = types.SimpleNamespace(scatter_add=np.add.at)
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
