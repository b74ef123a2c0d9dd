"""GPU collectives: Cuda tensors whose memory is on a GPU (CuPy arrays) move through NCCL.

collectives.py checks a Cuda tensor exactly as a CPU one (types, sizes, roots and operations
agreed over MPI first, so a mismatch is the same error and never an NCCL hang), then hands the
data movement here when the tensor's storage is a CuPy array.  Under ``PYTORCH_LITE_CUDA=cpu``
the Cuda types hold numpy arrays and simply take the MPI path, in place like any CPU tensor.

One ``cupy.cuda.nccl.NcclCommunicator`` is built per MPI world, on the device of the first tensor
it sees: rank 0 makes the unique id, the world's MPI communicator carries it to the others.  The
calls are queued on CuPy's current stream, and the stream is waited for through the world's own
wait (its deadline and the other ranks' failure notices), so a dead peer gives the same clear
error as on the CPU; the communicator is then aborted.  Op 'mean' is NCCL's sum, then a divide
(collectives.py does it, as on the CPU).  A view that is not contiguous goes through one
contiguous temporary.  This path needs a GPU: its tests skip elsewhere.
"""
import numpy as np

from ..errors import TorchRuntimeError, TorchTypeError
from .world import DistributedError

# numpy dtype name -> the cupy.cuda.nccl constant (NCCL has no 16-bit integer type)
_DTYPES = {"float32": "NCCL_FLOAT32", "float64": "NCCL_FLOAT64", "float16": "NCCL_FLOAT16",
           "int64": "NCCL_INT64", "int32": "NCCL_INT32", "int8": "NCCL_INT8", "uint8": "NCCL_UINT8"}
_OPS = {"sum": "NCCL_SUM", "mean": "NCCL_SUM", "max": "NCCL_MAX", "min": "NCCL_MIN", "prod": "NCCL_PROD"}


def is_cuda(tensor):
    return (getattr(tensor, "typename", None) or "").startswith("torch.Cuda")


def on_device(tensor):
    """Is this a Cuda tensor whose memory is on a GPU (a CuPy array), so NCCL must move it?"""
    if not is_cuda(tensor):
        return False
    from ..cuda import device
    st = getattr(tensor, "_storage", None)
    if st is None:
        return device.cupy_or_none() is not None
    return device.is_device_array(st._data)


def available():
    """(True, '') when Cuda tensors on a GPU can use NCCL here, else (False, why not)."""
    from ..cuda import device
    if device.cpu_mode():
        return False, "%s=cpu: Cuda tensors are on the CPU and use MPI" % device.ENV
    if device.cupy_or_none() is None:
        return False, "no CUDA device (%s)" % device._probe()[1]
    try:
        from cupy.cuda import nccl
    except ImportError as e:
        return False, "CuPy cannot load its NCCL module (%s)" % e
    if not getattr(nccl, "available", True):
        return False, "this CuPy was installed without NCCL (install a CuPy wheel for your CUDA and NCCL)"
    return True, ""


class _StreamDone:
    """What world.wait polls: the MPI request protocol (Test) over a CUDA event."""

    def __init__(self, event):
        self.event = event

    def Test(self):
        return self.event.done


class Backend:
    """The NCCL communicator of one MPI world, and the four collectives on device memory."""

    def __init__(self, world, device_id):
        import cupy
        from cupy.cuda import nccl
        self.cp, self.nccl, self.world, self.device_id = cupy, nccl, world, device_id
        uid = np.zeros(128, np.int64)   # NCCL_UNIQUE_ID_BYTES; CuPy gives them as small ints
        if world.rank == 0:
            uid[:] = nccl.get_unique_id()
        world.wait(world.comm.Ibcast([uid, uid.size, world.MPI.INT64_T], 0), "NCCL setup")
        with cupy.cuda.Device(device_id):
            try:
                self.comm = nccl.NcclCommunicator(world.size, tuple(int(v) for v in uid), world.rank)
            except nccl.NcclError as e:
                raise DistributedError("NCCL setup on rank %d failed: %s" % (world.rank, e)) from None

    # -- plumbing --------------------------------------------------------------------------------
    def _dtype(self, t, what):
        name = _DTYPES.get(np.dtype(t.dtype).name)
        if name is None:
            raise TorchTypeError("%s: NCCL has no type for %s" % (what, t.typename))
        return getattr(self.nccl, name)

    def _check_device(self, t, what):
        dev = _device_id(t)
        if dev is not None and dev != self.device_id:
            raise TorchRuntimeError("%s: this rank's NCCL communicator is on device %d, the tensor on device %d "
                                    "(one device per rank: keep every rank's tensors on one device)"
                                    % (what, self.device_id, dev))

    def _run(self, what, call):
        """Queue call(stream_ptr) on the current stream and wait for it, bounded like MPI's waits."""
        stream = self.cp.cuda.get_current_stream()
        try:
            call(stream.ptr)
        except self.nccl.NcclError as e:
            raise self.world._break(DistributedError("%s on rank %d: NCCL failed: %s" % (what, self.world.rank, e)))
        try:
            self.world.wait(_StreamDone(stream.record()), what)
        except DistributedError:
            self.abort()
            raise
        stream.synchronize()

    def abort(self):
        try:
            self.comm.abort()
        except Exception:   # an NCCL too old to abort: the world is marked broken anyway
            pass

    @staticmethod
    def _contiguous(t):
        """(a contiguous device array of t's elements, whether it is a temporary to copy back)."""
        a = t._a
        if t.isContiguous():
            return a, False
        return a.copy(order="C"), True   # the one temporary for a strided view

    # -- the collectives (in place; collectives.py has checked and agreed everything) -------------
    def allreduce(self, t, op, what="allreduce"):
        self._check_device(t, what)
        if not t.nElement():   # every rank agreed on 0 elements: nothing to move
            return t
        a, tmp = self._contiguous(t)
        dt, nop = self._dtype(t, what), getattr(self.nccl, _OPS[op])
        with self.cp.cuda.Device(self.device_id):
            self._run(what, lambda s: self.comm.allReduce(a.data.ptr, a.data.ptr, a.size, dt, nop, s))
        if tmp:
            t._a[...] = a
        return t

    def broadcast(self, t, root, what="broadcast"):
        self._check_device(t, what)
        if not t.nElement():
            return t
        a, tmp = self._contiguous(t)
        dt = self._dtype(t, what)
        with self.cp.cuda.Device(self.device_id):
            self._run(what, lambda s: self.comm.bcast(a.data.ptr, a.size, dt, root, s))
        if tmp and self.world.rank != root:
            t._a[...] = a
        return t

    def reduce(self, t, root, op, what="reduce"):
        self._check_device(t, what)
        if not t.nElement():
            return t
        a, tmp = self._contiguous(t)
        dt, nop = self._dtype(t, what), getattr(self.nccl, _OPS[op])
        with self.cp.cuda.Device(self.device_id):
            self._run(what, lambda s: self.comm.reduce(a.data.ptr, a.data.ptr, a.size, dt, nop, root, s))
        if tmp and self.world.rank == root:
            t._a[...] = a
        return t

    def allgather(self, t, output, counts, what="allgather"):
        """Every rank's elements (counts[r] of them) in rank order into output (already sized)."""
        self._check_device(t, what)
        self._check_device(output, what)
        send, _ = self._contiguous(t)
        recv, tmp = self._contiguous(output)
        recv = recv.reshape(-1)
        dt = self._dtype(t, what)
        counts = [int(c) for c in counts]

        def call(s):
            if all(c == counts[0] for c in counts):
                self.comm.allGather(send.data.ptr, recv.data.ptr, counts[0], dt, s)
                return
            # NCCL has no allgatherv: one broadcast per rank into its slice, fused in one group
            self.nccl.groupStart()
            try:
                off = 0
                for r, c in enumerate(counts):
                    if c:
                        part = recv[off:off + c]
                        src = send.data.ptr if r == self.world.rank else part.data.ptr
                        self.comm.broadcast(src, part.data.ptr, c, dt, r, s)
                    off += c
            finally:
                self.nccl.groupEnd()
        with self.cp.cuda.Device(self.device_id):
            self._run(what, call)
        if tmp:
            output._a[...] = recv.reshape(output._size)
        return output


def require(what):
    """Raise unless Cuda tensors can take part in collectives here (NCCL on a GPU, or the CPU mode)."""
    from ..cuda import device
    if device.cpu_mode():
        return
    ok, why = available()
    if not ok:
        raise TorchRuntimeError("%s: Cuda tensors on a GPU need NCCL, and %s" % (what, why))


def _device_id(t):
    """The device of t's memory (None for a tensor without storage)."""
    st = getattr(t, "_storage", None)
    return None if st is None or st._data is None else int(st._data.device.id)


def _current_device(tensor):
    dev = _device_id(tensor)
    if dev is None:
        from ..cuda import device
        dev = device.getDevice()
    return dev


_backends = {}   # id(world) -> (world, Backend)


def backend(what, world, tensor):
    """The NCCL backend of this world (built on first use, by every rank at once), or a clear error."""
    ok, why = available()
    if not ok:
        raise TorchRuntimeError("%s: Cuda tensors on a GPU need NCCL, and %s; copy them to CPU tensors "
                                "(:float()) first" % (what, why))
    got = _backends.get(id(world))
    if got is None or got[0] is not world:
        _backends.clear()   # an earlier world was finalized
        got = _backends[id(world)] = (world, Backend(world, _current_device(tensor)))
    return got[1]
