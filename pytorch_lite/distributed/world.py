"""The MPI world of this process: starting, stopping, and waiting that never hangs forever.

Every collective is started non-blocking and waited for here, so a wait can watch two things a
blocking MPI call cannot: a deadline (``timeout``: a rank that died or is stuck makes the others
raise ``DistributedTimeoutError``) and the notices the other ranks send on a control
communicator.  A rank that fails (an uncaught exception, a failed Lua script) tells every other
rank why; those waiting in a collective raise ``PeerFailedError`` naming it at once, and after a
short ``grace`` (time for them to print their own error) the failing rank aborts the whole job,
so ranks busy elsewhere stop too.  A rank that finishes normally says so and waits (bounded) at
exit for the others, so ``mpirun`` ends only when every rank is done.
"""
import atexit
import os
import sys
import time

from ..errors import TorchRuntimeError, TorchValueError

DEFAULT_TIMEOUT = 300.0   # seconds a collective may wait for the other ranks
DEFAULT_GRACE = 3.0       # seconds a failing rank leaves the others to report before aborting
_NOTICE = 77              # tag of the control messages ('failed' or 'exit', with a text)
# a rank that has left the job may still have finished its part of the collective we wait in:
# its data is then already on its way, so only a short wait is left to see it arrive
_LEFT_GRACE = 1.0
_yield_cpu = getattr(os, "sched_yield", None) or (lambda: time.sleep(0))


class DistributedError(TorchRuntimeError):
    """A collective could not be carried out across the ranks."""


class DistributedTimeoutError(DistributedError):
    """The other ranks did not take part in a collective within the timeout."""


class PeerFailedError(DistributedError):
    """Another rank failed while this one waited for it."""

    def __init__(self, message, rank=None):
        super().__init__(message)
        self.rank = rank


class DistributedMismatchError(TorchValueError):
    """The ranks called a collective with different sizes, types, roots or operations."""


def _env_float(name, default):
    v = os.environ.get(name)
    if not v:
        return default
    try:
        return float(v)
    except ValueError:
        raise TorchValueError("%s must be a number of seconds, got %r" % (name, v)) from None


def _launched_size():
    """How many ranks the launcher (mpirun/mpiexec/srun) started, from its environment."""
    for k in ("PMI_SIZE", "OMPI_COMM_WORLD_SIZE", "PMIX_SIZE", "MV2_COMM_WORLD_SIZE", "SLURM_NTASKS"):
        v = os.environ.get(k)
        if v and v.isdigit():
            return int(v)
    return 1


class LocalWorld:
    """One process and no MPI (mpi4py is not installed and no launcher started us)."""
    MPI = None
    comm = None
    rank = 0
    size = 1

    def __init__(self, timeout, grace):
        self.timeout, self.grace = timeout, grace

    def check(self, what):
        pass

    def close(self):
        pass


class World:
    """MPI_COMM_WORLD, duplicated: ``comm`` for the collectives, ``ctrl`` for the notices."""

    def __init__(self, MPI, timeout, grace):
        self.MPI = MPI
        self.comm = MPI.COMM_WORLD.Dup()
        self.ctrl = MPI.COMM_WORLD.Dup()
        self.rank = self.comm.Get_rank()
        self.size = self.comm.Get_size()
        self.timeout, self.grace = timeout, grace
        self.notices = {}      # rank -> ('failed' | 'exit', text), as they arrive
        self.broken = None     # why this world can run no more collectives
        self.failing = False
        self.closed = False
        self._sends = []
        self._status = MPI.Status()
        self._prev_hook = None
        if self.size > 1:
            self._prev_hook = sys.excepthook
            sys.excepthook = self._excepthook
            atexit.register(self._at_exit)

    # -- the notices ----------------------------------------------------------------------------
    def poll_notices(self):
        st = self._status
        while self.ctrl.Iprobe(self.MPI.ANY_SOURCE, _NOTICE, st):
            src = st.Get_source()
            self.notices[src] = self.ctrl.recv(source=src, tag=_NOTICE)

    def _tell_others(self, kind, text):
        for r in range(self.size):
            if r != self.rank:
                self._sends.append(self.ctrl.isend((kind, text), dest=r, tag=_NOTICE))

    def _failed_peers(self):
        return sorted(r for r, (kind, _) in self.notices.items() if kind == "failed")

    # -- waiting --------------------------------------------------------------------------------
    def check(self, what):
        if self.closed:
            raise DistributedError("%s: pytorch_lite.distributed was stopped on this rank" % what)
        if self.broken is not None:
            raise DistributedError("%s: no collective can run after an earlier failure (%s)" % (what, self.broken))

    def wait(self, req, what):
        """Wait for req; raise (and mark the world broken) on a deadline or a peer's failure."""
        if req.Test():
            return
        start = time.monotonic()
        deadline = start + self.timeout
        probe_at = start
        left_at = None
        spins = 0
        while not req.Test():
            spins += 1
            if spins > 200:          # past a short spin, let the other ranks have the cores
                _yield_cpu()
            now = time.monotonic()
            if now >= probe_at:
                probe_at = now + 0.002
                self.poll_notices()
                failed = self._failed_peers()
                if failed:
                    r = failed[0]
                    raise self._break(PeerFailedError(
                        "%s on rank %d stopped: rank %d failed (%s)" % (what, self.rank, r, self.notices[r][1]), r))
                if self.notices and left_at is None:
                    left_at = now
                if left_at is not None and now - left_at > _LEFT_GRACE:
                    gone = sorted(self.notices)
                    raise self._break(DistributedError(
                        "%s on rank %d cannot complete: rank(s) %s finished and left the job without calling it "
                        "(every rank must call the same collectives in the same order)"
                        % (what, self.rank, ", ".join(map(str, gone)))))
            if now > deadline:
                raise self._break(DistributedTimeoutError(
                    "%s on rank %d did not complete within %g s: another rank died, is stuck, or is not calling "
                    "it (PYTORCH_LITE_MPI_TIMEOUT sets the limit)" % (what, self.rank, self.timeout)))

    def _break(self, exc):
        self.broken = str(exc)
        return exc

    # -- failing and finishing ------------------------------------------------------------------
    def fail(self, text):
        """This rank stops on an error: tell the others why, give them ``grace`` seconds to report
        theirs (a rank waiting in a collective raises at once), then abort the whole job."""
        if self.failing or self.closed or self.size == 1:
            return
        self.failing = True
        _flush()
        self._tell_others("failed", text)
        end = time.monotonic() + self.grace
        others = [r for r in range(self.size) if r != self.rank]
        while time.monotonic() < end:
            self.poll_notices()
            if all(r in self.notices for r in others):
                # the others have written their reports; the launcher still has to forward them
                # from its pipes, and an abort tears those down: leave it a moment
                time.sleep(max(0.0, min(0.5, end - time.monotonic())))
                break
            time.sleep(0.002)
        _flush()
        self.MPI.COMM_WORLD.Abort(1)

    def _excepthook(self, etype, value, tb):
        sys.stderr.write("[rank %d of %d] stopping the job: uncaught %s\n" % (self.rank, self.size, etype.__name__))
        (self._prev_hook or sys.__excepthook__)(etype, value, tb)
        first = str(value).splitlines()[0] if str(value) else ""
        self.fail("%s: %s" % (etype.__name__, first) if first else etype.__name__)

    def _at_exit(self):
        if self.closed:
            return
        if self.broken is not None:   # the script caught a distributed error and went on to exit
            self.fail("exited after an earlier failure: %s" % self.broken)
        self.close()

    def close(self):
        """Leave the job: say so, then wait (bounded) until every rank has left too."""
        if self.closed:
            return
        if self.size > 1:
            self._tell_others("exit", "")
            req = self.ctrl.Ibarrier()
            end = time.monotonic() + self.timeout
            while not req.Test():
                self.poll_notices()
                failed = self._failed_peers()
                if failed:
                    r = failed[0]
                    sys.stderr.write("[rank %d of %d] finished, but rank %d failed (%s)\n"
                                     % (self.rank, self.size, r, self.notices[r][1]))
                    self.fail("stopped because rank %d failed" % r)
                if time.monotonic() > end:
                    missing = [r for r in range(self.size) if r != self.rank and r not in self.notices]
                    sys.stderr.write("[rank %d of %d] finished, but rank(s) %s did not finish within %g s\n"
                                     % (self.rank, self.size, ", ".join(map(str, missing)), self.timeout))
                    self.fail("rank(s) %s did not finish" % ", ".join(map(str, missing)))
                time.sleep(0.001)
            # every rank sent its notice before entering the barrier: collect the ones still in flight
            end = time.monotonic() + self.grace
            while len(self.notices) < self.size - 1 and time.monotonic() < end:
                self.poll_notices()
            self.MPI.Request.Waitall(self._sends)
            sys.excepthook = self._prev_hook or sys.__excepthook__
            atexit.unregister(self._at_exit)
        self.closed = True
        self.comm.Free()
        self.ctrl.Free()


def _flush():
    for f in (sys.stdout, sys.stderr):
        try:
            f.flush()
        except Exception:   # a closed pipe must not stop the abort
            pass


_world = [None]


def init(timeout=None, grace=None):
    """Join the MPI job this process belongs to (one process alone when not started by mpirun).

    timeout: seconds a collective waits for the other ranks before raising (default
    PYTORCH_LITE_MPI_TIMEOUT or 300); grace: seconds a failing rank gives the others to report
    before it aborts the job (PYTORCH_LITE_MPI_GRACE or 3).  Calling it again does nothing."""
    if _world[0] is not None:
        return _world[0]
    timeout = _env_float("PYTORCH_LITE_MPI_TIMEOUT", DEFAULT_TIMEOUT) if timeout is None else float(timeout)
    grace = _env_float("PYTORCH_LITE_MPI_GRACE", DEFAULT_GRACE) if grace is None else float(grace)
    if not timeout > 0 or not grace >= 0:
        raise TorchValueError("init: timeout must be > 0 and grace >= 0 (got %r, %r)" % (timeout, grace))
    try:
        from mpi4py import MPI
    except ImportError:
        n = _launched_size()
        if n > 1:
            raise DistributedError("this process is one of %d MPI ranks but mpi4py is not installed "
                                   "(pip install mpi4py mpich; ./dev.sh setup installs them)" % n) from None
        _world[0] = LocalWorld(timeout, grace)
        return _world[0]
    _world[0] = World(MPI, timeout, grace)
    return _world[0]


def current(what):
    w = _world[0]
    if w is None:
        raise DistributedError("%s: pytorch_lite.distributed is not started: call distributed.init() first "
                               "(mpi.start() in Lua)" % what)
    w.check(what)
    return w


def is_initialized():
    return _world[0] is not None


def finalize():
    """Leave the job (every rank must call it, as MPI_Finalize); init() may start a new world."""
    w = _world[0]
    if w is None:
        return
    w.close()
    _world[0] = None


def fail_job(message):
    """This rank is failing (e.g. its Lua script raised): tell the other ranks and abort the job.
    Does nothing unless a world of more than one rank is running."""
    w = _world[0]
    if w is not None and w.size > 1:
        w.fail(message)
