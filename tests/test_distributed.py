"""pytorch_lite.distributed on real 2-rank MPI jobs (mpirun on localhost): every collective on
float/double/long tensors, contiguous and not, against numpy -- and the same on their Cuda twins
under PYTORCH_LITE_CUDA=cpu (numpy arrays through MPI), and on a GPU through NCCL where one is;
the helpers; distlearn's algorithms against a simulation (distlearn_reference.py); bad input in
one process."""
import os
import sys
import types

import numpy as np
import pytest

import pytorch_lite as torch
from pytorch_lite import distributed as dist
from pytorch_lite.errors import TorchRuntimeError, TorchTypeError, TorchValueError

import distlearn_reference
from distributed_harness import worker
from distributed_worker import CUDA_OF, LAYOUTS, SENTINEL, TYPES, inputs

# the worker's scenarios on CPU types, and on Cuda types backed by numpy (PYTORCH_LITE_CUDA=cpu)
KINDS = {"cpu": {}, "cuda-on-cpu": {"PYTORCH_LITE_CUDA": "cpu", "DIST_CUDA": "1"}}


def _gpu_skip():
    """Why the NCCL tests cannot run here ('' when they can): two ranks need two GPUs."""
    ok, why = dist.nccl.available()
    if not ok:
        return why
    from pytorch_lite import cuda
    if cuda.getDeviceCount() < 2:
        return "NCCL needs one GPU per rank: 2 ranks, %d GPU(s) here" % cuda.getDeviceCount()
    return ""


@pytest.fixture(scope="module", params=["cpu", "cuda-on-cpu", "cuda-nccl"])
def collectives_job(request):
    if request.param == "cuda-nccl":
        if os.environ.get("PYTORCH_LITE_CUDA", "").strip().lower() == "cpu" or _gpu_skip():
            pytest.skip("no NCCL path here: %s" % (_gpu_skip() or "PYTORCH_LITE_CUDA=cpu is set"))
        env = {"DIST_CUDA": "1", "PYTORCH_LITE_CUDA": ""}
    else:
        env = KINDS[request.param]
    job = worker("collectives", env=env)
    assert job.rc == 0, str(job)
    job.cuda = request.param != "cpu"
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
            if "typename" in res:    # the result is the type given (the Cuda twin in the Cuda jobs)
                assert res["typename"] == (CUDA_OF[typename] if collectives_job.cuda else typename)
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


@pytest.mark.parametrize("kind", KINDS)
def test_mismatches_are_errors_naming_both_ranks(kind):
    job = worker("mismatch", env=KINDS[kind])
    assert job.rc == 0, str(job)
    f, d = ("torch.CudaTensor", "torch.CudaDoubleTensor") if kind != "cpu" else ("torch.FloatTensor", "torch.DoubleTensor")
    extra = ["allreduce: tensor types differ between ranks: rank 0 has a torch.CudaTensor, rank 1 a torch.FloatTensor"]
    assert sorted(job.where()) == [0, 1], str(job)
    for r, res in job.where().items():
        assert res["errors"] == [
            "allreduce: sizes differ between ranks: rank 0 has 10 elements, rank 1 has 12",
            "allreduce: tensor types differ between ranks: rank 0 has a %s, rank 1 a %s" % (f, d),
            "broadcast: roots differ between ranks: rank 0 gives root 0, rank 1 gives 1",
            "collective mismatch: rank 0 called broadcast, rank 1 called allreduce",
            "allreduce: operations differ between ranks: rank 0 asks for sum, rank 1 for max",
        ] + (extra if kind != "cpu" else [])
        assert res["after"] == [3.0, 3.0, 3.0]     # the ranks still work together afterwards


@pytest.mark.parametrize("kind", KINDS)
def test_helpers(tmp_path, kind):
    path = str(tmp_path / "ckpt.t7")
    job = worker("helpers", env=dict(KINDS[kind], DIST_SAVE_PATH=path))
    assert job.rc == 0, str(job)
    for r in (0, 1):   # a model moved with :cuda() in the Cuda job
        assert job.where(what="param_type")[r]["value"] == ("torch.CudaTensor" if kind != "cpu" else "torch.DoubleTensor")
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


def test_cuda_types_on_cpu_take_mpi_in_place(world, monkeypatch):
    monkeypatch.setenv("PYTORCH_LITE_CUDA", "cpu")
    x = torch.CudaLongTensor([[1, 2], [3, 4]]).t()
    assert not dist.nccl.on_device(x)
    assert dist.allreduce(x, "mean") is x and x.numpy().tolist() == [[1, 3], [2, 4]]
    g = dist.allgather(torch.CudaTensor([1, 2]))
    assert g.typename == "torch.CudaTensor" and g.numpy().tolist() == [[1.0, 2.0]]
    dist.nccl.require("mpi.start(true)")          # nothing to refuse: MPI carries them
    with pytest.raises(TorchTypeError, match="CudaHalfTensor cannot be sent"):
        dist.allreduce(torch.CudaHalfTensor(2))


def _fake_cupy(monkeypatch, nccl_available):
    """A CuPy that 'sees a device', with or without its NCCL module (as cupy.cuda.nccl reports)."""
    from pytorch_lite.cuda import device
    nccl_mod = types.SimpleNamespace(available=nccl_available)
    cuda_mod = types.SimpleNamespace(nccl=nccl_mod)
    cupy = types.SimpleNamespace(cuda=cuda_mod)
    monkeypatch.setitem(sys.modules, "cupy", cupy)
    monkeypatch.setitem(sys.modules, "cupy.cuda", cuda_mod)
    monkeypatch.setitem(sys.modules, "cupy.cuda.nccl", nccl_mod)
    monkeypatch.delenv("PYTORCH_LITE_CUDA", raising=False)
    monkeypatch.setattr(device, "cupy_or_none", lambda: cupy)


def test_gpu_without_nccl_is_one_clear_error(world, monkeypatch):
    _fake_cupy(monkeypatch, nccl_available=False)
    ok, why = dist.nccl.available()
    assert not ok and "installed without NCCL" in why
    with pytest.raises(TorchRuntimeError, match="mpi.start.true.: Cuda tensors on a GPU need NCCL, and this CuPy"):
        dist.nccl.require("mpi.start(true)")
    with pytest.raises(TorchRuntimeError, match="allreduce: Cuda tensors on a GPU need NCCL, and this CuPy.*:float"):
        dist.nccl.backend("allreduce", dist._current("test"), None)
    _fake_cupy(monkeypatch, nccl_available=True)
    assert dist.nccl.available() == (True, "")


def test_without_a_device_nccl_says_why(monkeypatch):
    monkeypatch.delenv("PYTORCH_LITE_CUDA", raising=False)
    ok, why = dist.nccl.available()
    if ok:
        pytest.skip("a GPU with NCCL is present: the 2-rank NCCL job (cuda-nccl) runs instead")
    assert why.startswith("no CUDA device (")
    with pytest.raises(TorchRuntimeError, match="Cuda tensors on a GPU need NCCL, and no CUDA device"):
        dist.nccl.require("mpi.start(true)")


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
