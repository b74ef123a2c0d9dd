"""Parse the Torch7 tensor fixtures' INDEX.txt (../shared/fixtures/torch7/tensor/INDEX.txt).

    load() -> {topic: {'inputs': {name: (typename, shape, values)},
                       'results': {lua_expr: value},
                       'missing': [line, ...], 'fields': {...}}}

A tensor is (typename, shape tuple, values list in row-major order): ints for the integer types
(exact), floats for Float/Double.  A (values, indices) result is {'values': tensor, 'indices':
tensor}; a number is a float (an int when written as one), a boolean a bool, a string a str.
Indices are Torch7's, 1-based.  ``tensor(t)`` builds a pytorch_lite tensor from such a triple.
"""
import functools
import os

INDEX = os.path.join(os.path.dirname(__file__), "..", "..", "shared", "fixtures", "torch7", "tensor",
                     "INDEX.txt")
_INT_TYPES = {"torch.ByteTensor", "torch.CharTensor", "torch.ShortTensor", "torch.IntTensor",
              "torch.LongTensor"}


def _number(text):
    try:
        return int(text)
    except ValueError:
        return float(text)      # handles nan, inf, -inf, -0


def _tensor_desc(desc):
    """'torch.DoubleTensor[3x4]' -> ('torch.DoubleTensor', (3, 4))."""
    name, _, rest = desc.partition("[")
    dims = rest.rstrip("]")
    shape = tuple(int(d) for d in dims.split("x")) if dims else ()
    return name.strip(), shape


def _values(typename, text):
    """Listed values; a tensor longer than 200 elements is cut short ('... (N values not listed)')."""
    conv = int if typename in _INT_TYPES else float
    return [conv(v) for v in text.partition("...")[0].split()]


@functools.lru_cache(maxsize=None)
def load(path=INDEX):
    topics = {}
    cur = None
    pending = None      # (dict to fill, key, parsed description) waiting for its values lines
    with open(path) as f:
        lines = f.read().splitlines()
    for line in lines:
        if line.startswith("== "):
            cur = topics.setdefault(line[3:].strip().replace(".t7", ""),
                                    {"inputs": {}, "results": {}, "missing": [], "fields": {}})
            continue
        if cur is None or not line.strip() or line.startswith("#"):
            continue
        s = line.strip()
        if s.startswith("MISSING "):
            cur["missing"].append(s[len("MISSING "):])
            continue
        if s.startswith(("input ", "result ", "field ")):
            kind, rest = s.split(None, 1)
            key, _, desc = rest.rpartition(" : ")
            key = key.strip()
            target = cur[kind + "s"]
            if desc.startswith("number "):
                target[key] = _number(desc[len("number "):])
            elif desc.startswith("boolean "):
                target[key] = desc[len("boolean "):] == "true"
            elif desc.startswith("string "):
                target[key] = desc[len("string "):]
            elif desc.startswith("{"):
                parts = {}
                for item in desc.strip("{}").split(", "):
                    k, _, d = item.partition("=")
                    tn, shape = _tensor_desc(d)
                    parts[k] = [tn, shape, []]
                target[key] = parts
                pending = (target, key)
            else:
                tn, shape = _tensor_desc(desc)
                target[key] = [tn, shape, []]
                pending = (target, key)
            continue
        if pending is None:
            raise ValueError("INDEX.txt: unexpected line %r" % line)
        target, key = pending
        head, _, vals = s.partition("values:")
        head = head.strip()
        entry = target[key]
        if head:                      # '<part> values: ...' of a (values, indices) pair
            entry[head][2].extend(_values(entry[head][0], vals))
        else:
            entry[2].extend(_values(entry[0], vals))
    for t in topics.values():
        for d in (t["inputs"], t["results"], t["fields"]):
            for k, v in d.items():
                if isinstance(v, list):
                    d[k] = tuple(v)
                elif isinstance(v, dict):
                    d[k] = {p: tuple(e) for p, e in v.items()}
    return topics


def tensor(triple):
    """A pytorch_lite tensor from a (typename, shape, values) triple."""
    import numpy as np
    import pytorch_lite as torch
    typename, shape, values = triple
    cls = torch.TENSOR_TYPES[typename]
    arr = np.array(values, dtype=cls.dtype).reshape(shape) if shape else np.empty(0, cls.dtype)
    return cls._from_array(arr)


def _close(got, want, rel):
    import math
    if isinstance(want, float) and math.isnan(want):
        return isinstance(got, float) and math.isnan(got)
    if want == 0 and isinstance(want, float) and isinstance(got, float):
        return got == 0 and math.copysign(1, got) == math.copysign(1, want)   # the sign of zero too
    if isinstance(want, float) and math.isinf(want):
        return got == want
    return got == want if rel == 0 else abs(got - want) <= rel * abs(want)


def check(got, want, rel=1e-12, index_shift=0):
    """Assert a pytorch_lite result equals a fixture value: exact for integer types and booleans,
    `rel` relative for floats (NaN equals NaN, zeros must agree in sign).  index_shift is
    subtracted from the fixture's 'indices' (1 for Torch7's 1-based indices)."""
    import numpy as np
    import pytorch_lite as torch
    if isinstance(want, dict) and set(want) == {"values", "indices"}:
        vals, idx = got
        check(vals, want["values"], rel)
        tn, shape, values = want["indices"]
        check(idx, (tn, shape, [v - index_shift for v in values]), rel)
        return
    if isinstance(want, tuple):
        assert isinstance(got, torch.Tensor), "expected a tensor, got %r" % (got,)
        tn, shape, values = want
        assert got.typename == tn, "type %s, expected %s" % (got.typename, tn)
        assert tuple(got._size) == tuple(shape), "size %s, expected %s" % (got._size, shape)
        flat = np.ascontiguousarray(got.numpy()).reshape(-1).tolist()
        r = 0 if tn in _INT_TYPES else rel
        bad = [(i, g, w) for i, (g, w) in enumerate(zip(flat, values)) if not _close(g, w, r)]
        assert not bad, "mismatches (position, ours, Torch7): %s" % bad[:6]
        return
    if isinstance(want, bool) or isinstance(want, str):
        assert got == want and type(got) is type(want), "%r, expected %r" % (got, want)
        return
    assert isinstance(got, (int, float)) and not isinstance(got, bool), "expected a number, got %r" % (got,)
    assert _close(float(got), float(want), rel), "%r, expected %r" % (got, want)


def array(triple):
    """A numpy array from a (typename, shape, values) triple (integers exact)."""
    import numpy as np
    from pytorch_lite.tensor import TENSOR_TYPES
    typename, shape, values = triple
    dtype = TENSOR_TYPES[typename].dtype
    return np.array(values, dtype=dtype).reshape(shape) if shape else np.empty(0, dtype)


def topic_arrays(topic):
    """One topic with every tensor as a numpy array: {'inputs': {name: array}, 'results':
    {lua_expr: array | number | {'values': array, 'indices': array}}}."""
    def conv(v):
        if isinstance(v, tuple):
            return array(v)
        if isinstance(v, dict):
            return {k: array(e) for k, e in v.items()}
        return v
    t = load()[topic]
    return {"inputs": {k: conv(v) for k, v in t["inputs"].items()},
            "results": {k: conv(v) for k, v in t["results"].items()}}
