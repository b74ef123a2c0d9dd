"""Data-parallel training over MPI (mpi4py), Torch7 style.

    from pytorch_lite import distributed as dist
    dist.init()                                    # mpirun -np 4 python train.py
    dist.synchronize_parameters(model)             # rank 0's weights everywhere
    ... forward/backward on dist.shard(batch) ...
    dist.synchronize_gradients(grads)              # the mean gradient, one allreduce
    optim.sgd(feval, params, config)               # unchanged

Collectives work in place on tensors (float, double, integer; contiguous or not), never hang
forever (a deadline and failure notices, see world.py) and refuse ranks that disagree on sizes.
Cuda tensors take part too: on a GPU their device memory moves through NCCL (CuPy's
cupy.cuda.nccl, see nccl.py), under PYTORCH_LITE_CUDA=cpu they are numpy arrays and take MPI.
Ranks are 0-based, in Lua too (as TorchMPI's mpi.rank()).
"""
from .world import (DistributedError, DistributedTimeoutError, PeerFailedError, DistributedMismatchError,
                    init, finalize, is_initialized, fail_job)
from .world import current as _current
from .collectives import allreduce, broadcast, reduce, allgather, barrier, allreduce_number, OPS
from .helpers import synchronize_parameters, synchronize_gradients, shard, save, log, is_root
from .tree import Tree
from .distlearn import AllReduceSGD, AllReduceEA
from . import nccl


def rank():
    """This process's rank, 0 .. size()-1."""
    return _current("rank").rank


def size():
    """The number of ranks in the job."""
    return _current("size").size


__all__ = ["init", "finalize", "is_initialized", "rank", "size", "barrier", "allreduce", "broadcast", "reduce",
           "allgather", "allreduce_number", "synchronize_parameters", "synchronize_gradients", "shard",
           "save", "log", "is_root", "Tree", "AllReduceSGD", "AllReduceEA", "DistributedError",
           "DistributedTimeoutError", "PeerFailedError", "DistributedMismatchError", "fail_job", "OPS", "nccl"]
