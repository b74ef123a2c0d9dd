"""Collectives on tensors, in place: allreduce, broadcast, reduce, allgather, barrier.

Before moving any data every rank states what it is calling (collective, tensor type, element
count, root, operation, layout) in one small allgather; a rank that disagrees makes every rank
raise the same ``DistributedMismatchError`` naming the two ranks, instead of a hang or garbage.
"""
import numpy as np

from ..errors import TorchTypeError, TorchValueError
from . import buffers, nccl
from .world import DistributedError, DistributedMismatchError, current

COLLECTIVES = ("allreduce", "broadcast", "reduce", "allgather", "barrier")
OPS = ("sum", "mean", "max", "min", "prod")
_MPI_OPS = {"sum": "SUM", "mean": "SUM", "max": "MAX", "min": "MIN", "prod": "PROD"}
_FIELDS = 6   # collective, type, elements, root, op, layout


def _op(op, what):
    if op not in OPS:
        raise TorchValueError("%s: op must be one of %s, got %r" % (what, ", ".join(OPS), op))
    return op


def _root(w, root, what):
    if isinstance(root, bool) or not isinstance(root, (int, np.integer)) or not 0 <= root < w.size:
        raise TorchValueError("%s: root must be a rank in [0, %d], got %r" % (what, w.size - 1, root))
    return int(root)


def _gpu(w, what, t):
    """NCCL's backend when t is a Cuda tensor on a GPU (checked and agreed like any other before),
    else None: the MPI path, which Cuda tensors on numpy arrays (PYTORCH_LITE_CUDA=cpu) take too."""
    return nccl.backend(what, w, t) if nccl.on_device(t) else None


def _agree(w, what, t=None, root=0, op=None, layout=0, same_count=True):
    """Exchange what each rank is calling; every rank raises the same error on a mismatch.
    Returns every rank's statement, one row per rank (columns as _FIELDS says)."""
    mine = np.array([COLLECTIVES.index(what),
                     -1 if t is None else buffers.TYPE_CODES[t.typename],
                     0 if t is None else t.nElement(),
                     root, -1 if op is None else OPS.index(op), layout], dtype=np.int64)
    table = np.empty((w.size, _FIELDS), dtype=np.int64)
    w.wait(w.comm.Iallgather([mine, _FIELDS, w.MPI.INT64_T], [table, _FIELDS, w.MPI.INT64_T]), what)
    for j in range(1, w.size):
        if table[j, 0] != table[0, 0]:
            raise DistributedMismatchError("collective mismatch: rank 0 called %s, rank %d called %s"
                                           % (COLLECTIVES[table[0, 0]], j, COLLECTIVES[table[j, 0]]))
    for j in range(1, w.size):
        if table[j, 1] != table[0, 1]:
            raise DistributedMismatchError("%s: tensor types differ between ranks: rank 0 has a %s, rank %d a %s"
                                           % (what, buffers.TYPE_NAMES[table[0, 1]], j, buffers.TYPE_NAMES[table[j, 1]]))
        if same_count and table[j, 2] != table[0, 2]:
            raise DistributedMismatchError("%s: sizes differ between ranks: rank 0 has %d elements, rank %d has %d"
                                           % (what, table[0, 2], j, table[j, 2]))
        if table[j, 3] != table[0, 3]:
            raise DistributedMismatchError("%s: roots differ between ranks: rank 0 gives root %d, rank %d gives %d"
                                           % (what, table[0, 3], j, table[j, 3]))
        if table[j, 4] != table[0, 4]:
            raise DistributedMismatchError("%s: operations differ between ranks: rank 0 asks for %s, rank %d for %s"
                                           % (what, OPS[table[0, 4]], j, OPS[table[j, 4]]))
    return table


def _mpi_call(w, what, start):
    """Start a non-blocking MPI call and wait for it; MPI's own errors become DistributedErrors."""
    try:
        req = start()
    except w.MPI.Exception as e:
        raise DistributedError("%s: MPI refused the call: %s" % (what, e.Get_error_string())) from None
    w.wait(req, what)


def _output(tensor, output, what):
    buffers.check_tensor(tensor, what)
    if output is None or output is tensor:
        return tensor
    buffers.check_tensor(output, what)
    if type(output) is not type(tensor):
        raise TorchTypeError("%s: output is a %s, input a %s" % (what, output.typename, tensor.typename))
    output.resizeAs(tensor).copy(tensor)
    return output


def _finish_mean(t, op, size):
    if op == "mean" and size > 1:
        t.div(size)
    return t


def allreduce(tensor, op="sum", output=None):
    """Every rank's tensor becomes the elementwise op ('sum', 'mean', 'max', 'min', 'prod') of
    all of them (into output instead, when given).  Returns the reduced tensor."""
    what = "allreduce"
    _op(op, what)
    t = _output(tensor, output, what)
    w = current(what)
    buffers.check_receiver(t, what)
    if w.comm is None:
        return t
    contiguous, compact = t.isContiguous(), buffers.compact(t)
    table = _agree(w, what, t, op=op, layout=buffers.layout_code(t))
    gpu = _gpu(w, what, t)
    if gpu is not None:
        return _finish_mean(gpu.allreduce(t, op), op, w.size)
    same_layout = bool((table[:, 5] == table[0, 5]).all())
    mpi_op = getattr(w.MPI, _MPI_OPS[op])
    if contiguous or (compact and same_layout):
        spec = buffers.Spec(w.MPI, t, run=True)
        _mpi_call(w, what, lambda: w.comm.Iallreduce(w.MPI.IN_PLACE, spec.buf, mpi_op))
    else:
        arr = buffers.packed(t)
        _mpi_call(w, what, lambda: w.comm.Iallreduce(w.MPI.IN_PLACE, [arr, arr.size, buffers.mpi_type(w.MPI, t)], mpi_op))
        buffers.unpack(t, arr)
    return _finish_mean(t, op, w.size)


def broadcast(tensor, root=0):
    """Every rank's tensor becomes root's.  Returns the tensor."""
    what = "broadcast"
    buffers.check_tensor(tensor, what)
    w = current(what)
    root = _root(w, root, what)
    if w.rank != root:
        buffers.check_receiver(tensor, what)
    if w.comm is None:
        return tensor
    _agree(w, what, tensor, root=root)
    gpu = _gpu(w, what, tensor)
    if gpu is not None:
        return gpu.broadcast(tensor, root)
    spec = buffers.Spec(w.MPI, tensor)
    try:
        _mpi_call(w, what, lambda: w.comm.Ibcast(spec.buf, root))
    finally:
        spec.free()
    return tensor


def reduce(tensor, root=0, op="sum", output=None):
    """Root's tensor (or output) becomes the elementwise op of every rank's; the others' stay as
    they were.  Returns the tensor (or output)."""
    what = "reduce"
    _op(op, what)
    buffers.check_tensor(tensor, what)
    w = current(what)
    root = _root(w, root, what)
    t = _output(tensor, output, what) if w.rank == root else tensor
    if w.rank == root:
        buffers.check_receiver(t, what)
    if w.comm is None:
        return t
    table = _agree(w, what, t, root=root, op=op, layout=buffers.layout_code(t))
    gpu = _gpu(w, what, t)
    if gpu is not None:
        gpu.reduce(t, root, op)
        return _finish_mean(t, op, w.size) if w.rank == root else t
    same_layout = bool((table[:, 5] == table[0, 5]).all())
    mpi_op = getattr(w.MPI, _MPI_OPS[op])
    mine_root = w.rank == root
    if t.isContiguous() or (buffers.compact(t) and same_layout):
        buf = buffers.Spec(w.MPI, t, run=True).buf
        arr = None
    else:
        arr = buffers.packed(t)
        buf = [arr, arr.size, buffers.mpi_type(w.MPI, t)]
    if mine_root:
        _mpi_call(w, what, lambda: w.comm.Ireduce(w.MPI.IN_PLACE, buf, mpi_op, root))
        if arr is not None:
            buffers.unpack(t, arr)
        _finish_mean(t, op, w.size)
    else:
        _mpi_call(w, what, lambda: w.comm.Ireduce(buf, None, mpi_op, root))
    return t


def allgather(tensor, output=None):
    """Every rank's elements, in rank order, on every rank.  Into output when given (resized to
    (ranks, *size) when its element count is not the total); a new tensor of that size otherwise.
    Ranks may hold different numbers of elements; the result is then 1-D."""
    what = "allgather"
    buffers.check_tensor(tensor, what)
    w = current(what)
    if output is not None:
        buffers.check_tensor(output, what)
        if type(output) is not type(tensor):
            raise TorchTypeError("%s: output is a %s, input a %s" % (what, output.typename, tensor.typename))
        if output is tensor:
            raise TorchValueError("%s: output must be another tensor than the input" % what)
    if w.comm is None:
        counts = np.array([tensor.nElement()])
    else:
        counts = _agree(w, what, tensor, same_count=False)[:, 2]
    total = int(counts.sum())
    equal = bool((counts == counts[0]).all())
    shape = (w.size,) + tuple(tensor._size) if equal and tensor.nElement() else (total,)
    if output is None:
        output = type(tensor)(*shape) if total else type(tensor)()
    elif output.nElement() != total:
        output.resize(*shape) if total else output.resize(0)
    buffers.check_receiver(output, what)
    if total == 0:
        return output
    if w.comm is None:
        if nccl.on_device(output):
            output.copy(tensor)          # device to device (numpy() would be a host copy)
        else:
            output.numpy()[...] = tensor.numpy().reshape(output._size)
        return output
    gpu = _gpu(w, what, tensor)
    if gpu is not None:
        return gpu.allgather(tensor, output, counts)
    recv = buffers.storage_array(output)[:total] if output.isContiguous() else np.empty(total, output.dtype)
    send = buffers.Spec(w.MPI, tensor)
    basic = buffers.mpi_type(w.MPI, tensor)
    displs = np.concatenate(([0], np.cumsum(counts)[:-1]))
    try:
        if equal:
            _mpi_call(w, what, lambda: w.comm.Iallgather(send.buf, [recv, int(counts[0]), basic]))
        else:
            _mpi_call(w, what, lambda: w.comm.Iallgatherv(send.buf, [recv, (counts.tolist(), displs.tolist()), basic]))
    finally:
        send.free()
    if not output.isContiguous():
        buffers.unpack(output, recv)
    return output


def barrier():
    """Wait until every rank has called barrier()."""
    what = "barrier"
    w = current(what)
    if w.comm is None:
        return
    _agree(w, what)
    _mpi_call(w, what, lambda: w.comm.Ibarrier())


def allreduce_number(x, op="sum"):
    """The op of a Python number over all ranks (an int stays an int, 'mean' of ints truncates)."""
    from ..tensor import DoubleTensor, LongTensor
    if isinstance(x, bool) or not isinstance(x, (int, float, np.integer, np.floating)):
        raise TorchTypeError("allreduce_number: expected a number, got %r" % (x,))
    t = (LongTensor if isinstance(x, (int, np.integer)) else DoubleTensor)([x])
    return allreduce(t, op).numpy()[0].item()
