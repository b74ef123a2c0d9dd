"""GPU collectives: the hook for Cuda tensors (NCCL through CuPy).

Every collective in collectives.py sends a Cuda tensor here instead of to MPI.  The CUDA backend
(``pytorch_lite.cuda``) does not exist yet, so ``backend()`` raises a clear error; when it lands,
``backend()`` returns an object with the methods below, built once per world:

    allreduce(tensor, op, output) / broadcast(tensor, root) / reduce(tensor, root, op, output) /
    allgather(tensor, output)

on ``cupy.cuda.nccl.NcclCommunicator(size, unique_id, rank)``, the unique id made by rank 0
(``cupy.cuda.nccl.get_unique_id()``) and broadcast to the others over the MPI world, and the
tensor's device memory taken from the backend's CuPy array (op 'mean' as 'sum' then a divide,
as on the CPU).  Tests of this path skip with their reason where no GPU backend is present.
"""
from ..errors import TorchRuntimeError


def is_cuda(tensor):
    return (getattr(tensor, "typename", None) or "").startswith("torch.Cuda")


def available():
    """(True, '') when Cuda tensors can use NCCL here, else (False, why not)."""
    try:
        import pytorch_lite.cuda  # noqa: F401
    except ImportError:
        return False, "pytorch_lite has no CUDA backend yet (pytorch_lite.cuda)"
    try:
        from cupy.cuda import nccl  # noqa: F401
    except ImportError:
        return False, "CuPy with NCCL is not installed"
    return False, "the NCCL collectives are not wired to the CUDA backend yet"


def backend(what):
    ok, why = available()
    if not ok:
        raise TorchRuntimeError("%s: Cuda tensors need NCCL, and %s; copy them to CPU tensors (:float()) first"
                                % (what, why))
