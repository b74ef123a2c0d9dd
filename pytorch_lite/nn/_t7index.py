"""t7 hooks for index-carrying fields (not a module file): Torch7 keeps them 1-based, Python 0-based.
shift(fields, names, -1) on load, shift(fields, names, +1) on save (a copy, never the module's own)."""
from ..tensor import Tensor


def _shifted(v, d):
    if isinstance(v, Tensor):
        if not v.nElement():
            return v
        v = v.clone()
        v._a[...] += d
        return v
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, (int, float)):
        return v + d
    if isinstance(v, list):
        return [_shifted(e, d) for e in v]
    if isinstance(v, dict):
        return {k: _shifted(e, d) for k, e in v.items()}
    return v


def shift(fields, names, d):
    for name in names:
        if name in fields:
            fields[name] = _shifted(fields[name], d)
    return fields
