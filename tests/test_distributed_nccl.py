"""The NCCL path of pytorch_lite.distributed (nccl.Backend) without a GPU: a stand-in for
cupy.cuda.nccl that really reads and writes the memory at the pointers it is given, playing one
of two ranks against a fixed peer.  It checks what only a GPU run could otherwise show: the right
pointers, element counts, NCCL types and operations, one temporary for views that are not
contiguous and the copy back, the allgatherv as grouped broadcasts, and that a collective that
never completes is bounded by the world's wait and aborts the communicator.  The real NCCL run
is the 'cuda-nccl' job of test_distributed.py, which skips without two GPUs."""
import ctypes
import sys
import types

import numpy as np
import pytest

from pytorch_lite.distributed import nccl
from pytorch_lite.distributed.world import DistributedError, DistributedTimeoutError
from pytorch_lite.errors import TorchTypeError

_TYPES = {1: np.int8, 2: np.uint8, 3: np.int32, 5: np.int64, 6: np.float16, 7: np.float32, 8: np.float64}
_REDUCE = {0: np.add, 1: np.multiply, 2: np.maximum, 3: np.minimum}


class DevArray(np.ndarray):
    """A host array posing as a CuPy array: .data.ptr and .device.id."""

    @property
    def data(self):
        return types.SimpleNamespace(ptr=self.__array_interface__["data"][0])

    @property
    def device(self):
        return types.SimpleNamespace(id=0)


def at(ptr, count, dt):
    """The count elements of NCCL type dt at ptr, as a writable numpy array."""
    dtype = np.dtype(_TYPES[dt])
    return np.frombuffer((ctypes.c_char * (count * dtype.itemsize)).from_address(ptr), dtype).copy(), dtype


def put(ptr, values):
    ctypes.memmove(ptr, np.ascontiguousarray(values).ctypes.data, values.nbytes)


class FakeComm:
    """Rank `me` of 2; the other rank holds `peer` (its elements in logical order)."""

    def __init__(self, size, uid, rank):
        assert size == 2 and len(uid) == 128
        self.me, self.calls, self.aborted = rank, [], False

    def allReduce(self, send, recv, count, dt, op, stream):
        self.calls.append(("allReduce", send, recv, count, dt, op))
        mine, dtype = at(send, count, dt)
        put(recv, _REDUCE[op](mine, self.peer[:count].astype(dtype)).astype(dtype))

    def bcast(self, buf, count, dt, root, stream):
        self.calls.append(("bcast", buf, count, dt, root))
        if root != self.me:
            put(buf, self.peer[:count].astype(_TYPES[dt]))

    def reduce(self, send, recv, count, dt, op, root, stream):
        self.calls.append(("reduce", send, recv, count, dt, op, root))
        if root == self.me:
            mine, dtype = at(send, count, dt)
            put(recv, _REDUCE[op](mine, self.peer[:count].astype(dtype)).astype(dtype))

    def allGather(self, send, recv, count, dt, stream):
        self.calls.append(("allGather", send, recv, count, dt))
        mine, dtype = at(send, count, dt)
        parts = [mine, self.peer[:count].astype(dtype)]
        put(recv, np.concatenate(parts if self.me == 0 else parts[::-1]))

    def broadcast(self, send, recv, count, dt, root, stream):
        self.calls.append(("broadcast", send, recv, count, dt, root))
        assert self.grouped, "the broadcasts of an allgatherv run in one NCCL group"
        src = at(send, count, dt)[0] if root == self.me else self.peer[:count].astype(_TYPES[dt])
        put(recv, src)

    def abort(self):
        self.aborted = True


class FakeWorld:
    class MPI:
        INT64_T = "INT64_T"

    def __init__(self, rank, done=True):
        self.rank, self.size, self.done = rank, 2, done
        self.comm = types.SimpleNamespace(Ibcast=lambda buf, root: types.SimpleNamespace(Test=lambda: True))

    def wait(self, req, what):
        if not req.Test() and not self.done:
            raise DistributedTimeoutError("%s on rank %d did not complete" % (what, self.rank))

    def _break(self, exc):
        return exc


@pytest.fixture
def fake_cupy(monkeypatch):
    mod = types.SimpleNamespace(
        NCCL_INT8=1, NCCL_UINT8=2, NCCL_INT32=3, NCCL_INT64=5, NCCL_FLOAT16=6, NCCL_FLOAT32=7, NCCL_FLOAT64=8,
        NCCL_SUM=0, NCCL_PROD=1, NCCL_MAX=2, NCCL_MIN=3, NcclError=type("NcclError", (RuntimeError,), {}),
        get_unique_id=lambda: tuple(range(-64, 64)), available=True)
    state = {"grouped": False}

    def group(flag):
        def f():
            state["grouped"] = flag
            for c in comms:
                c.grouped = flag
        return f
    comms = []

    def make(size, uid, rank):
        c = FakeComm(size, uid, rank)
        c.grouped = False
        comms.append(c)
        return c
    mod.NcclCommunicator, mod.groupStart, mod.groupEnd = make, group(True), group(False)
    stream = types.SimpleNamespace(ptr=0, synchronize=lambda: None,
                                   record=lambda: types.SimpleNamespace(done=not state.get("stuck")))

    class Device:
        def __init__(self, i):
            assert i == 0

        def __enter__(self):
            return self

        def __exit__(self, *a):
            return False
    cuda = types.SimpleNamespace(nccl=mod, get_current_stream=lambda: stream, Device=Device)
    cupy = types.SimpleNamespace(cuda=cuda)
    monkeypatch.setitem(sys.modules, "cupy", cupy)
    monkeypatch.setitem(sys.modules, "cupy.cuda", cuda)
    monkeypatch.setitem(sys.modules, "cupy.cuda.nccl", mod)
    return state


class T:
    """The parts of a Cuda tensor the backend reads: _a (a view), _storage._data, dtype, ..."""

    def __init__(self, base, view, typename="torch.CudaTensor"):
        self._storage = types.SimpleNamespace(_data=base)
        self._a, self.dtype, self.typename, self._size = view, view.dtype, typename, view.shape

    def isContiguous(self):
        return self._a.flags.c_contiguous

    def nElement(self):
        return self._a.size


def tensor(values, layout, dtype=np.float32):
    """(storage, tensor) whose view holds values (4x3): contiguous, transposed, or a column block."""
    values = np.asarray(values, dtype).reshape(4, 3)
    if layout == "contiguous":
        base = np.zeros(12, dtype).view(DevArray)
        view = base.reshape(4, 3)
    elif layout == "transposed":
        base = np.zeros(12, dtype).view(DevArray)
        view = base.reshape(3, 4).T
    else:
        base = np.full(20, -99, dtype).view(DevArray)
        view = base.reshape(4, 5)[:, 1:4]
    view[...] = values
    return base, T(base, view)


MINE, PEER = np.arange(12) * 3 % 7 - 2, np.arange(12) % 5 + 1


def backend(rank, peer, **kw):
    b = nccl.Backend(FakeWorld(rank, **kw), 0)
    b.comm.peer = np.asarray(peer)
    return b


@pytest.mark.parametrize("layout", ["contiguous", "transposed", "column"])
@pytest.mark.parametrize("dtype,code", [(np.float32, 7), (np.float64, 8), (np.int64, 5)])
def test_allreduce_in_place(fake_cupy, layout, dtype, code):
    for op, ref in (("sum", np.add), ("max", np.maximum), ("prod", np.multiply)):
        base, t = tensor(MINE, layout, dtype)
        b = backend(0, PEER)
        assert b.allreduce(t, op) is t
        np.testing.assert_array_equal(t._a, ref(MINE, PEER).reshape(4, 3))
        name, send, recv, count, dt, nop = b.comm.calls[-1]
        assert (count, dt, nop) == (12, code, {"sum": 0, "max": 2, "prod": 1}[op]) and send == recv
        # contiguous: NCCL works on the tensor's own memory; otherwise on one temporary
        assert (send == t._a.data.ptr) == (layout == "contiguous")
        if layout == "column":
            assert (base.reshape(4, 5)[:, [0, 4]] == -99).all()


@pytest.mark.parametrize("layout", ["contiguous", "transposed", "column"])
def test_broadcast_and_reduce(fake_cupy, layout):
    for rank in (0, 1):
        _, t = tensor(MINE, layout)
        backend(rank, PEER).broadcast(t, 1)
        np.testing.assert_array_equal(t._a, (MINE if rank == 1 else PEER).reshape(4, 3))
        _, t = tensor(MINE, layout)
        b = backend(rank, PEER)
        b.reduce(t, 0, "sum")
        np.testing.assert_array_equal(t._a, (MINE + PEER if rank == 0 else MINE).reshape(4, 3))
        assert b.comm.calls[-1][-1] == 0                    # the root


def test_allgather_equal_and_unequal_counts(fake_cupy):
    for rank in (0, 1):
        _, t = tensor(MINE, "transposed")
        out_base = np.zeros(24, np.float32).view(DevArray)
        out = T(out_base, out_base.reshape(2, 4, 3))
        backend(rank, PEER).allgather(t, out, [12, 12])
        parts = [MINE, PEER] if rank == 0 else [PEER, MINE]
        np.testing.assert_array_equal(out._a.reshape(-1), np.concatenate(parts))
        # ranks with 12 and 5 elements: one broadcast per rank, grouped, into the rank's slice
        counts = [12, 5] if rank == 0 else [5, 12]
        mine = MINE[:counts[rank]]
        src = np.array(mine, np.float32).view(DevArray)
        t = T(src, src)
        out_base = np.zeros(17, np.float32).view(DevArray)
        out = T(out_base, out_base)
        b = backend(rank, PEER[:counts[1 - rank]])
        b.allgather(t, out, counts)
        parts = [mine, PEER[:counts[1 - rank]]] if rank == 0 else [PEER[:counts[0]], mine]
        np.testing.assert_array_equal(out._a, np.concatenate(parts))
        assert [c[0] for c in b.comm.calls] == ["broadcast", "broadcast"] and not fake_cupy["grouped"]


def test_empty_tensors_move_nothing(fake_cupy):
    base = np.zeros(0, np.float32).view(DevArray)
    b = backend(0, PEER)
    for call in (lambda t: b.allreduce(t, "sum"), lambda t: b.broadcast(t, 1), lambda t: b.reduce(t, 0, "max")):
        t = T(base, base)
        assert call(t) is t
    assert b.comm.calls == []


def test_types_nccl_lacks_and_a_stuck_collective(fake_cupy):
    _, t = tensor(MINE, "contiguous", np.int16)
    with pytest.raises(TorchTypeError, match="NCCL has no type for torch.CudaShortTensor"):
        t.typename = "torch.CudaShortTensor"
        backend(0, PEER).allreduce(t, "sum")
    fake_cupy["stuck"] = True        # the peer never joins: the world's wait gives up, NCCL is aborted
    _, t = tensor(MINE, "contiguous")
    b = backend(0, PEER, done=False)
    with pytest.raises(DistributedError, match="allreduce on rank 0 did not complete"):
        b.allreduce(t, "sum")
    assert b.comm.aborted
