"""A rank that raises, dies, hangs or leaves early stops the whole 2-rank job with a clear error
within a bounded time: never a hang (each job is also killed past its own timeout)."""

import pytest

from distributed_harness import mpirun, worker

# generous bounds for a loaded 2-core machine; the collective timeout below is what bounds a hang
BOUND = 25


def fault(kind, timeout="30", env=None):
    job = worker("fault", env=dict(env or {}, DIST_FAULT=kind, PYTORCH_LITE_MPI_TIMEOUT=timeout,
                                   PYTORCH_LITE_MPI_GRACE="5"), timeout=60)   # time for the others to report on a loaded machine
    assert sorted(job.where(what="started")) == [0, 1], str(job)     # both ranks ran a collective first
    assert not job.where(what="not reached"), str(job)
    assert job.rc != 0, str(job)
    assert job.elapsed < BOUND, str(job)
    return job


@pytest.mark.parametrize("env", [{}, {"PYTORCH_LITE_CUDA": "cpu", "DIST_CUDA": "1"}], ids=["cpu", "cuda-on-cpu"])
def test_a_rank_that_raises_stops_the_others_with_its_error(env):
    job = fault("raise", env=env)
    assert "ValueError: boom from rank 1" in job.err                  # rank 1's own traceback
    assert "PeerFailedError: allreduce on rank 0 stopped: rank 1 failed (ValueError: boom from rank 1)" in job.err
    assert "[rank 1 of 2] stopping the job: uncaught ValueError" in job.err


def test_a_rank_that_dies_stops_the_job():
    job = fault("die")
    assert "BAD TERMINATION" in job.out and "Killed (signal 9)" in job.out   # mpirun names the signal


def test_a_stuck_rank_makes_the_others_time_out():
    # also what bounds a dead rank's job where the launcher does not clean up
    job = fault("hang", timeout="3")
    assert job.elapsed >= 3
    assert "DistributedTimeoutError: allreduce on rank 0 did not complete within 3 s" in job.err


def test_a_rank_that_finishes_early_is_named():
    job = fault("finish")
    assert "allreduce on rank 0 cannot complete: rank(s) 1 finished and left the job without calling it" in job.err


def test_a_failing_lua_script_stops_the_others(tmp_path):
    script = tmp_path / "fail.lua"
    script.write_text("""
local mpi = require 'torchmpi'
mpi.start()
local x = torch.FloatTensor(4):fill(1)
mpi.allreduceTensor(x)
if mpi.rank() == 1 then error('lua boom on rank 1') end
mpi.allreduceTensor(x)
print('not reached')
""")
    job = mpirun(["-m", "pytorch_lite.cli", "run", str(script)], env={"PYTORCH_LITE_MPI_GRACE": "5"}, timeout=60)
    assert job.rc != 0 and job.elapsed < BOUND, str(job)
    assert "not reached" not in job.out
    assert "lua boom on rank 1" in job.err
    assert "rank 1 failed (" in job.err and "lua boom on rank 1)" in job.err, str(job)


def test_ranks_that_end_without_finalize_wait_for_each_other_and_exit_cleanly():
    job = worker("no_finalize", env={"PYTORCH_LITE_MPI_GRACE": "5"}, timeout=60)
    assert job.rc == 0, str(job)
    done = job.where(what="done")
    assert sorted(done) == [0, 1] and done[0]["value"] == done[1]["value"] == [3.0, 3.0]
    assert job.err == "", str(job)
