"""pytorch_lite.distributed on real 2-rank MPI jobs (mpirun on localhost): every collective on
float/double/long tensors, contiguous and not, against numpy; the helpers; distlearn's algorithms
against a simulation (distlearn_reference.py); bad input in one process."""
import os
import re
import types

import numpy as np
import pytest

import pytorch_lite as torch
from pytorch_lite import distributed as dist
from pytorch_lite.errors import TorchRuntimeError, TorchTypeError, TorchValueError

import distlearn_reference
from distributed_harness import worker
from distributed_worker import LAYOUTS, SENTINEL, TYPES, inputs


@pytest.fixture(scope="module")
def collectives_job():
    job = worker("collectives")
    assert job.rc == 0, str(job)
    return job


def _per_rank(rank):
    return inputs(rank).reshape(4, 3).astype(np.float64)


def _mean(total, typename):
    return np.trunc(total / 2) if typename == "torch.LongTensor" else total / 2   # Torch7's integer div truncates


@pytest.mark.parametrize("layout", LAYOUTS)
@pytest.mark.parametrize("typename", TYPES)
def test_collectives_in_place_match_numpy(collectives_job, typename, layout):
    case = "%s/%s" % (typename, layout)
    a, b = _per_rank(0), _per_rank(1)
    expected = {
        "allreduce_sum": {0: a + b, 1: a + b},
        "allreduce_mean": {0: _mean(a + b, typename), 1: _mean(a + b, typename)},
        "allreduce_max": {0: np.maximum(a, b), 1: np.maximum(a, b)},
        "broadcast": {0: b, 1: b},                               # root 1
        "reduce": {0: a + b, 1: b},                              # root 0 gets the sum, rank 1 keeps its own
        "allgather": {0: np.stack([a, b]), 1: np.stack([a, b])},
        "allgather_into": {r: np.concatenate([a.ravel(), b.ravel()]).reshape(2, 3, 4) for r in (0, 1)},
    }
    for what, by_rank in expected.items():
        got = collectives_job.where(case=case, what=what)
        assert sorted(got) == [0, 1], (what, str(collectives_job))
        for r in (0, 1):
            res = got[r]
            np.testing.assert_array_equal(np.array(res["value"]), by_rank[r], err_msg="%s %s rank %d" % (case, what, r))
            if "same" in res:
                assert res["same"], "%s returned another tensor than the one given" % what
            if "outside" in res:   # storage elements outside the view are untouched
                assert res["outside"] == [SENTINEL] * len(res["outside"])
                assert len(res["outside"]) == (8 if layout == "column" else 0)
    assert collectives_job.where(case=case, what="allgather")[0]["size"] == [2, 4, 3]


def test_allgather_with_different_counts_is_1d_in_rank_order(collectives_job):
    for r, res in collectives_job.where(what="allgatherv").items():
        assert res["value"] == [0.0, 1.0, 0.0, 1.0, 2.0]


def test_number_and_output_forms(collectives_job):
    for r in (0, 1):
        assert collectives_job.where(what="number")[r]["value"] == [3, 1.5, 8]      # sum 1+2; max; mean of 3, 13
        res = collectives_job.where(what="allreduce_output")[r]
        assert res["value"] == [3.0, 6.0, 9.0] and res["input"] == [float(r + 1) * v for v in (1, 2, 3)]
        big = collectives_job.where(what="inplace_big")[r]
        assert big["first"] == 3.0 and big["same_memory"]


def test_mismatches_are_errors_naming_both_ranks():
    job = worker("mismatch")
    assert job.rc == 0, str(job)
    for r, res in job.where().items():
        assert res["errors"] == [
            "allreduce: sizes differ between ranks: rank 0 has 10 elements, rank 1 has 12",
            "allreduce: tensor types differ between ranks: rank 0 has a torch.FloatTensor, rank 1 a torch.DoubleTensor",
            "broadcast: roots differ between ranks: rank 0 gives root 0, rank 1 gives 1",
            "collective mismatch: rank 0 called broadcast, rank 1 called allreduce",
            "allreduce: operations differ between ranks: rank 0 asks for sum, rank 1 for max",
        ]
        assert res["after"] == [3.0, 3.0, 3.0]     # the ranks still work together afterwards


def test_helpers(tmp_path):
    path = str(tmp_path / "ckpt.t7")
    job = worker("helpers", env={"DIST_SAVE_PATH": path})
    assert job.rc == 0, str(job)
    before = job.where(what="weights_before")
    assert before[0]["value"] != before[1]["value"]                 # different seeds per rank
    for r in (0, 1):
        assert job.where(what="weights_after")[r]["value"] == before[0]["value"]   # rank 0's everywhere
    n = len(job.where(what="grads_mean")[0]["value"])
    total = inputs(0, n) + inputs(1, n)
    for r in (0, 1):
        np.testing.assert_array_equal(job.where(what="grads_mean")[r]["value"], total / 2)
        np.testing.assert_array_equal(job.where(what="grads_sum")[r]["value"], total)
        np.testing.assert_array_equal(job.where(what="params_average")[r]["value"], total / 2)
    assert job.where(what="shard")[0]["range"] == [0, 1, 2, 3] and job.where(what="shard")[0]["rows"] == 4
    assert job.where(what="shard")[1]["range"] == [4, 5, 6] and job.where(what="shard")[1]["rows"] == 3
    assert job.where(what="save")[0]["wrote"] is True and job.where(what="save")[1]["wrote"] is False
    assert torch.load(path).numpy().tolist() == [0.0]               # written by rank 0


@pytest.mark.parametrize("steps", [(3, 3, 2, 2), (3, 5, 6, 1), (7, 2, 4, 4)],
                         ids=["even", "uneven", "uneven-other-way"])
def test_distlearn_against_simulation(steps):
    job = worker("distlearn", env={"DIST_STEPS": ",".join(map(str, steps))})
    assert job.rc == 0, str(job)
    sgd, ea = distlearn_reference.sgd(steps), distlearn_reference.ea(steps)
    for r in (0, 1):
        np.testing.assert_allclose(job.where(what="sgd")[r]["value"], sgd[r], rtol=1e-12, atol=1e-12)
        got = job.where(what="ea")[r]["value"]
        assert len(got) == len(ea[r]) == 3
        for g, e in zip(got, ea[r]):
            for k in ("a", "b"):
                np.testing.assert_allclose(g[k], e[k], rtol=1e-12, atol=1e-12)
    # synchronizeParameters leaves the same params on both ranks
    assert job.where(what="sgd")[0]["value"] == job.where(what="sgd")[1]["value"]
    assert job.where(what="ea")[0]["value"][-1] == job.where(what="ea")[1]["value"][-1]


# -- one process (no mpirun): the same calls, and their errors --------------------------------------
@pytest.fixture
def world():
    dist.init()
    yield
    dist.finalize()


def test_before_init_is_a_clear_error():
    dist.finalize()
    with pytest.raises(dist.DistributedError, match="call distributed.init"):
        dist.allreduce(torch.FloatTensor(2))


def test_one_process_collectives(world):
    assert (dist.rank(), dist.size()) == (0, 1)
    x = torch.LongTensor([[1, 2], [3, 4]]).t()
    assert dist.allreduce(x, "mean") is x and x.numpy().tolist() == [[1, 3], [2, 4]]
    assert dist.broadcast(x, 0) is x
    g = dist.allgather(torch.FloatTensor([1, 2]))
    assert g.numpy().tolist() == [[1.0, 2.0]]
    dist.barrier()


def test_bad_input(world):
    with pytest.raises(TorchTypeError, match="expected a tensor"):
        dist.allreduce([1, 2])
    with pytest.raises(TorchTypeError, match="HalfTensor cannot be sent"):
        dist.allreduce(torch.HalfTensor(2))
    with pytest.raises(TorchValueError, match="op must be one of"):
        dist.allreduce(torch.FloatTensor(2), "avg")
    with pytest.raises(TorchValueError, match="root must be a rank in"):
        dist.broadcast(torch.FloatTensor(2), 3)
    with pytest.raises(TorchValueError, match="overlap"):
        dist.allreduce(torch.FloatTensor(1, 3).expand(4, 3))
    with pytest.raises(TorchValueError, match="shard"):
        dist.shard(-1)


def test_cuda_tensors_go_to_the_nccl_hook(world):
    ok, why = dist.nccl.available()
    if ok:
        pytest.skip("a GPU backend is present: the NCCL path is tested on GPU machines")
    cuda = types.SimpleNamespace(typename="torch.CudaTensor")   # what the collectives look at
    for call in (dist.allreduce, dist.broadcast, dist.reduce, dist.allgather):
        with pytest.raises(TorchRuntimeError, match=": Cuda tensors need NCCL, and " + re.escape(why)):
            call(cuda)


def test_without_mpi4py_one_process_still_works(monkeypatch):
    import builtins
    real_import = builtins.__import__

    def no_mpi4py(name, *a, **kw):
        if name.startswith("mpi4py"):
            raise ImportError(name)
        return real_import(name, *a, **kw)
    dist.finalize()
    monkeypatch.setattr(builtins, "__import__", no_mpi4py)
    for k in ("PMI_SIZE", "OMPI_COMM_WORLD_SIZE", "PMIX_SIZE", "MV2_COMM_WORLD_SIZE", "SLURM_NTASKS"):
        monkeypatch.delenv(k, raising=False)
    try:
        dist.init()
        x = torch.DoubleTensor([1.5, 2.5])
        assert dist.allreduce(x, "mean").numpy().tolist() == [1.5, 2.5] and dist.size() == 1
        dist.finalize()
        monkeypatch.setenv("PMI_SIZE", "4")
        with pytest.raises(dist.DistributedError, match="one of 4 MPI ranks but mpi4py is not installed"):
            dist.init()
    finally:
        dist.finalize()
    assert os.environ.get("PMI_SIZE") == "4"
