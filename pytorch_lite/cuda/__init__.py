"""CUDA for pytorch_lite: the Cuda tensor types (CuPy arrays) and cutorch's device functions.

Importing this never imports CuPy; the first Cuda allocation or device query does.  See
device.py for the three situations (a GPU, ``PYTORCH_LITE_CUDA=cpu``, neither) and types.py for
the classes.  Device numbers are 0-based here; Lua's cutorch numbers them from 1.
"""
from .device import (ENV, cpu_mode, xp, getDeviceCount, getDevice, setDevice, withDevice,  # noqa: F401
                     synchronize, getMemoryUsage, getDeviceProperties, manualSeed, manualSeedAll,
                     seed, seedAll, initialSeed, generator, getRNGState, setRNGState)
from .types import (CUDA_TENSOR_TYPES, CUDA_STORAGE_TYPES, cpu_typename, cuda_typename,  # noqa: F401
                    is_cuda)


def is_available():
    """True when Cuda tensors can be made (a device, or PYTORCH_LITE_CUDA=cpu)."""
    return getDeviceCount() > 0
