"""Training helpers in Torch7's style: the same weights everywhere, averaged gradients, a shard of
the data for each rank, and checkpoints and log lines written by rank 0 only."""
import builtins

from ..errors import TorchTypeError, TorchValueError
from ..tensor import Tensor
from . import collectives
from .world import current


def _tensors(x, which):
    """The tensors to synchronize: a module's parameters (which=0) or gradients (which=1), a
    tensor, or a list of tensors."""
    if isinstance(x, Tensor):
        return [x]
    if isinstance(x, (list, tuple)) and all(isinstance(t, Tensor) for t in x):
        return list(x)
    params = getattr(x, "parameters", None)
    if params is None:
        raise TorchTypeError("expected a module, a tensor or a list of tensors, got %s" % type(x).__name__)
    got = params()
    return list(got[which]) if got else []


def _coalesced(tensors):
    """One view over the storage block the tensors tile exactly (as after getParameters), so that
    one collective moves them all; else the distinct tensors, one collective each."""
    seen, unique = set(), []
    for t in tensors:
        key = (id(t.storage()), t.storageOffset(), t._size, t._stride)
        if t.nElement() and key not in seen:
            seen.add(key)
            unique.append(t)
    if len(unique) > 1 and all(type(t) is type(unique[0]) and t.storage() is unique[0].storage()
                               and t.isContiguous() for t in unique):
        spans = sorted((t.storageOffset(), t.nElement()) for t in unique)
        end = spans[0][0]
        for off, n in spans:
            if off != end:
                break
            end += n
        else:
            start = spans[0][0]
            return [type(unique[0])(unique[0].storage(), start, (end - start,))]
    return unique


def synchronize_parameters(model, root=0, average=False):
    """Root's weights on every rank (or, with average=True, their mean over the ranks).
    model: a module, a tensor (getParameters' flat weights) or a list of tensors."""
    for t in _coalesced(_tensors(model, 0)):
        if average:
            collectives.allreduce(t, "mean")
        else:
            collectives.broadcast(t, root)
    return model


def synchronize_gradients(model, op="mean"):
    """Every rank's gradients become their mean over the ranks (op='sum': their sum), in one
    allreduce when they tile one storage (after getParameters).  model: a module, a tensor (the
    flat gradients) or a list of tensors."""
    for t in _coalesced(_tensors(model, 1)):
        collectives.allreduce(t, op)
    return model


def shard(data, dim=0):
    """This rank's share of data: of an int n, the range of indices it gets (contiguous blocks,
    the first n % size ranks one more); of a tensor, the matching narrow along dim."""
    w = current("shard")
    if isinstance(data, Tensor):
        n = data.size(dim)
    elif isinstance(data, int) and not isinstance(data, bool) and data >= 0:
        n = data
    else:
        raise TorchValueError("shard: expected a tensor or a count >= 0, got %r" % (data,))
    base, extra = divmod(n, w.size)
    start = w.rank * base + min(w.rank, extra)
    count = base + (1 if w.rank < extra else 0)
    if isinstance(data, Tensor):
        return data.narrow(dim, start, count) if count else type(data)()
    return range(start, start + count)


def is_root(root=0):
    return current("is_root").rank == root


def save(path, obj, *args, root=0, **kw):
    """torch.save on rank `root` only (the others write nothing); True where it was written."""
    if not is_root(root):
        return False
    from .. import serialization
    serialization.save(path, obj, *args, **kw)
    return True


def log(*args, root=0, **kw):
    """print on rank `root` only."""
    if is_root(root):
        kw.setdefault("flush", True)
        builtins.print(*args, **kw)
