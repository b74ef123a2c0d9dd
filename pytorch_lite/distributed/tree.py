"""The reduction tree torch-distlearn trains over (torch-ipc's Tree contract), on the MPI world.

``all_reduce(values)`` sums every rank's tensors and also says how many ranks contributed.  A rank
that has run out of steps calls ``all_reduce(None, zero=...)``: it contributes zeros (what
``zero`` makes of its last values) round after round, in step with the ranks still working, until
every rank has finished.  That is how distlearn copes with ranks that get uneven numbers of
batches.  Values are a tensor, a list of tensors or a dict of them (walked in sorted key order on
every rank, so the pairing of tensors across ranks does not depend on insertion order).
"""
from ..errors import TorchTypeError, TorchValueError
from ..tensor import Tensor
from . import collectives
from .world import current


def walk(values):
    """The tensors in values, in the same order on every rank."""
    if isinstance(values, Tensor):
        return [values]
    if isinstance(values, (list, tuple)):
        out = []
        for v in values:
            out += walk(v)
        return out
    if isinstance(values, dict):
        out = []
        for k in sorted(values):
            out += walk(values[k])
        return out
    raise TorchTypeError("expected a tensor or a list/dict of tensors, got %s" % type(values).__name__)


class Tree:
    """rank/size of this world, all_reduce and scatter with distlearn's semantics."""

    def __init__(self):
        w = current("Tree")
        self.rank, self.size = w.rank, w.size
        self._last = None

    def all_reduce(self, values, zero=None):
        """(values summed over the ranks, number of ranks that contributed this round).

        zero(tensor, i) -> tensor or None marks this rank as finished: it is applied to the
        values (or to the last values all_reduce saw, when values is None or empty) before every
        round, and rounds repeat until every rank has finished."""
        tensors = walk(values) if values is not None else []
        if zero is None:
            self._last = tensors
        elif not tensors:
            if self._last is None:
                raise TorchValueError("all_reduce: a finished rank needs values (it never reduced any before)")
            tensors = self._last
        while True:
            if zero is not None:
                for i, t in enumerate(tensors):
                    r = zero(t, i)
                    if isinstance(r, Tensor) and r is not t:
                        t.copy(r)
            done = collectives.allreduce_number(1 if zero is not None else 0)
            for t in tensors:
                collectives.allreduce(t)
            if zero is None or done >= self.size:
                return (values if values is not None else tensors), self.size - done

    def scatter(self, values):
        """Rank 0's values on every rank."""
        for t in walk(values):
            collectives.broadcast(t, 0)
        return values

