"""Starting real MPI jobs on localhost from the tests: `mpirun -np N python ...`, bounded in time.

mpirun comes from the venv's bin folder (the `mpich` wheel puts it beside python), so the tests
need no system MPI; every job runs in its own process group and is killed whole past its timeout,
so a hang fails one test instead of stalling the suite.
"""
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VENV_BIN = os.path.dirname(sys.executable)
WORKER = os.path.join(ROOT, "tests", "distributed_worker.py")


def mpirun_path():
    here = os.path.join(VENV_BIN, "mpirun")
    path = here if os.access(here, os.X_OK) else shutil.which("mpirun")
    if path is None:
        pytest.fail("no mpirun beside %s nor on PATH: ./dev.sh setup installs mpi4py and mpich" % sys.executable)
    return path


class Job:
    def __init__(self, rc, out, err, elapsed, results_dir=None):
        self.rc, self.out, self.err, self.elapsed = rc, out, err, elapsed
        self.results = []
        for name in sorted(os.listdir(results_dir)) if results_dir else ():
            with open(os.path.join(results_dir, name)) as f:
                self.results += [json.loads(line) for line in f if line.strip()]

    def where(self, **match):
        """Results whose fields equal match, by rank: {rank: result}."""
        got = {}
        for r in self.results:
            if all(r.get(k) == v for k, v in match.items()):
                got[r["rank"]] = r
        return got

    def __str__(self):
        return "rc=%s after %.1f s\n--- stdout\n%s\n--- stderr\n%s" % (self.rc, self.elapsed, self.out[-4000:],
                                                                       self.err[-4000:])


def mpirun(args, np=2, env=None, timeout=90, launcher_args=()):
    """Run `mpirun -np np python args...` (args[0] may be '-m'); returns a Job."""
    e = {k: v for k, v in os.environ.items() if not k.startswith(("PMI_", "PMIX_", "OMPI_", "HYDRA_"))}
    e["PATH"] = VENV_BIN + os.pathsep + e.get("PATH", "")
    e["PYTHONPATH"] = ROOT + os.pathsep + e.get("PYTHONPATH", "")
    e.setdefault("PYTORCH_LITE_MPI_TIMEOUT", "30")
    e.update(env or {})
    cmd = [mpirun_path(), *launcher_args, "-np", str(np), sys.executable, *args]
    start = time.monotonic()
    p = subprocess.Popen(cmd, cwd=ROOT, env=e, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                         start_new_session=True, stdin=subprocess.DEVNULL)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, err = p.communicate()
        pytest.fail("mpirun did not finish within %d s:\n%s" % (timeout, Job(None, out, err, time.monotonic() - start)))
    return Job(p.returncode, out, err, time.monotonic() - start)


def worker(scenario, env=None, **kw):
    """Run a scenario of distributed_worker.py; the Job's results are what the ranks wrote."""
    with tempfile.TemporaryDirectory() as d:
        job = mpirun([WORKER, scenario], env=dict(env or {}, DIST_RESULTS=d), **kw)
        return Job(job.rc, job.out, job.err, job.elapsed, d)
