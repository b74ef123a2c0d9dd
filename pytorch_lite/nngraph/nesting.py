"""Nested tables of tensors (nngraph/nesting.lua): clone, resize, copy and add, element by element."""
from ..tensor import Tensor


def clone_nested(obj):
    if isinstance(obj, (list, tuple)):
        return [clone_nested(v) for v in obj]
    return obj.clone()


def resize_nested_as(out, like):
    if isinstance(like, (list, tuple)):
        del out[len(like):]
        for i, v in enumerate(like):
            if i < len(out):
                out[i] = resize_nested_as(out[i], v)
            else:
                out.append(clone_nested(v))
        return out
    return out.resizeAs(like)


def copy_nested(out, src):
    if isinstance(src, (list, tuple)):
        for o, s in zip(out, src):
            copy_nested(o, s)
        return out
    return out.copy(src)


def add_nested_to(out, src):
    if isinstance(src, (list, tuple)):
        for o, s in zip(out, src):
            add_nested_to(o, s)
        return out
    return out.add(src)


def is_zero_scalar(t):
    """A tensor over a one-element storage holding 0 (nngraph skips summing those)."""
    return (isinstance(t, Tensor) and t._storage is not None and t._storage.size() == 1
            and t._storage._data[0] == 0)
