"""The Python side of `require 'torchmpi'`, `require 'torchmpi.nn'` and `require 'distlearn'`:
pytorch_lite.distributed with Lua's values (tables of tensors arrive as lists; ranks and roots
are 0-based, as in TorchMPI)."""
from pytorch_lite import distributed as dist
from pytorch_lite.errors import TorchValueError

from ..bridge import to_py


def _tensors(t):
    return [] if t is None else list(to_py(t))


def _rank(r, what):
    if isinstance(r, float) and r.is_integer():
        r = int(r)
    if not isinstance(r, int):
        raise TorchValueError("%s: the root must be a rank number, got %r" % (what, r))
    return r


def bridge(runtime):
    def start(with_cuda=False):
        dist.init()
        if with_cuda:
            dist.nccl.require("mpi.start(true)")

    def tree_all_reduce(tree, values, zero=None):
        tensors = _tensors(values)
        if zero is not None:
            lua_zero = zero
            zero = lambda t, i: lua_zero(t, i + 1)   # noqa: E731  (1-based indices in Lua)
        _, n = tree.all_reduce(tensors, zero)
        return n

    return dict(
        start=start, has_nccl=lambda: dist.nccl.available()[0], stop=dist.finalize, rank=dist.rank, size=dist.size, barrier=dist.barrier,
        allreduce=lambda t, out=None, op="sum": dist.allreduce(t, op or "sum", out),
        broadcast=lambda root, t: dist.broadcast(t, _rank(root, "broadcastTensor")),
        reduce=lambda root, t, out=None, op="sum": dist.reduce(t, _rank(root, "reduceTensor"), op or "sum", out),
        allgather=lambda t, out=None: dist.allgather(t, out),
        allreduce_number=lambda x, op="sum": dist.allreduce_number(x, op or "sum"),
        allreduce_long=lambda x, op="sum": dist.allreduce_number(int(x), op or "sum"),
        sync_parameters=lambda ts, average=False: dist.synchronize_parameters(_tensors(ts), average=bool(average)),
        sync_gradients=lambda ts, op="sum": dist.synchronize_gradients(_tensors(ts), op or "sum"),
        tree=lambda: dist.Tree(), tree_all_reduce=tree_all_reduce,
        tree_scatter=lambda tree, values: tree.scatter(_tensors(values)) and None,
        tree_rank=lambda tree: tree.rank, tree_size=lambda tree: tree.size,
        sgd=lambda tree=None: dist.AllReduceSGD(tree),
        ea=lambda tree, tau, alpha: dist.AllReduceEA(tau, alpha, tree),
        call=lambda obj, method, values: getattr(obj, method)(_tensors(values)) and None,
    )
