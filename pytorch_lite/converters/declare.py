"""One declaration per Torch7 module kind, driving every exporter.

A declaration is a function ``fn(m, g, x, s)``: ``m`` the module, ``g`` the builder of the
target (``to_torch.TorchCode`` or ``to_onnx.OnnxGraph``: both offer the same primitives, e.g.
``g.conv``, ``g.add``, ``g.reshape``), ``x`` its input (a value name, or a list of them for a
table), ``s`` a ``Site`` (the traced input/output sizes, parameters named by path, children).
It returns the output value(s).  Register one with::

    from pytorch_lite import converters

    @converters.declare("OneHot")           # the class name as the t7 file stores it
    def one_hot(m, g, x, s):
        return g.gather_rows(g.const(np.eye(m.outputSize)), x)

Classes defined in Lua (``torch.class``) need no declaration when they keep a declared parent's
forward, or when their Lua forward only calls modules on its input and on their outputs: that
forward is replayed from the trace (``lua_forward``).  Other Lua forwards need a declaration.  A
class a t7 file holds but pytorch_lite has no Python class for must also load as a module to be
run and checked: register one first (``pytorch_lite.serialization.register_class``).
"""
from .errors import ConversionError

DECLARATIONS = {}     # Torch class name -> fn(m, g, x, s)
NO_EQUIVALENT = {}    # Torch class name -> why it has none (the message of its ConversionError)

PLUGIN_HINT = ("register a conversion with @pytorch_lite.converters.declare(%r) "
               "(README: 'Layers defined in Lua')")


def declare(*names):
    """Decorator: ``fn`` is the declaration of the Torch classes ``names`` ('nn.Linear')."""
    def deco(fn):
        for n in names:
            DECLARATIONS[n] = fn
        return fn
    return deco


def no_equivalent(why, *names):
    for n in names:
        NO_EQUIVALENT[n] = why


def _is_lua_defined(m):
    return type(m).__module__.startswith("lua_compat")


def lookup(m):
    """(declaration, None) or (None, why not)."""
    name = getattr(m, "typename", None) or type(m).__name__
    fn = DECLARATIONS.get(name)
    if fn is not None:
        return fn, None
    if name in NO_EQUIVALENT:
        return None, NO_EQUIVALENT[name]
    if not hasattr(m, "forward"):
        return None, ("pytorch_lite has no class for it (a class defined in Lua, e.g. with torch.class, "
                      "cannot run from a t7 file alone): " + PLUGIN_HINT % name)
    if _is_lua_defined(m):
        for cls in type(m).__mro__:
            if cls.__module__.startswith("lua_compat"):
                if "updateOutput" in cls.__dict__:
                    return lua_forward, None
            elif cls.__dict__.get("typename") in DECLARATIONS:
                return DECLARATIONS[cls.__dict__["typename"]], None
    return None, "no PyTorch/ONNX equivalent is declared for it: " + PLUGIN_HINT % name


def lua_forward(m, g, x, s):
    """A forward written in Lua (torch.class): replayed from the trace when all it does is call
    modules on its input and on their outputs (tensors matched by identity); anything else
    (tensor arithmetic in Lua) has no declaration to follow."""
    traced = getattr(s.ctx.shapes, "calls", {})
    calls = traced.get(id(m))
    if calls is None:
        why = "changes values in place" if id(m) in traced else "was not traced"
        s.fail("its forward is Lua code that %s: %s" % (why, PLUGIN_HINT % m.typename))
    in_ids, out_ids, inner = calls
    env = {}

    def bind(ids, v):
        if isinstance(ids, list):
            if isinstance(v, list) and len(v) == len(ids):
                for i, e in zip(ids, v):
                    bind(i, e)
        else:
            env[ids] = v

    def resolve(ids):
        if isinstance(ids, list):
            return [resolve(i) for i in ids]
        if ids not in env:
            s.fail("its forward is Lua code that computes more than module calls on its input, "
                   "which cannot be traced: " + PLUGIN_HINT % m.typename)
        return env[ids]
    bind(in_ids, x)
    names = {}
    for k, v in vars(m).items():
        if isinstance(v, list):
            for i, e in enumerate(v):
                names.setdefault(id(e), "%s_%d" % (k, i) if k != "modules" else str(i))
        elif hasattr(v, "updateOutput"):
            names.setdefault(id(v), k)
    for child, ins, outs in inner:
        if id(child) not in names:
            s.fail("its Lua forward calls a module it does not hold: " + PLUGIN_HINT % m.typename)
        bind(outs, s.emit(child, names[id(child)], resolve(ins)))
    return resolve(out_ids)


def check_convertible(model, target, walk):
    """Raise ConversionError for the first module (depth first) without a declaration."""
    for path, m in walk(model):
        fn, why = lookup(m)
        if fn is None:
            raise ConversionError(m, path, target, why)


class Site:
    """What a declaration knows of its module: traced sizes, its path, a way to emit children."""

    def __init__(self, ctx, m, path):
        self.ctx = ctx
        self.m = m
        self.path = path
        self.g = ctx.g
        info = ctx.shapes.get(id(m))
        if info is None:
            self.fail("it was not reached by the sample forward")
        self.xin, self.xout = info

    @property
    def target(self):
        return self.ctx.target

    def fail(self, why):
        raise ConversionError(self.m, self.path, self.ctx.target, why)

    def param(self, field, arr=None):
        if arr is None:
            arr = self.m.__dict__[field]._a
        return self.g.param(self.path, field, arr)

    def emit(self, child, name, x):
        return self.ctx.emit(child, self.path + [str(name)], x)

    def sizes(self, shape):
        """shape's sizes with -1 for the batch dimension when the export keeps it free."""
        out = list(shape.size())
        if self.ctx.dynamic:
            out = [-1 if d else s for s, d in zip(out, shape.dyn)]
            if out.count(-1) > 1:
                raise NotDynamic()
        return out


class NotDynamic(Exception):
    """The model has no free batch dimension the export could keep."""


class Context:
    def __init__(self, g, shapes, target, dynamic, progress=None, model=None):
        self.g = g
        self.shapes = shapes
        self.indices = {}          # id(max pooling) -> its indices, for a SpatialMaxUnpooling
        self.unpooled = set()
        if model is not None:
            from .trace import walk
            self.unpooled = {id(m.pooling) for _, m in walk(model) if m.__dict__.get("pooling") is not None}
        self.target = target
        self.dynamic = dynamic
        self.progress = progress

    def emit(self, m, path, x):
        fn, why = lookup(m)
        if fn is None:
            raise ConversionError(m, path, self.target, why)
        if self.progress is not None:
            self.progress()
        s = Site(self, m, path)
        self.g.comment("%s: %s" % (".".join(path) or "(root)", _short(m)))
        return fn(m, self.g, x, s)


def _short(m):
    try:
        text = m.__tostring__()
    except Exception:   # noqa: BLE001 - a comment only
        text = None
    text = text if isinstance(text, str) else m.typename
    line = text.splitlines()[0] if text else m.typename
    return line if len(line) < 90 else line[:87] + "..."
