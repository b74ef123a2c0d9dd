"""What each rank runs in tests/test_distributed*.py: `mpirun -np 2 python distributed_worker.py SCENARIO`.

Each rank writes JSON lines to $DIST_RESULTS/rank<r>.jsonl (stdout lines of two ranks may
interleave); the tests compute the expected values themselves (numpy)
from the same inputs (``inputs`` below).  Fault scenarios fail on purpose.
"""
import json
import os
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import numpy as np  # noqa: E402

import pytorch_lite as torch  # noqa: E402
from pytorch_lite import distributed as dist  # noqa: E402

TYPES = ("torch.FloatTensor", "torch.DoubleTensor", "torch.LongTensor")
# DIST_CUDA=1 (with PYTORCH_LITE_CUDA=cpu): the same scenarios on the Cuda types
CUDA_OF = {"torch.FloatTensor": "torch.CudaTensor", "torch.DoubleTensor": "torch.CudaDoubleTensor",
           "torch.LongTensor": "torch.CudaLongTensor"}
LAYOUTS = ("contiguous", "transposed", "column")
SENTINEL = -99


def cls_of(typename):
    """The class a scenario uses for typename: its Cuda twin under DIST_CUDA=1."""
    if os.environ.get("DIST_CUDA"):
        typename = CUDA_OF[typename]
    return torch.TENSOR_TYPES[typename]


def inputs(rank, n=12):
    """Rank-dependent small integers (exact in every type)."""
    return (np.arange(n) * 3 + 7 * rank + 1) % 23 - 5


def make(typename, layout, rank):
    """(the whole storage's tensor, a 4x3 view of it holding inputs(rank)); the storage elements
    outside the view hold SENTINEL."""
    cls = cls_of(typename)
    if layout == "contiguous":
        big = cls(4, 3)
        view = big
    elif layout == "transposed":            # covers its block, in another order
        big = cls(3, 4)
        view = big.t()
    else:                                   # a block with holes
        big = cls(4, 5).fill(SENTINEL)
        view = big.narrow(1, 1, 3)
    view.numpy()[...] = inputs(rank).reshape(4, 3)
    return big, view


def out(**kw):
    kw["rank"] = dist.rank()
    with open(os.path.join(os.environ["DIST_RESULTS"], "rank%d.jsonl" % kw["rank"]), "a") as f:
        f.write(json.dumps(kw) + "\n")


def outside(big, view):
    """The storage elements outside view (untouched by a collective on view)."""
    mask = np.ones(big.nElement(), bool)
    idx = np.full((), view.storageOffset(), np.int64)
    for n, s in zip(view._size, view._stride):
        idx = np.add.outer(idx, np.arange(n) * s)
    mask[idx.reshape(-1) - big.storageOffset()] = False
    return big.numpy().reshape(-1)[mask].tolist()


def collectives():
    r = dist.rank()
    for typename in TYPES:
        for layout in LAYOUTS:
            case = "%s/%s" % (typename, layout)
            for op in ("sum", "mean", "max"):
                big, view = make(typename, layout, r)
                got = dist.allreduce(view, op)
                out(case=case, what="allreduce_" + op, value=view.numpy().tolist(), same=got is view,
                    outside=outside(big, view), typename=got.typename)
            big, view = make(typename, layout, r)
            got = dist.broadcast(view, 1)
            out(case=case, what="broadcast", value=view.numpy().tolist(), same=got is view, outside=outside(big, view))
            big, view = make(typename, layout, r)
            got = dist.reduce(view, 0, "sum")
            out(case=case, what="reduce", value=view.numpy().tolist(), same=got is view, outside=outside(big, view))
            big, view = make(typename, layout, r)
            gathered = dist.allgather(view)
            out(case=case, what="allgather", value=gathered.numpy().tolist(), size=list(gathered._size),
                outside=outside(big, view), typename=gathered.typename)
            big, view = make(typename, layout, r)
            target = cls_of(typename)(3, 2, 4).fill(SENTINEL).transpose(0, 1)   # not contiguous
            got = dist.allgather(view, target)
            out(case=case, what="allgather_into", value=got.numpy().tolist(), same=got is target)
    # different counts per rank: a 1-D result in rank order
    t = cls_of("torch.DoubleTensor")(list(range(r + 2)))
    out(what="allgatherv", value=dist.allgather(t).numpy().tolist())
    out(what="number", value=[dist.allreduce_number(r + 1), dist.allreduce_number(r + 0.5, "max"),
                              dist.allreduce_number(10 * r + 3, "mean")])
    # a tensor reduced into an output leaves the input alone
    a = cls_of("torch.FloatTensor")([1, 2, 3]).mul(r + 1)
    o = cls_of("torch.FloatTensor")()
    dist.allreduce(a, "sum", o)
    out(what="allreduce_output", value=o.numpy().tolist(), input=a.numpy().tolist())
    # no copy: the reduced memory is the tensor's own
    big = cls_of("torch.FloatTensor")(25 * 1024).fill(r + 1)
    before = big.numpy().__array_interface__["data"][0]
    dist.allreduce(big)
    out(what="inplace_big", first=float(big.numpy()[0]), same_memory=big.numpy().__array_interface__["data"][0] == before)
    dist.barrier()
    dist.finalize()


def mismatch():
    r = dist.rank()
    errors = []
    F, D = cls_of("torch.FloatTensor"), cls_of("torch.DoubleTensor")
    calls = [lambda: dist.allreduce(F(10 + 2 * r).fill(1)),
             lambda: dist.allreduce(F(5) if r == 0 else D(5)),
             lambda: dist.broadcast(F(5), r),
             lambda: dist.broadcast(F(5)) if r == 0 else dist.allreduce(F(5)),
             lambda: dist.allreduce(F(5), "sum" if r == 0 else "max")]
    if os.environ.get("DIST_CUDA"):   # a Cuda tensor against a CPU one is a type mismatch
        calls.append(lambda: dist.allreduce(F(5) if r == 0 else torch.FloatTensor(5)))
    for call in calls:
        try:
            call()
            errors.append(None)
        except dist.DistributedMismatchError as e:
            errors.append(str(e))
    # the world still works after refusing those
    t = dist.allreduce(F(3).fill(r + 1))
    out(errors=errors, after=t.numpy().tolist())
    dist.finalize()


def helpers():
    from pytorch_lite import nn
    r = dist.rank()
    torch.manualSeed(100 + r)                 # different weights on each rank
    model = nn.Sequential().add(nn.Linear(3, 4)).add(nn.Tanh()).add(nn.Linear(4, 2))
    if os.environ.get("DIST_CUDA"):
        model.cuda()
    out(what="param_type", value=model.parameters()[0][0].typename)
    before = model.parameters()[0]
    out(what="weights_before", value=[p.numpy().tolist() for p in before])
    dist.synchronize_parameters(model)
    out(what="weights_after", value=[p.numpy().tolist() for p in model.parameters()[0]])
    params, grads = model.getParameters()
    grads.copy(torch.DoubleTensor(list(inputs(r, grads.nElement()))))
    dist.synchronize_gradients(model)          # one allreduce over the flat gradient
    out(what="grads_mean", value=grads.numpy().tolist())
    grads.copy(torch.DoubleTensor(list(inputs(r, grads.nElement()))))
    dist.synchronize_gradients(grads, "sum")
    out(what="grads_sum", value=grads.numpy().tolist())
    params.copy(torch.DoubleTensor(list(inputs(r, params.nElement()))))
    dist.synchronize_parameters(model, average=True)
    out(what="params_average", value=params.numpy().tolist())
    x = torch.Tensor(7, 2)
    out(what="shard", range=list(dist.shard(7)), rows=dist.shard(x).size(0))
    path = os.environ["DIST_SAVE_PATH"]
    wrote = dist.save(path, torch.Tensor([r]))
    out(what="save", wrote=wrote)
    dist.finalize()


def distlearn():
    r = dist.rank()
    steps = [int(s) for s in os.environ["DIST_STEPS"].split(",")]   # per epoch, for rank r: steps[r + 2 * epoch]
    # AllReduceSGD, as distlearn's own test: params(7) differ per rank until synchronized
    sgd = dist.AllReduceSGD()
    params = [torch.DoubleTensor(list(inputs(r, 7))).mul(0.5)]
    grads = [torch.DoubleTensor(7)]
    sgd.synchronizeParameters(params)
    history = []
    for epoch in range(2):
        n = steps[r + 2 * epoch]
        for step in range(n):
            grads[0].fill((r + 1) * (step + 1) / n)
            sgd.sumAndNormalizeGradients(grads)
            params[0].add(grads[0])
        sgd.synchronizeParameters(params)
        history.append(params[0].numpy().tolist())
    out(what="sgd", value=history)
    # AllReduceEA (tau 2, alpha 0.3): every step pulls params toward a rank-dependent target
    ea = dist.AllReduceEA(2, 0.3)
    p = {"b": torch.DoubleTensor([1.0, -1.0]), "a": torch.DoubleTensor(list(inputs(r, 3)))}
    ea.synchronizeParameters(p)
    history = []
    for epoch in range(2):
        n = steps[r + 2 * epoch]
        for step in range(n):
            for key in ("a", "b"):
                p[key].add(-0.25, p[key].clone().add(-(r + 1) * 2.0))
            ea.averageParameters(p)
        ea.synchronizeCenter(p)
        history.append({k: v.numpy().tolist() for k, v in p.items()})
    ea.synchronizeParameters(p)
    history.append({k: v.numpy().tolist() for k, v in p.items()})
    out(what="ea", value=history)
    dist.finalize()


def fault():
    """DIST_FAULT on rank 1 while rank 0 waits in an allreduce: raise, die, hang, finish."""
    kind = os.environ["DIST_FAULT"]
    r = dist.rank()
    dist.allreduce(cls_of("torch.FloatTensor")(4).fill(1))   # the world works
    out(what="started", t=time.time())
    if r == 1:
        time.sleep(0.3)
        if kind == "raise":
            raise ValueError("boom from rank 1")
        if kind == "die":
            os.kill(os.getpid(), signal.SIGKILL)
        if kind == "hang":
            time.sleep(600)
        if kind == "finish":
            sys.exit(0)
    dist.allreduce(cls_of("torch.FloatTensor")(4).fill(1))
    out(what="not reached")


def no_finalize():
    """Both ranks end without finalize(); rank 1 gets there first and waits for rank 0 at exit."""
    r = dist.rank()
    t = dist.allreduce(torch.FloatTensor(2).fill(r + 1))
    if r == 0:
        time.sleep(1.0)
    out(what="done", value=t.numpy().tolist(), t=time.time())


if __name__ == "__main__":
    dist.init()
    if os.environ.get("DIST_CUDA") and os.environ.get("PYTORCH_LITE_CUDA") != "cpu":
        from pytorch_lite import cuda   # a real GPU: NCCL wants one device per rank
        cuda.setDevice(dist.rank() % cuda.getDeviceCount())
    {"collectives": collectives, "mismatch": mismatch, "helpers": helpers, "distlearn": distlearn,
     "fault": fault, "no_finalize": no_finalize}[sys.argv[1]]()
