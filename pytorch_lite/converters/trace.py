"""What the exporters need to know about a model: its modules by path, and each module's input
and output sizes on a sample input (Torch7 modules decide batch mode, dims and axes from the
input's shape, so an exported graph is specialised to the traced shapes)."""
import numpy as np

from ..errors import TorchValueError
from ..tensor import Tensor, TENSOR_TYPES


class Shape:
    """Stands for a traced tensor where a module's helper asks only for dim()/size(d)."""

    def __init__(self, size, dyn=None):
        self._size = tuple(size)
        self.dyn = tuple(dyn) if dyn is not None else (False,) * len(self._size)

    def dim(self):
        return len(self._size)

    def size(self, d=None):
        return self._size if d is None else self._size[d]

    def nElement(self):
        return int(np.prod(self._size)) if self._size else 0


def shapes_of(x):
    if isinstance(x, Tensor):
        return Shape(x._size)
    if isinstance(x, (list, tuple)):
        return [shapes_of(v) for v in x]
    return x


def with_batch(a, b):
    """The shapes of trace ``a`` marked dynamic where trace ``b`` (another batch size) differs;
    None when the two differ in structure (the number of dims or of table entries)."""
    if isinstance(a, Shape):
        if not isinstance(b, Shape) or a.dim() != b.dim():
            return None
        return Shape(a._size, [x != y for x, y in zip(a._size, b._size)])
    if isinstance(a, list):
        if not isinstance(b, list) or len(a) != len(b):
            return None
        out = [with_batch(x, y) for x, y in zip(a, b)]
        return None if any(o is None for o in out) else out
    return a


def merge_traces(sa, sb):
    """{id: (in, out)} of trace a, with the dims that change in trace b marked; None if any
    module saw differently structured values."""
    out = Traced(calls=getattr(sa, "calls", {}))
    for k, v in sa.items():
        if v is None:            # never reached: its declaration will say so
            continue
        ia, oa = v
        if k not in sb or sb[k] is None:
            return None
        ib, ob = sb[k]
        i, o = with_batch(ia, ib), with_batch(oa, ob)
        if i is None or o is None:
            return None
        out[k] = (i, o)
    return out


def children(module):
    """(name, child) pairs: the ``modules`` list, named by 0-based position."""
    mods = module.__dict__.get("modules") if hasattr(module, "__dict__") else None
    if mods is None and hasattr(module, "fields"):      # an object pytorch_lite has no class for
        mods = module.fields.get("modules")
    return [(str(i), m) for i, m in enumerate(mods)] if isinstance(mods, list) else []


def walk(module, prefix=""):
    """(path, module) for the module and every descendant, depth first ('' is the root)."""
    yield prefix, module
    for name, child in children(module):
        yield from walk(child, prefix + "." + name if prefix else name)


def _all_modules(model):
    """Every module reachable from model: its children and the helper modules a composite keeps
    in fields (SpatialSubtractiveNormalization's meanestimator, ...)."""
    out, seen, stack = [], set(), [model]
    while stack:
        m = stack.pop()
        if id(m) in seen or not hasattr(m, "updateOutput"):
            continue
        seen.add(id(m))
        out.append(m)
        for k, v in vars(m).items():
            vals = v if isinstance(v, list) else [v]
            stack.extend(e for e in vals if hasattr(e, "updateOutput") and hasattr(e, "typename"))
    return out


class Traced(dict):
    """{id(module): (input shapes, output shapes)} of each module's last call, and ``calls``:
    for each module whose forward is Lua code, what its last forward did in terms of module
    calls: (input ids, output id, [(child, input ids, output id), ...]) with values named by
    object identity, so a Lua forward that only wires modules can be replayed."""

    def __init__(self, *a, calls=None):
        super().__init__(*a)
        self.calls = calls if calls is not None else {}


def ids_of(x):
    if isinstance(x, (list, tuple)):
        return [ids_of(v) for v in x]
    return id(x)


def _leaves_of(x):
    if isinstance(x, (list, tuple)):
        return [e for v in x for e in _leaves_of(v)]
    return [x]


def _fingerprint(x):
    return hash((x._size, x._a.tobytes())) if isinstance(x, Tensor) else None


class _Frame:
    """The module calls one Lua forward makes; ``valid`` turns False when a value it passes on
    changed in place after it was produced (Lua arithmetic on a module's output)."""

    def __init__(self, x):
        self.calls = []
        self.valid = True
        self.produced = {}
        self.note(x)

    def note(self, x):
        for t in _leaves_of(x):
            self.produced[id(t)] = _fingerprint(t)

    def check(self, x):
        for t in _leaves_of(x):
            if id(t) in self.produced and self.produced[id(t)] != _fingerprint(t):
                self.valid = False


def _lua_forward(m):
    return any(c.__module__.startswith("lua_compat") and "updateOutput" in c.__dict__ for c in type(m).__mro__)


def trace(model, sample):
    """Run model.forward(sample) recording the shapes every module saw (``Traced``)."""
    seen = Traced()
    stack = []
    keep = []        # the values named by id stay alive until the trace is read
    patched = []
    for m in _all_modules(model):
        if id(m) in seen or "updateOutput" in m.__dict__:
            continue
        seen[id(m)] = None
        orig = m.updateOutput

        def hooked(x, _m=m, _orig=orig):
            lua = _lua_forward(_m)
            parent = stack[-1] if stack else None
            if parent is not None:
                parent.check(x)
                parent.calls.append((_m, ids_of(x), None))
            stack.append(_Frame(x) if lua else None)
            try:
                out = _orig(x)
            finally:
                frame = stack.pop()
            keep.append((x, out))
            if parent is not None:
                child, ins, _ = parent.calls[-1]
                parent.calls[-1] = (child, ins, ids_of(out))
                parent.note(out)
            if lua:
                frame.check(out)
                seen.calls[id(_m)] = (ids_of(x), ids_of(out), frame.calls) if frame.valid else None
            # the last call wins: a helper run on ones first (normalisation coefficients)
            # then on the input records the input's shapes
            seen[id(_m)] = (shapes_of(x), shapes_of(out))
            return out
        m.updateOutput = hooked
        patched.append(m)
    try:
        out = model.forward(sample)
    finally:
        for m in patched:
            del m.__dict__["updateOutput"]
    seen.keep = keep
    return seen, out


def float_type(model):
    """The model's floating tensor type name (from its first parameter; Double by default)."""
    params = model.parameters()[0]
    for p in params:
        if p is not None and p.typename in ("torch.FloatTensor", "torch.DoubleTensor"):
            return p.typename
    return "torch.DoubleTensor"


def _first_leaf(model):
    m = model
    while isinstance(m.__dict__.get("modules"), list) and m.modules and m.typename != "nn.gModule":
        m = m.modules[0]
    return m


def _index_range(m):
    """The number of valid indices of a module taking indices (LookupTable, OneHot), else None."""
    if m.typename == "nn.LookupTable":
        return m.weight.size(0)
    if m.typename == "nn.OneHot":
        return int(m.outputSize)
    return None


def _graph_index_inputs(g):
    """{input position: number of valid indices} for the gModule inputs that go (through
    Identity nodes) straight into a LookupTable or OneHot (char-rnn's x)."""
    return {k: _index_range(m) for k, m in _graph_input_users(g).items() if _index_range(m) is not None}


def _graph_input_users(g):
    """{input position: the first module (past Identity nodes) that takes that gModule input}."""
    from ..nngraph import mapindex_list
    carried = {id(g.innode.data): None}     # node -> input position it passes on unchanged
    out = {}
    for node in g.forwardnodes:
        d = node.data
        if d is g.innode.data:
            continue
        parents = mapindex_list(d)
        if len(parents) != 1 or id(parents[0]) not in carried:
            continue
        pos = carried[id(parents[0])]
        if d.get("selectindex") is not None:
            pos = d["selectindex"] - 1 if pos is None else None
        elif pos is None and (g.nInputs or 1) == 1:
            pos = 0
        mod = d.get("module")
        if pos is None:
            if mod is None or mod.typename == "nn.Identity":
                carried[id(d)] = None
            continue
        if mod is None or mod.typename == "nn.Identity":
            carried[id(d)] = pos
        else:
            out.setdefault(pos, mod)
    return out


def sample_input(model, shape=None, seed=0):
    """A sample input for the model: ``shape`` if given (a tuple, or a list of tuples for several
    inputs); else the inputs a saved gModule still holds; else a batch of 2 sized from the first
    module (Linear, View/Reshape, spatial layers: the first square size that runs; LookupTable:
    random 0-based indices in a LongTensor, also for a given ``shape``)."""
    cls = TENSOR_TYPES[float_type(model)]
    rs = np.random.RandomState(seed)
    n_index = _index_range(_first_leaf(model))
    graph_index = _graph_index_inputs(model) if model.typename == "nn.gModule" else {}

    def make(s, n=n_index):
        if n is not None:   # an input feeding a LookupTable / OneHot: 0-based indices
            return TENSOR_TYPES["torch.LongTensor"]._from_array(rs.randint(0, n, tuple(s)).astype(np.int64))
        return cls._from_array(rs.standard_normal(tuple(s)).astype(cls.dtype))
    if shape is not None:
        if shape and isinstance(shape[0], (list, tuple)):
            return [make(s, graph_index.get(i, n_index if i == 0 else None)) for i, s in enumerate(shape)]
        return make(shape, graph_index.get(0, n_index))
    if model.typename == "nn.gModule":
        held = model.innode.data.get("input") if model.innode is not None else None
        if held and all(isinstance(t, Tensor) and t.nElement() for t in held):
            held = [t.clone().type(cls.typename) for t in held]
            return held[0] if len(held) == 1 else held
        # inputs that go into a Linear or an index module tell their size; the others (an LSTM's
        # previous cell state) try the sizes the graph's Linears take, one size for all of them
        users = _graph_input_users(model)
        n_in = model.nInputs or 1
        known = {}
        for i in range(n_in):
            u = users.get(i)
            if u is not None and _index_range(u) is not None:
                known[i] = (2,)
            elif u is not None and u.typename == "nn.Linear":
                known[i] = (2, u.weight.size(1))
        sizes = sorted({m.weight.size(d) for _, m in walk(model) if m.typename == "nn.Linear" for d in (0, 1)})
        for n in (sizes if len(known) < n_in else [None]):
            shapes = [known.get(i, (2, n)) for i in range(n_in)]
            x = sample_input(model, shapes[0] if n_in == 1 else shapes, seed)
            try:
                model.forward(x)
                return x
            except Exception:   # noqa: BLE001 - not this size
                continue
        raise TorchValueError("cannot guess the input of this gModule: give its shape (--input-shape)")
    leaf = _first_leaf(model)
    name = leaf.typename
    if name.startswith("cudnn."):   # cudnn's layers take nn's input shapes
        name = "nn." + name[6:]
    candidates = []
    if name == "nn.LookupTable":   # a batch of index vectors, else one vector (View(-1) models)
        candidates = [c for k in [5] + list(range(1, 65)) for c in ((2, k), (k,))]
    elif name == "nn.Linear":
        candidates = [(2, leaf.weight.size(1))]
    elif name in ("nn.View", "nn.Reshape"):
        n = leaf.numElements if name == "nn.View" else leaf.nelement
        if n and n > 0:
            candidates = [(2, n)]
    elif name.startswith("nn.Spatial") or name.startswith("nn.Volumetric") or name.startswith("nn.Temporal"):
        planes = leaf.nInputPlane or leaf.nOutputPlane or (leaf.running_mean.nElement() if leaf.running_mean is not None else 1)
        ndim = 3 if name.startswith("nn.Volumetric") else 1 if name.startswith("nn.Temporal") else 2
        sizes = [28, 32, 224] + list(range(1, 65))
        if name.startswith("nn.Temporal"):
            candidates = [(2, s, leaf.inputFrameSize or planes) for s in sizes]
        else:
            candidates = [(2, planes) + (s,) * ndim for s in sizes]
    for s in candidates:
        x = make(s)
        try:
            model.forward(x)
            return x
        except Exception:   # noqa: BLE001 - any failure just means "not this size"
            continue
    raise TorchValueError("cannot guess an input size for a model starting with %s: give it (--input-shape)" % name)


def grown_batch(x):
    """``x`` with one more entry along its first dimension (every tensor of a table): the second
    sample that tells which dims a model keeps free.  The new entry repeats the last one, so it
    stays in the input's domain (indices, positive values for Log/Sqrt)."""
    if isinstance(x, list):
        out = [grown_batch(v) for v in x]
        return None if any(v is None for v in out) else out
    if not isinstance(x, Tensor) or x.dim() == 0:
        return None
    a = x._a
    return type(x)._from_array(np.concatenate([a, a[-1:]], 0))
