"""Which array module Cuda tensors use, and the device queries cutorch answers.

Three situations, decided per call so a test (or a script) may set the variable late:

- ``PYTORCH_LITE_CUDA=cpu``: Cuda types compute on the CPU with numpy arrays (same classes and
  type names), so a GPU-only legacy script runs anywhere and gives the CPU numbers.  One device,
  numbered 0, is reported so scripts that pick ``cutorch.setDevice(1)`` run unchanged.
- CuPy imports and sees a device: Cuda types hold CuPy arrays.
- Otherwise ``getDeviceCount()`` is 0 and making a Cuda tensor raises ``TorchCudaError``.

CuPy is optional: it is imported here, lazily, and nowhere else at import time.
"""
import os

import numpy as np

from ..errors import TorchCudaError, TorchIndexError

ENV = "PYTORCH_LITE_CUDA"

_cupy = []   # [module or None, why-not message], filled on first use


def cpu_mode():
    return os.environ.get(ENV, "").strip().lower() == "cpu"


def _probe():
    if not _cupy:
        try:
            import cupy
            n = cupy.cuda.runtime.getDeviceCount()
            if n < 1:
                _cupy[:] = [None, "CuPy sees no CUDA device"]
            else:
                _cupy[:] = [cupy, ""]
        except ImportError:
            _cupy[:] = [None, "CuPy is not installed (pip install 'pytorch-lite[cuda]')"]
        except Exception as e:  # the CUDA runtime itself: no driver, no device
            _cupy[:] = [None, "the CUDA runtime reports %s" % (str(e).strip() or type(e).__name__)]
    return _cupy


def cupy_or_none():
    """The CuPy module when a device is usable (and the CPU mode is off), else None."""
    if cpu_mode():
        return None
    return _probe()[0]


def xp():
    """The array module Cuda tensors use now: cupy, or numpy under PYTORCH_LITE_CUDA=cpu."""
    if cpu_mode():
        return np
    cp, why = _probe()
    if cp is None:
        raise TorchCudaError("no CUDA device: %s; set %s=cpu to run Cuda tensors on the CPU" % (why, ENV))
    return cp


def is_device_array(a):
    """True for a CuPy array (anything array-like that is not numpy's and has .get())."""
    return type(a) is not np.ndarray and hasattr(a, "get") and hasattr(a, "device")


def to_host(a):
    return a.get() if is_device_array(a) else a


def array_module(a):
    """numpy for a host array, CuPy for a device one (cupy.get_array_module, without importing
    CuPy for host arrays): code that makes an array beside `a` asks it where to make it."""
    if type(a) is np.ndarray or not is_device_array(a):
        return np
    return _probe()[0] or __import__("cupy")


def contiguous(a):
    """a as a C-contiguous array where it lives (itself when it already is one)."""
    return array_module(a).ascontiguousarray(a)


# -- the cutorch queries (Python numbers devices from 0; the Lua package adds 1) --------------------

_current = [0]


def getDeviceCount():
    if cpu_mode():
        return 1
    cp = _probe()[0]
    return 0 if cp is None else cp.cuda.runtime.getDeviceCount()


def _check_device(device):
    n = getDeviceCount()
    if n == 0:
        xp()  # raises the one message
    if isinstance(device, bool) or not isinstance(device, (int, np.integer)) or not 0 <= device < n:
        raise TorchIndexError("device %r out of range: %d device(s), numbered 0..%d" % (device, n, n - 1))
    return int(device)


def getDevice():
    cp = cupy_or_none()
    if cp is not None:
        return cp.cuda.runtime.getDevice()
    return _current[0]


def setDevice(device):
    device = _check_device(device)
    cp = cupy_or_none()
    if cp is not None:
        cp.cuda.runtime.setDevice(device)
    _current[0] = device


def withDevice(device, fn):
    """fn() run with `device` current; the previous device is current again afterwards."""
    before = getDevice()
    setDevice(device)
    try:
        return fn()
    finally:
        setDevice(before)


def synchronize(device=None):
    cp = cupy_or_none()
    if cp is None:
        if not cpu_mode():
            xp()
        return
    if device is None:
        cp.cuda.runtime.deviceSynchronize()
    else:
        withDevice(device, cp.cuda.runtime.deviceSynchronize)


def _host_memory():
    page = os.sysconf("SC_PAGE_SIZE")
    return os.sysconf("SC_AVPHYS_PAGES") * page, os.sysconf("SC_PHYS_PAGES") * page


def getMemoryUsage(device=None):
    """(free bytes, total bytes) of the device (the host's memory under PYTORCH_LITE_CUDA=cpu)."""
    device = getDevice() if device is None else _check_device(device)
    cp = cupy_or_none()
    if cp is None:
        return _host_memory()
    return withDevice(device, cp.cuda.runtime.memGetInfo)


def getDeviceProperties(device=None):
    """cutorch's property table: name, totalGlobalMem, major, minor, multiProcessorCount, ..."""
    device = getDevice() if device is None else _check_device(device)
    cp = cupy_or_none()
    if cp is None:
        free, total = _host_memory()
        return {"name": "CPU (%s=cpu)" % ENV, "totalGlobalMem": total, "freeGlobalMem": free,
                "major": 0, "minor": 0, "multiProcessorCount": os.cpu_count() or 1,
                "warpSize": 1, "maxThreadsPerBlock": 1, "clockRate": 0, "canMapHostMemory": 1}
    raw = cp.cuda.runtime.getDeviceProperties(device)
    props = {}
    for k, v in raw.items():
        k = k.decode() if isinstance(k, bytes) else k
        if isinstance(v, bytes):
            v = v.split(b"\0", 1)[0].decode("utf-8", "replace")
        if isinstance(v, (int, float, str)):
            props[k] = v
    props["freeGlobalMem"] = withDevice(device, cp.cuda.runtime.memGetInfo)[0]
    return props


# -- cutorch's random generators ------------------------------------------------------------------
# As in cutorch, the Cuda types draw from their own generator, one per device, apart from the CPU's
# (torch.manualSeed leaves them alone).  Each is the same Mersenne Twister as torch.Generator, so
# cutorch.manualSeed(s) followed by a Cuda draw gives what torch.manualSeed(s) followed by the same
# CPU draw gives.  Like cutorch's, they start from a seed read from the OS.

_generators = {}   # device number -> torch.Generator


def generator(device=None):
    """The generator the Cuda types' random functions use on `device` (default: the current one)."""
    d = getDevice() if device is None else _check_device(device)
    g = _generators.get(d)
    if g is None:
        from ..random import Generator, manualSeed as seed_generator
        g = _generators[d] = Generator()
        seed_generator(g, _new_seed())
    return g


def manualSeed(seed):
    """Seeds the current device's Cuda generator; the CPU generator (torch.manualSeed) is left alone."""
    from ..random import manualSeed as seed_generator
    seed_generator(generator(), seed)
    cp = cupy_or_none()
    if cp is not None:
        cp.random.seed(int(seed) & 0xFFFFFFFFFFFFFFFF)


def _new_seed():
    # cutorch keeps its seeds to 53 bits, so that a Lua number holds them exactly
    return int.from_bytes(os.urandom(8), "little") & ((1 << 53) - 1)


def seed():
    """Seeds the current device's Cuda generator from the OS; returns the seed (53 bits, as
    cutorch's, so that Lua gets it back exactly)."""
    s = _new_seed()
    manualSeed(s)
    return s


def initialSeed():
    from ..random import initialSeed as initial
    return initial(generator())


def manualSeedAll(seed):
    """Seeds every device's Cuda generator with the same seed."""
    for d in range(max(getDeviceCount(), 1)):
        withDevice(d, lambda: manualSeed(seed))


def seedAll():
    """Seeds every device's Cuda generator from the OS; returns the current device's seed."""
    s = seed()
    for d in range(getDeviceCount()):
        if d != getDevice():
            withDevice(d, seed)
    return s


def getRNGState(state=None):
    """The current device's Cuda generator state, as a ByteTensor (torch.getRNGState's bytes)."""
    from ..random import getRNGState as get_state
    return get_state(generator()) if state is None else get_state(generator(), state)


def setRNGState(state):
    from ..random import setRNGState as set_state
    return set_state(generator(), state)