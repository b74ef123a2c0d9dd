"""One declaration of the tensor surface (the role cwrap's TensorMath.lua played in Torch7).

Each operation is declared once with ``wrap(name, overload, ...)``.  An overload is a signature
string plus the function that implements it and what it returns::

    wrap("add",
         over("T x, N value", add_scalar, returns="T"),
         over("T x, T y", add_tensor),
         over("T x, N value, T y", add_scaled))

From that table come the ``Tensor`` methods, the ``torch.*`` functions and (later) the Lua
bindings, which use the argument kinds to move between 1-based Lua and 0-based Python.

Argument kinds
    T   a tensor of the operation's type (the type of the first T argument)
    A   a tensor of any type
    L   a LongTensor holding element indices (0-based in Python)
    J   the same, for an alias table (multinomialAlias): Lua sees it 1-based on the CPU types and
        0-based on the Cuda types, which is how Torch7 and cutorch keep it
    M   a ByteTensor mask
    N   a number (int or float)
    D   a dimension (int, 0-based in Python)
    I   an element index (int, 0-based in Python)
    B   a boolean
    S   a string
    G   a torch.Generator
    TS  a list or tuple of tensors of the operation's type
    Z   sizes: trailing ints, or one LongStorage / tuple / list
    *   anything

``name=default`` makes an argument optional; optional arguments come last.

Return kinds: T (tensor of the op's type), M (ByteTensor), L (LongTensor of 0-based indices;
J for an alias table, see above),
X (tensor of the op's type holding 0-based indices, e.g. randperm), P (IntTensor of 0-based
indices: LAPACK pivots), N (number), I (0-based
index number), B (boolean), V (a view of an argument), Q (a view that Lua receives as the number
itself when it holds one element: Torch7's squeeze), S (string),
several joined with commas for tuples (``"T,L"`` for values and indices).

Forms decide what a method call means, as in Torch7:
    result  ``x.f(a...)`` writes into x: it is ``f(x, a...)`` with x as the result when the
            arguments match a signature alone, else ``f(x, x, a...)`` (x is also the source).
            ``torch.f(a...)`` allocates the result; ``torch.f(r, a...)`` writes into r.
    new     ``x.f(a...)`` is ``torch.f(x, a...)`` and returns new objects; ``torch.f`` also
            accepts result tensors first (one per tensor in ``returns``).
    self    ``x.f(a...)`` acts on x itself (fill, zero, resize); ``torch.f(x, a...)`` the same.
Implementations always receive ``out`` first: None (allocate), a tensor, or for several
results a tuple of tensors (None entries allowed).
"""
import numbers

import numpy as np

from .errors import TorchTypeError

REQUIRED = object()
DECLS = {}          # name -> Decl
_TENSOR_BASE = None  # set by tensor.py
_LONG = None
_BYTE = None
_CUDA_LONG = None   # torch.CudaLongTensor / CudaByteTensor: cutorch's index and mask types
_CUDA_BYTE = None
_GEN = None
_STORAGE = None


class Arg:
    __slots__ = ("name", "kind", "default")

    def __init__(self, name, kind, default):
        self.name, self.kind, self.default = name, kind, default

    def __repr__(self):
        d = "" if self.default is REQUIRED else "=%r" % (self.default,)
        return "%s %s%s" % (self.kind, self.name, d)


def _parse_default(text):
    text = text.strip()
    if text == "None":
        return None
    if text in ("True", "False"):
        return text == "True"
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text)
    except ValueError:
        return text.strip("'\"")


def parse_signature(sig):
    args = []
    for part in filter(None, (p.strip() for p in sig.split(","))):
        kind, _, rest = part.partition(" ")
        name, eq, default = rest.partition("=")
        args.append(Arg(name.strip(), kind, _parse_default(default) if eq else REQUIRED))
    return tuple(args)


def _view_into(impl):
    """A view-returning implementation that also accepts a result tensor: as Torch7's
    ``res:view(src, 3, 5)`` / ``res:expandAs(src, other)``, the result is set to the view."""
    def view(out, *args):
        v = impl(None, *args)
        if out is None:
            return v
        out.set(v)
        return out
    view.__name__ = getattr(impl, "__name__", "view")
    return view


# what a result given first may stand for (the others are plain values); a view (V) only in a
# 'new'-form declaration (res:view(src, ...)): in a 'result' form, x.f(t) must keep meaning x is
# the source (x:bernoulli(p) fills x)
RESULT_KINDS = ("T", "M", "L", "J", "X", "P")


def result_kinds(decl):
    return RESULT_KINDS + ("V",) if decl.form == "new" else RESULT_KINDS


class Overload:
    __slots__ = ("sig", "args", "impl", "returns", "nreq", "varsizes")

    def __init__(self, sig, impl, returns="T"):
        self.sig = sig
        self.args = parse_signature(sig)
        self.impl = impl
        self.returns = tuple(r.strip() for r in returns.split(",")) if returns else ()
        self.nreq = sum(1 for a in self.args if a.default is REQUIRED)
        self.varsizes = bool(self.args) and self.args[-1].kind == "Z"
        if self.returns == ("V",):
            self.impl = _view_into(impl)


    def __repr__(self):
        return "(%s)" % self.sig


def over(sig, impl, returns="T"):
    return Overload(sig, impl, returns)


class Decl:
    def __init__(self, name, overloads, form, method, function, doc):
        self.name, self.overloads, self.form = name, overloads, form
        self.method, self.function, self.doc = method, function, doc
        self._plans_m = {}
        self._fast_m = {}

    def usage(self):
        return "; ".join("%s(%s)" % (self.name, o.sig) for o in self.overloads)


def wrap(name, *overloads, form="result", method=True, function=True, doc=None):
    d = Decl(name, list(overloads), form, method, function, doc)
    DECLS[name] = d
    return d


# --- matching ---------------------------------------------------------------------------------

def _is_int(v):
    return isinstance(v, (int, np.integer)) and not isinstance(v, bool)


def _is_num(v):
    return isinstance(v, numbers.Real) and not isinstance(v, bool)


def _kind_ok(kind, t, v, optype):
    """Does a value of Python type t (value v) fit an argument kind?  optype: the op's tensor type."""
    if kind == "T":
        return t is optype
    if kind == "A":
        return issubclass(t, _TENSOR_BASE)
    if kind == "L":   # cutorch also takes a tensor of the op's own Cuda type as the index
        return t is _LONG or t is _CUDA_LONG or (t is optype and t is not None and t.is_cuda)
    if kind == "J":
        return t is _LONG or t is _CUDA_LONG
    if kind == "M":
        return t is _BYTE or t is _CUDA_BYTE
    if kind == "N":
        return issubclass(t, numbers.Real) and t is not bool
    if kind in ("D", "I"):
        return (issubclass(t, (int, np.integer))) and t is not bool
    if kind == "B":
        return t is bool
    if kind == "S":
        return t is str
    if kind == "G":
        return t is _GEN
    if kind == "TS":
        return t in (list, tuple) and len(v) > 0 and all(type(e) is optype for e in v)
    if kind == "*":
        return True
    raise AssertionError("unknown argument kind %r" % kind)


def _optype(ov, args):
    for a, v in zip(ov.args, args):
        if a.kind == "T":
            return type(v) if isinstance(v, _TENSOR_BASE) else None  # a non-tensor fits no T
        if a.kind == "TS" and isinstance(v, (list, tuple)) and v:
            return type(v[0])
    return None


def _match(ov, args, types):
    """Return the list of filled argument values if args fit the overload, else None."""
    n = len(args)
    sizes = None
    if ov.varsizes:
        fixed = len(ov.args) - 1
        if n < fixed:
            return None
        head, tail = args[:fixed], args[fixed:]
        if len(tail) == 1 and (isinstance(tail[0], (_STORAGE, list, tuple, type(None)))):
            sizes = tuple(tail[0]) if tail[0] is not None else ()
        elif all(_is_int(v) for v in tail):
            sizes = tuple(int(v) for v in tail)
        else:
            return None
        if not all(_is_int(v) for v in sizes):
            return None
        args, types, n = head, types[:fixed], fixed
        spec = ov.args[:-1]
    else:
        spec = ov.args
        if n > len(spec) or n < ov.nreq:
            return None
    optype = _optype(ov, args)
    for a, t, v in zip(spec, types, args):
        if not _kind_ok(a.kind, t, v, optype):
            return None
    filled = list(args) + [a.default for a in spec[n:]]
    if sizes is not None:
        filled.append(sizes)
    return filled


def _result_ok(ov, out, optype, views=False):
    """Is `out` acceptable as the result(s) of this overload?  views: a view counts as a result."""
    kinds = [k for k in ov.returns if k in RESULT_KINDS or (views and k == "V")]
    outs = out if isinstance(out, tuple) else (out,)
    if len(outs) != len(kinds):
        return False
    for k, o in zip(kinds, outs):
        if not isinstance(o, _TENSOR_BASE):
            return False
        if k in ("T", "X", "V") and optype is not None and type(o) is not optype and ov.returns[0] != "M":
            return False
        if k in ("L", "J") and type(o) is not _LONG and type(o) is not _CUDA_LONG:
            return False
        if k == "P" and o.typename != "torch.IntTensor":
            return False
    return True


def _no_match(decl, args):
    got = ", ".join(_describe(a) for a in args)
    return TorchTypeError("invalid arguments to %s: got (%s); expected %s"
                          % (decl.name, got, decl.usage()))


def _describe(v):
    """An argument as Torch7's messages name it: its torch type, else its Lua type."""
    if isinstance(v, _TENSOR_BASE):
        return v.typename
    tn = getattr(type(v), "typename", None)
    if isinstance(tn, str):
        return tn
    if v is None:
        return "nil"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, numbers.Real):
        return "number"
    if isinstance(v, (str, bytes)):
        return "string"
    if isinstance(v, (list, tuple, dict)) or type(v).__name__ == "_LuaTable":
        return "table"
    return type(v).__name__


def call_function(decl, args):
    for ov in decl.overloads:
        m = _match(ov, args, tuple(map(type, args)))
        if m is not None:
            return ov.impl(None, *m)
    if decl.form in ("result", "new") and args:
        kinds = result_kinds(decl)
        nres = sum(1 for ov in decl.overloads for k in ov.returns[:1] if k in kinds)
        if nres:
            for ov in decl.overloads:
                k = sum(1 for r in ov.returns if r in kinds)
                if k == 0 or len(args) < k:
                    continue
                outs, rest = args[:k], args[k:]
                m = _match(ov, rest, tuple(map(type, rest)))
                if m is None:
                    continue
                out = outs[0] if k == 1 else tuple(outs)
                optype = _optype(ov, m)
                if _result_ok(ov, out, optype, decl.form == "new"):
                    return ov.impl(out, *m)
    if decl.form == "self" and args and isinstance(args[0], _TENSOR_BASE):
        return call_method(decl, args[0], args[1:])
    raise _no_match(decl, args)


def call_method(decl, self, args):
    """Method call x.f(*args), with a plan cached by the argument types."""
    key = (type(self),) + tuple(map(type, args))
    plan = decl._plans_m.get(key)
    if plan is None:
        plan = _plan_method(decl, self, args)
        if len(decl._plans_m) < 512:
            decl._plans_m[key] = plan
            if plan[2] == ():
                decl._fast_m[key] = (plan[0].impl, plan[1])
    ov, mode, tail = plan
    if tail is None:  # variable sizes: re-match to collect them
        if mode == 0:
            return ov.impl(self, *_match(ov, args, key[1:]))
        a = (self,) + args
        return ov.impl(self if mode == 1 else None, *_match(ov, a, key))
    if mode == 0:    # self is the result, args alone match
        return ov.impl(self, *args, *tail)
    if mode == 1:    # self is result and first source
        return ov.impl(self, self, *args, *tail)
    return ov.impl(None, self, *args, *tail)   # new form, self is first source


def _tail(ov, nargs):
    if ov.varsizes:
        return None
    return tuple(a.default for a in ov.args[nargs:])


def _plan_method(decl, self, args):
    if decl.form == "result":
        for ov in decl.overloads:
            m = _match(ov, args, tuple(map(type, args)))
            if m is not None and _result_ok(ov, self, _optype(ov, m) or type(self)):
                return ov, 0, _tail(ov, len(args))
        a = (self,) + args
        for ov in decl.overloads:
            if _match(ov, a, tuple(map(type, a))) is not None:
                return ov, 1, _tail(ov, len(a))
    else:
        a = (self,) + args
        for ov in decl.overloads:
            if _match(ov, a, tuple(map(type, a))) is not None:
                return ov, 2, _tail(ov, len(a))
        # x.f(src...) where the arguments alone fit: x receives the result (x:diag(y), x:index(y, d, i))
        for ov in decl.overloads:
            m = _match(ov, args, tuple(map(type, args)))
            if m is not None and _result_ok(ov, self, _optype(ov, m) or type(self), True):
                return ov, 0, _tail(ov, len(args))
    raise _no_match(decl, (self,) + tuple(args))


def make_method(decl):
    if decl.form == "self":
        def method(self, *args):
            return call_method_self(decl, self, args)
    else:
        from . import _dispatch  # compiled: see csrc/_dispatch.pyx
        return _dispatch.make_method(decl._fast_m, lambda self, args: call_method(decl, self, args), decl.name,
                                     decl.doc or ("Torch7 method %s: %s" % (decl.name, decl.usage())))
    method.__name__ = decl.name
    method.__doc__ = decl.doc or ("Torch7 method %s: %s" % (decl.name, decl.usage()))
    return method


def call_method_self(decl, self, args):
    a = (self,) + args
    key = tuple(map(type, a))
    for ov in decl.overloads:
        m = _match(ov, a, key)
        if m is not None:
            return ov.impl(*m)
    raise _no_match(decl, a)


def make_function(decl):
    if decl.form == "self":
        def function(*args):
            return call_method_self(decl, args[0], args[1:]) if args else _raise(decl)
    else:
        def function(*args):
            return call_function(decl, args)
    function.__name__ = decl.name
    function.__doc__ = decl.doc or ("torch.%s: %s" % (decl.name, decl.usage()))
    return function


def _raise(decl):
    raise _no_match(decl, ())


# -- which CPU tensor types have a method in Torch7 ---------------------------------------------
# TensorMath.lua declares most methods for every type, but some only for some: the floating-point
# ones (mean, exp, norm, uniform, the LAPACK calls, ...) for Float and Double, abs also for Int
# and Long, all/any for Byte alone.  A Torch7 tensor of another type has no such method at all
# (x.norm is nil: scripts test it, torch/rnn's getZeroMaskSequence does), where the Python methods
# here exist for every type and refuse the call.  The Lua bindings hide them per type from this.
_FLOATS = frozenset(("torch.FloatTensor", "torch.DoubleTensor"))
_FLOAT_ONLY = (
    "mean var std histc bhistc norm renorm dist linspace logspace log log1p exp cos acos cosh sin "
    "asin sinh tan atan tanh sqrt round ceil floor trunc frac rsqrt sigmoid neg cinv lerp atan2 "
    "pow rand randn multinomial multinomialAliasSetup_ multinomialAlias_ uniform normal cauchy "
    "logNormal exponential gesv gels trtrs symeig eig svd inverse potrf potrs potri pstrf qr geqrf "
    "orgqr ormqr").split()
METHOD_TYPES = dict({name: _FLOATS for name in _FLOAT_ONLY},
                    abs=_FLOATS | {"torch.IntTensor", "torch.LongTensor"},
                    all=frozenset(("torch.ByteTensor",)), any=frozenset(("torch.ByteTensor",)))
_CPU_TYPES = ("torch.ByteTensor", "torch.CharTensor", "torch.ShortTensor", "torch.IntTensor",
              "torch.LongTensor", "torch.FloatTensor", "torch.DoubleTensor")


def methods_missing(typename):
    """The method names a Torch7 tensor of CPU type ``typename`` does not have (empty for the
    Half and Cuda types, which keep every name here)."""
    if typename not in _CPU_TYPES:
        return frozenset()
    return frozenset(name for name, types in METHOD_TYPES.items() if typename not in types)


# -- methods Torch7 wrote by hand in C (generic/Tensor.c), not with cwrap -------------------------
# They read the arguments they need and ignore any after them (x:select(2, 1, 1) is x:select(2, 1)),
# where cwrap's methods refuse a call that matches none of their forms.  name -> how many
# arguments after the tensor itself they read.
C_READS = dict(size=1, stride=1, dim=0, nDimension=0, storage=0, storageOffset=0, elementSize=0,
               nElement=0, isContiguous=0, t=0, transpose=2, select=2, narrow=3, unfold=3, clone=0,
               contiguous=0, resizeAs=1, isSameSizeAs=1, isSetTo=1, isSize=1, copy=1)
