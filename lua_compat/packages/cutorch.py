"""Python side of `require 'cutorch'` (lua/cutorch.lua): pytorch_lite.cuda's device functions.

Devices are 0-based here and 1-based in Lua; lua/cutorch.lua converts.  Requiring cutorch also
makes Lua's torch.load keep Cuda tensors on the device (Torch7 does this once cutorch is loaded),
but only where Cuda tensors can be made: without a device (and without PYTORCH_LITE_CUDA=cpu)
checkpoints keep loading as CPU tensors, as a CPU user of `require 'cunn'` expects.
"""
from pytorch_lite import cuda


def bridge(runtime):
    def loaded():
        runtime.restore_cuda = cuda.getDeviceCount() > 0

    def properties(device=None):
        return runtime.lua.table_from(cuda.getDeviceProperties(device))

    def tensor_device(t):
        get = getattr(t, "getDevice", None)
        if get is None or not getattr(t, "is_cuda", False):
            return -1
        return get()

    def capability():
        """The current device's compute capability; (0, 0) in the CPU mode."""
        if cuda.device.cupy_or_none() is None:
            return (0, 0)
        p = cuda.getDeviceProperties()
        return (p.get("major", 0), p.get("minor", 0))

    def native_half():
        """cutorch's hasHalfInstructions: fp16 arithmetic from compute capability 5.3 on."""
        return capability() >= (5, 3)

    def fast_half():
        """cutorch's hasFastHalfInstructions: compute capability 6.0 exactly (the P100), as cutorch."""
        return capability() == (6, 0)

    def versions():
        cp = cuda.device.cupy_or_none()
        if cp is None:
            return 0, 0
        return cp.cuda.runtime.runtimeGetVersion(), cp.cuda.runtime.driverGetVersion()

    def free_cached():
        """deviceReset: every device queue drained and the memory CuPy caches for reuse freed."""
        cp = cuda.device.cupy_or_none()
        cuda.synchronize()
        if cp is not None:
            cp.get_default_memory_pool().free_all_blocks()
            cp.get_default_pinned_memory_pool().free_all_blocks()

    def unavailable():
        """The error of require 'cutorch'/'cunn'/'cudnn' where Cuda cannot run (None when a device
        or PYTORCH_LITE_CUDA=cpu is there): Torch7's requires fail without a GPU too, and legacy
        scripts probe pcall(require, 'cunn') to take their CPU path (char-rnn, nn's own tests)."""
        if cuda.getDeviceCount() > 0:
            return None
        return "no CUDA device: %s; set %s=cpu to run the Cuda types on the CPU" % (
            cuda.device._probe()[1], cuda.device.ENV)

    return dict(loaded=loaded, unavailable=unavailable, getDeviceCount=cuda.getDeviceCount, getDevice=cuda.getDevice,
                setDevice=cuda.setDevice, synchronize=cuda.synchronize, getMemoryUsage=cuda.getMemoryUsage,
                getDeviceProperties=properties, hasFastHalfInstructions=fast_half,
                hasHalfInstructions=native_half, runtimeVersion=lambda: versions()[0],
                driverVersion=lambda: versions()[1], deviceReset=free_cached,
                cachingAllocator=lambda: cuda.device.cupy_or_none() is not None, manualSeed=cuda.manualSeed, seed=cuda.seed,
                manualSeedAll=cuda.manualSeedAll, seedAll=cuda.seedAll, getRNGState=cuda.getRNGState,
                setRNGState=cuda.setRNGState, initialSeed=cuda.initialSeed, tensor_device=tensor_device,
                tensor_types=runtime.lua.table_from(sorted(cuda.CUDA_TENSOR_TYPES)),
                storage_types=runtime.lua.table_from(sorted(cuda.CUDA_STORAGE_TYPES)))
