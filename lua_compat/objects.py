"""Torch objects (nn modules, criterions, Lua-defined classes) seen from Lua.

- Python classes are reached through ``unbound(cls, name)``: a Python method as a Lua-callable
  function ``f(self, ...)`` whose dims/indices are converted by ``nn_kinds.METHODS``.
- ``construct(cls, args)`` builds a module from Lua arguments (``nn_kinds.CTOR``); modules whose
  input or target carries indices (``nn_kinds.INPUTS``) get a 1-based subclass.
- ``define_class`` makes a Python subclass for a ``torch.class`` whose ancestor is a Python
  class: its instances are real Python modules (usable in Python containers), and methods
  defined in Lua become Python methods that call back into Lua.
"""
import weakref
from collections import OrderedDict
from types import MethodType

import numpy as np

from pytorch_lite import nn
from pytorch_lite.errors import TorchTypeError
from pytorch_lite.serialization import registry
from pytorch_lite.storage import Storage
from pytorch_lite.tensor import Tensor

from . import nn_kinds
from .bridge import UNWRAP as bridge_UNWRAP
from .bridge import ACTIVE, LuaFunction, LuaTable, _dim_in, _index_in, _lua_type, args_to_py, to_py

_MISSING = object()
_KIND_IN = {"D": _dim_in, "I": _index_in, "*": None}
CLASSES = {}      # Torch class name -> Python class (nn's, and those defined from Lua)
_ONE_BASED = {}   # Python class -> its 1-based-input subclass
_LUA_DEFINED = set()


def torch_classes():
    if not CLASSES:
        from pytorch_lite import optim, nngraph
        CLASSES.update(nn.CLASSES)
        for name in ("Module", "Criterion", "Container", "Sequential"):
            CLASSES["nn." + name] = getattr(nn, name)
        CLASSES["optim.ConfusionMatrix"] = optim.ConfusionMatrix
        CLASSES["optim.Logger"] = optim.Logger
        CLASSES["nngraph.Node"] = nngraph.Node
        CLASSES["nngraph.JustElement"] = nngraph.JustElement
        CLASSES["nngraph.JustTable"] = nngraph.JustTable
        CLASSES["graph.Node"] = nngraph.GraphNode
        CLASSES["graph.Graph"] = nngraph.Graph
        CLASSES["graph.Edge"] = nngraph.Edge
    return CLASSES


def _convert(kinds, args, raw=None, cache_for=None):
    """Lua arguments (already Python values) -> 0-based ones, by kind; ``raw`` holds the
    untouched Lua arguments (a dataset ``S`` stays a live Lua table); ``cache_for`` maps a Lua table
    to its Python dict (kind ``C``)."""
    spec, rep = kinds
    out = list(args)
    for i, v in enumerate(out):
        k = spec[i] if i < len(spec) else (spec[-1] if rep and spec else "*")
        if v is None:
            continue
        if k == "DL":
            out[i] = [_dim_in(d) for d in v]
        elif k in ("D", "I"):
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                out[i] = _KIND_IN[k](v)
        elif k == "i":   # an index compared with shifted ones (a sentinel like -1 included)
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                out[i] = v - 1
        elif k == "P":   # an index where 0 means none
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                out[i] = None if v == 0 else v - 1
        elif k == "L":
            if isinstance(v, Tensor):
                out[i] = _minus1(v)
        elif k == "Y":
            if isinstance(v, Tensor):
                if v.dim() == 1:
                    out[i] = _minus1(v)
            elif isinstance(v, (int, float)) and not isinstance(v, bool):
                out[i] = _index_in(v)
        elif k == "S" and raw is not None and type(raw[i]) is LuaTable:
            out[i] = LuaDataset(raw[i])
        elif k == "C" and raw is not None and type(raw[i]) is LuaTable and cache_for is not None:
            out[i] = cache_for(raw[i])
    return out


class LuaDataset:
    """A Lua dataset table (``dataset:size()``, ``dataset[1..n]``) seen 0-based from Python."""
    __slots__ = ("_t",)

    def __init__(self, t):
        self._t = t

    def size(self):
        t = self._t
        return int(t.size(t))

    def __len__(self):
        return self.size()

    def __getitem__(self, i):
        return to_py(self._t[int(i) + 1])


def max_positional(fn):
    """How many positional arguments fn takes (self included), None when it takes any number:
    Lua drops the extra arguments of a call (``m:forward(input, gradOutput)``), so must we."""
    import inspect
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return None
    n = 0
    for p in params:
        if p.kind is p.VAR_POSITIONAL:
            return None
        if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            n += 1
    return n


_CTOR = {name: nn_kinds.parse(s) for name, s in nn_kinds.CTOR.items()}
_METHODS = {name: nn_kinds.parse(s) for name, s in nn_kinds.METHODS.items()}


def _declared(table, cls, name):
    """The entry for ``<typename>.name`` of cls or an ancestor, else the one for ``name``."""
    for c in cls.__mro__:
        tn = c.__dict__.get("typename")
        if isinstance(tn, str):
            e = table.get(tn + "." + name)
            if e is not None:
                return e
    return table.get(name)


def ctor_args(typename, args):
    args = list(args_to_py(args))
    while args and args[-1] is None:
        args.pop()
    kinds = _CTOR.get(typename)
    return _convert(kinds, args) if kinds else args


# -- 1-based inputs and targets -------------------------------------------------------------------

def _minus1(v):
    if isinstance(v, Tensor):
        r = v.clone()
        r._a[...] -= 1
        return r
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return v - 1
    if isinstance(v, list):
        return [_minus1(e) for e in v]
    return v


_CONVERTING = set()   # ids of 1-based modules inside a call (their inner calls are 0-based)
_ONE_BASED_METHODS = ("updateOutput", "updateGradInput", "accGradParameters", "accUpdateGradParameters")


def _ignored_target(module):
    """The negative ignoreIndex sentinel a criterion (or the ClassNLL it wraps) compares targets
    with, or None.  A negative index is the same number in Torch7's numbering and ours (nn's
    default -100; shift_indices leaves it), so a Lua target equal to it is not shifted."""
    for m in (module, getattr(module, "__dict__", {}).get("nll")):
        ig = getattr(m, "ignoreIndex", None) if m is not None else None
        if type(ig) is int and ig < 0:
            return ig
    return None


def _minus1_but(v, keep):
    """_minus1, leaving the elements equal to keep (an ignored-target sentinel) as they are."""
    if isinstance(v, Tensor):
        r = _minus1(v)
        hit = v._a == keep      # never true on an unsigned tensor (keep is negative)
        if hit.any():
            r._a[hit] = keep
        return r
    if isinstance(v, (int, float)) and not isinstance(v, bool) and v == keep:
        return v
    return _minus1(v)


def _minus1_column0(v):
    """A sparse input (rows of index, value) with its index column made 0-based."""
    if isinstance(v, Tensor) and v.dim() >= 2:
        r = v.clone()
        r._a[..., 0] -= 1
        return r
    if isinstance(v, list):
        return [_minus1_column0(e) for e in v]
    return v


def _input_converter(spec):
    """nn_kinds.INPUTS spec -> (argument position after self, converter of that argument)."""
    which, _, part = spec.partition(":")
    pos = 1 if which == "target" else 0   # position after self in (input, target/gradOutput)
    if not part:
        return pos, _minus1
    if part == "column1":
        return pos, _minus1_column0
    k = int(part) - 1   # one entry of a table input

    def entry(v):
        if isinstance(v, list) and len(v) > k:
            v = list(v)
            v[k] = _minus1(v[k])
        return v
    return pos, entry
_INDEX_METHODS = _ONE_BASED_METHODS


def one_based(cls):
    """A subclass of cls taking Torch7's 1-based indices in its input (or target)."""
    sub = _ONE_BASED.get(cls)
    if sub is not None:
        return sub
    pos, conv = _input_converter(nn_kinds.INPUTS[cls.typename])
    ns = {"typename": cls.typename, "__t7_typename__": cls.typename, "_lua_one_based": True}
    for meth in _ONE_BASED_METHODS:
        base = getattr(cls, meth, None)
        if base is None:
            continue

        def wrapper(self, *args, _base=base, _conv=conv):
            key = id(self)
            if key in _CONVERTING or len(args) <= pos:   # called by its own methods: done already
                return _base(self, *args)
            keep = _ignored_target(self) if _conv is _minus1 else None
            v = _conv(args[pos]) if keep is None else _minus1_but(args[pos], keep)
            args = args[:pos] + (v,) + args[pos + 1:]
            _CONVERTING.add(key)
            try:
                return _base(self, *args)
            finally:
                _CONVERTING.discard(key)
        wrapper.__name__ = meth
        ns[meth] = wrapper
    sub = type(cls.__name__, (cls,), ns)
    _ONE_BASED[cls] = sub
    return sub


def to_lua_view(obj, seen=None, conv=None, setfield=None):
    """Give loaded modules with index inputs their 1-based class (in place); returns obj.  With a
    Converter: the list/dict fields of objects of classes defined in Lua (but a container's
    ``modules``, which Python owns) become Lua tables again, as the class's Lua code made them:
    they take any key afterwards (rnn's step tables get key 0), shared ones stay shared; and with
    ``setfield`` (Methods.setfield) a Lua function a module held when written (a method set on
    the instance) is that function again, set as Lua would set it."""
    tables = None if conv is None else (conv, {}, setfield)
    return _swap(obj, True, set() if seen is None else seen, tables)


def to_python_view(obj):
    """The inverse: 0-based classes again, for a model handed to Python."""
    return _swap(obj, False, set())


def _swap(obj, lua, seen, tables=None):
    if id(obj) in seen:
        return obj
    seen.add(id(obj))
    if isinstance(obj, (nn.Module, nn.Criterion)):
        cls = type(obj)
        if lua and cls.typename in nn_kinds.INPUTS:
            if not cls.__dict__.get("_lua_one_based"):
                obj.__class__ = one_based(cls)
            return obj   # its inner modules (CrossEntropy's nll) get 0-based values from it
        elif not lua and cls.__dict__.get("_lua_one_based"):
            obj.__class__ = cls.__mro__[1]
        d = obj.__dict__
        for k, v in list(d.items()):
            _swap(v, lua, seen, tables)
        if tables is not None:
            conv, memo, setfield = tables
            if setfield is not None:
                from pytorch_lite.serialization.types import LuaFunction as _T7Function
                for k, v in list(d.items()):
                    if type(v) is _T7Function:
                        setfield(obj, k, conv.to_lua_shared(v, memo))
            if any(c in _LUA_DEFINED for c in cls.__mro__):
                for k, v in list(d.items()):
                    if (type(v) is list or type(v) is dict) and k != "modules":
                        d[k] = conv.to_lua_shared(v, memo)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            _swap(v, lua, seen, tables)
    elif isinstance(obj, dict):
        for v in obj.values():
            _swap(v, lua, seen, tables)
    return obj


_DEFAULTS = {}


def _nil_defaults(fn):
    """{position after self: default} for fn's positional parameters with a default other than None."""
    try:
        return _DEFAULTS[fn]
    except (KeyError, TypeError):
        pass
    import inspect
    out = {}
    try:
        params = list(inspect.signature(fn).parameters.values())[1:]
    except (TypeError, ValueError):
        params = []
    for i, p in enumerate(params):
        if p.kind not in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
            break
        if p.default is not p.empty and p.default is not None:
            out[i] = p.default
    try:
        _DEFAULTS[fn] = out
    except TypeError:
        pass
    return out


def _with_defaults(fn, args):
    """A nil among a constructor's arguments is the argument left out, as Torch7's constructors
    read it (``self.eps = eps or 1e-5``): the Python default takes its place
    (``nn.BatchNormalization(n, nil, nil, true)``, rnn's FastLSTM)."""
    if None not in args:
        return args
    d = _nil_defaults(fn)
    return [d.get(i, a) if a is None else a for i, a in enumerate(args)]


def construct(typename, *args):
    cls = torch_classes().get(typename)
    if cls is None:
        raise TorchTypeError("unknown class %s" % typename)
    if typename in nn_kinds.INPUTS:
        cls = one_based(cls)
    args = _with_defaults(cls.__init__, ctor_args(typename, args))
    n = max_positional(cls.__init__)
    return cls(*(args if n is None else args[:n - 1]))


def lua_defined_classes():
    """The Python classes made for classes defined in Lua (torch.class with a Python parent)."""
    return _LUA_DEFINED


def new_instance(typename):
    """An object of class typename before any constructor ran (a constructor written in Lua
    fills it in)."""
    cls = torch_classes()[typename]
    if typename in nn_kinds.INPUTS:
        cls = one_based(cls)
    return cls.__new__(cls)


def init_as(typename, self, *args):
    """parent.__init(self, ...) for a Python parent class."""
    cls = torch_classes()[typename]
    args = _with_defaults(cls.__init__, ctor_args(typename, args))
    n = max_positional(cls.__init__)
    cls.__init__(self, *(args if n is None else args[:n - 1]))


# -- methods and fields ---------------------------------------------------------------------------

_MIRRORED = ("output", "gradInput")   # list fields Lua sees as (synchronised) Lua tables


def required_positional(fn):
    """How many positional arguments fn needs (self included); 0 when it cannot be told."""
    import inspect
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return 0
    return sum(1 for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
               and p.default is p.empty)


def _without_trailing_nils(args, keep=0):
    """A Lua nil passed last is an argument left out (Torch7's methods read it as absent:
    ``scale = scale or 1``), so the Python method's default applies, as for a shorter call; the
    first ``keep`` arguments have no default and stay (as None: nil is what Lua passes for them,
    e.g. nn's own Kmeans test calls km:backward(input, gradOutput) with gradOutput nil)."""
    n = len(args)
    while n > keep and args[n - 1] is None:
        n -= 1
    return args[:n]


class Methods:
    """Lua-callable unbound methods of Python classes, converted by nn_kinds.METHODS."""

    def __init__(self, conv):
        self.conv = conv
        # kind C: a Lua table used as a cache (tensorCache of type()) is the same Python dict in
        # every call it is passed to, for as long as the table lives
        self.cache_for = conv.lua.eval("""(function(new)
            local dicts = setmetatable({}, {__mode = 'k'})
            return function(t) local d = dicts[t] if d == nil then d = new() dicts[t] = d end return d end
        end)""")(dict)
        self._mirrors = weakref.WeakKeyDictionary()   # module -> {field: [list, Lua table, length]}
        self.fill_table = None                        # prelude's _lua_compat_fill (runtime.py)

    def own_method(self, typename, name):
        """The method ``name`` as class ``typename`` defines it itself (None when the class only
        inherits it from a torch class: the Lua class table asks its parent's then)."""
        cls = torch_classes().get(typename)
        if cls is None or not isinstance(name, str) or name.startswith("_"):
            return None
        fn = _plain_attr(cls, name)
        parent = class_parent(typename)
        if parent is not None and _plain_attr(torch_classes()[parent], name) is fn:
            return None
        return self.unbound(typename, name)

    def unbound(self, typename, name):
        if not isinstance(name, str) or name.startswith("_"):
            return None
        cls = torch_classes().get(typename)
        fn = _plain_attr(cls, name) if cls is not None else None
        static = isinstance(fn, staticmethod)
        if isinstance(fn, (staticmethod, classmethod)):
            fn = getattr(cls, name)
        if fn is None or not callable(fn) or isinstance(fn, type):
            return None
        kinds = _declared(_METHODS, cls, name)
        result, cache_for = self.conv.result, self.cache_for
        n = max_positional(fn)   # Lua ignores extra arguments: so do we (self included in n)
        n = (1 << 30) if n is None else n - 1
        need = max(0, required_positional(fn) - 1)   # arguments after self with no default
        spec = nn_kinds.INPUTS.get(typename)
        if spec is not None and name in _ONE_BASED_METHODS:
            # Lua's 1-based input (or target), also for parent.updateOutput(self, input) from a Lua
            # subclass (rnn's LookupTableMaskZero): converted once, then the Python method itself
            pos, conv = _input_converter(spec)
            plain = fn

            def fn(self_, *args):
                key = id(self_)
                if key in _CONVERTING or len(args) <= pos:
                    return plain(self_, *args)
                args = args[:pos] + (conv(args[pos]),) + args[pos + 1:]
                _CONVERTING.add(key)
                try:
                    return plain(self_, *args)
                finally:
                    _CONVERTING.discard(key)

        def result_of(r, self_=None):
            t = type(r)
            if t is list or t is dict:
                own = lua_origin(r)
                if own is not None:
                    return own
                if t is list:
                    d = getattr(self_, "__dict__", None)
                    if d is not None:
                        for f in _MIRRORED:
                            if d.get(f) is r:   # the module's own output table: the one m.output gives
                                return self.mirror(self_, f, r)
            return result(r)

        if static:   # nn.Module.flatten(params): every argument is a Lua value to convert
            def method(*args):
                return result_of(fn(*args_to_py(args[:n + 1])))
        elif kinds is None:
            def method(self_, *args):
                if len(args) > n:
                    args = args[:n]
                elif args and args[-1] is None:
                    args = _without_trailing_nils(args, need)
                return result_of(fn(self_, *_method_args(args)), self_)
        else:
            def method(self_, *args):
                if len(args) > n:
                    args = args[:n]
                elif args and args[-1] is None:
                    args = _without_trailing_nils(args, need)
                return result_of(fn(self_, *_convert(kinds, _method_args(args), args, cache_for)), self_)
        method.__name__ = name
        return method

    def mirror(self, obj, name, lst):
        """The Lua table standing for a module's list field ``output``/``gradInput``: one table per
        module and field (m:forward(x) == m.output, as in Torch7), its elements brought up to date
        each time it is handed out.  A real Lua table, so rawget/next/table.sort work on it."""
        try:
            per = self._mirrors.setdefault(obj, {})
        except TypeError:
            return self.conv.to_lua(lst)
        e = per.get(name)
        if e is None or e[0] is not lst:
            e = [lst, self.conv.lua.table(), 0]
            per[name] = e
        t, old = e[1], e[2]
        to_lua = self.conv.to_lua
        if self.fill_table is not None and len(lst) <= 64:   # one call into Lua
            self.fill_table(t, old, *[to_lua(v) for v in lst])
        else:
            for i, v in enumerate(lst):
                t[i + 1] = to_lua(v)
            for i in range(len(lst) + 1, old + 1):
                t[i] = None
        e[2] = len(lst)
        return t

    def getfield(self, obj, name):
        if not isinstance(name, str) or _python_dunder(name):
            return None
        d = getattr(obj, "__dict__", None)
        v = d.get(name, _MISSING) if d is not None else _MISSING
        if v is _MISSING:   # not instance data: a class attribute (Torch fields _type/_indices: none)
            v = None if name.startswith("_") else getattr(obj, name, None)
        t = type(v)
        if t is LuaTable:
            return v    # the very Lua table that was stored
        if t is _MethodField:
            return v.fn
        kinds = _field_kinds(type(obj))
        if kinds and name in kinds:
            if v is None:
                return 0 if kinds[name] == "P" else None   # P: an index where 0 means none
            if kinds[name] == "index" and (t is list or t is dict):
                # the same 1-based copy while the module holds the same table, so Lua sees one
                # object across reads (FlattenTable: m.input_map == old_input_map)
                try:
                    per = self._mirrors.setdefault(obj, {})
                except TypeError:
                    return self._field("index", v)
                e = per.get(name)
                if e is None or e[0] is not v:
                    e = per[name] = (v, self._field("index", v))
                return e[1]
            return self._field(kinds[name], v)
        if t is list or t is dict or isinstance(v, list):
            # a table a Lua method just returned to Python (a Lua module's output that a Python
            # container keeps as its own): that very table, as Torch7's seq.output is
            origin = lua_origin(v)
            if origin is not None:
                return origin
            if t is list and name in _MIRRORED:
                return self.mirror(obj, name, v)
            return _view(v)
        if t is tuple:
            return self.conv.to_lua(v)
        if isinstance(v, np.generic):
            return v.item()
        return v

    def _field(self, kind, v):
        if kind == "index":   # a copy: Torch7's 1-based numbers, never the module's own 0-based ones
            from pytorch_lite.nn._base import shift_indices
            return self.conv.to_lua(shift_indices(v, 1))
        if kind == "P":
            return v + 1
        if kind == "view" and type(v) is dict:
            return DictView(v)
        if kind == "file":
            return FileView(v)
        if kind == "K" and type(v) is dict:
            return self.conv.to_lua({(k + 1 if type(k) is int else k): e for k, e in v.items()})
        if kind == "V" and type(v) is dict:
            return self.conv.to_lua({k: (e + 1 if type(e) is int else e) for k, e in v.items()})
        return self.conv.to_lua(v)

    def setfield(self, obj, name, value):
        if not isinstance(name, str) or _python_dunder(name):
            raise TorchTypeError("cannot set field %r" % (name,))
        if _is_lua_function(value) and callable(_plain_attr(type(obj), name)):
            # a method replaced on one instance (m.updateOutput = function(self, x) ... end):
            # Python callers (containers) call it as a method of obj, Lua reads back its function
            value = _MethodField(value, obj, self.classes.lua_function_as_method(value))
        elif type(value) is ListView:
            value = value._l
        elif type(value) is LuaTable:
            # a Lua table stays a Lua table (string keys, holes, pairs, #, its identity, its
            # metatable) unless Python owns the field as a list or dict (a container's modules)
            cur = getattr(obj, "__dict__", {}).get(name)
            if type(cur) is list or type(cur) is dict or name == "modules":
                value = to_py(value)
        elif type(value) is DictView:
            value = value._d
        elif value is None:
            # obj.x = nil removes the field, as from a Lua table (pairs no longer sees it; Python
            # sees the class's default again); a field with no class default stays as None, since
            # module code reads it as Torch7's reads nil (`if self.gradInput then`)
            d = getattr(obj, "__dict__", None)
            if d is not None and name in d and hasattr(type(obj), name) \
                    and not isinstance(getattr(type(obj), name, None), (property, _TableField)):
                del d[name]
                return
        kinds = _field_kinds(type(obj))
        kind = kinds.get(name) if kinds else None
        if kind == "index":
            from pytorch_lite.nn._base import shift_indices
            value = shift_indices(value, -1)
        elif kind == "P" and isinstance(value, (int, float)) and not isinstance(value, bool):
            value = None if value == 0 else value - 1
        setattr(obj, name, value)


def _python_dunder(name):
    """Python's own __x__ names are not fields (Lua's __reward, __maxIdx are)."""
    return name.startswith("__") and name.endswith("__")


def _is_method_value(v):
    """A value assigned to a class that Python should call as a method: a Lua function or a
    Python callable (a Lua table is callable in lupa, but a class's table field is data)."""
    if (type(v).__module__ or "").startswith("lupa"):
        return _lua_type(v) == "function"
    return callable(v)


def _is_lua_function(v):
    return (type(v).__module__ or "").startswith("lupa") and _lua_type(v) == "function"


class _MethodField:
    """A Lua function stored in a method's name on one instance, callable as that method."""
    __slots__ = ("fn", "obj", "call")

    def __init__(self, fn, obj, call):
        self.fn, self.obj, self.call = fn, obj, call

    def __call__(self, *args):
        if self.obj is None:
            raise TorchTypeError("a method set on one module (not on its class) was copied without "
                                 "its module: set it on the copy too")
        return self.call(self.obj, *args)

    def __deepcopy__(self, memo):
        # in a clone of its module (nn's clone sees to it that memo knows the module's copy) it
        # is the copy's method, as Torch7's clone gives; copied alone it cannot know which object
        # it belongs to: an error when called, never the original's self silently
        return _MethodField(self.fn, memo.get(id(self.obj)), self.call)


MethodField = _MethodField

_FIELD_KINDS = {}


def _field_kinds(cls):
    try:
        return _FIELD_KINDS[cls]
    except KeyError:
        pass
    # an nn class's index fields (t7_index_fields: 1-based in t7 files) are 1-based in Lua too
    kinds = {name: "index" for name in getattr(cls, "t7_index_fields", ())}
    for c in reversed(cls.__mro__):
        tn = c.__dict__.get("typename")
        if isinstance(tn, str) and tn in nn_kinds.FIELDS:
            kinds.update(nn_kinds.FIELDS[tn])
    _FIELD_KINDS[cls] = kinds or None
    return _FIELD_KINDS[cls]


class DictView:
    """A Python dict field seen live from Lua (``node.data.module``): string keys as they are,
    nested dicts and lists as views too."""
    __slots__ = ("_d", "__weakref__")

    def __init__(self, d):
        self._d = d


_VIEWS = weakref.WeakValueDictionary()   # id(list or dict) -> its live view while Lua holds one


def _view(e):
    """The one live view of a Python list/dict (the same view each time: Lua's == and table keys
    see one object, as they would see one table)."""
    t = type(e)
    if t is list or t is dict or isinstance(e, list):   # list subclasses too (graph's DualList)
        v = _VIEWS.get(id(e))
        if v is None or (v._l if type(v) is ListView else v._d) is not e:
            v = DictView(e) if t is dict else ListView(e)
            _VIEWS[id(e)] = v
        return v
    if isinstance(e, np.generic):
        return e.item()
    return e


def dict_get(v, k):
    return _view(v._d.get(k))


def dict_set(v, k, value):
    value = to_py(value)
    if value is None:
        v._d.pop(k, None)
    else:
        v._d[k] = value


def dict_next(v, k=None):
    """pairs() over a DictView: the key after k (None: the first) and its value."""
    keys = list(v._d)
    i = 0 if k is None else (keys.index(k) + 1 if k in v._d else len(keys))
    if i >= len(keys):
        return None
    return keys[i], _view(v._d[keys[i]])


class FileView:
    """A Python file field (optim.Logger's ``file``) as Lua's file object: write/close/flush."""
    __slots__ = ("_f",)

    def __init__(self, f):
        self._f = f

    def write(self, *parts):
        for p in parts:
            self._f.write(p if isinstance(p, str) else "%.14g" % p)
        return self

    def close(self):
        import sys
        if self._f not in (sys.stdout, sys.stderr):
            self._f.close()
        return True

    def flush(self):
        self._f.flush()
        return self


class ListView:
    """A Python list field seen from Lua: 1-based, ``#``, ``ipairs`` and table.insert work live."""
    __slots__ = ("_l", "__weakref__")

    def __init__(self, lst):
        self._l = lst


bridge_UNWRAP[ListView] = lambda v: v._l
bridge_UNWRAP[DictView] = lambda v: v._d


def list_get(v, i):
    lst = v._l
    if type(i) is float and i.is_integer():
        i = int(i)
    if type(i) is int:
        return _view(lst[i - 1]) if 0 < i <= len(lst) else None
    key = getattr(lst, "lua_key", None)   # a list that is also its elements' index (graph's)
    return None if key is None else key(i)


def list_set(v, i, value):
    """t[i] = value on a list-held table.  As a Lua table takes any key: a key past the end leaves
    holes (None, which ipairs stops at and pairs skips), nil to a missing key changes nothing, and
    the last element set to nil shortens the list with the holes before it (so # is a border)."""
    lst = v._l
    value = to_py(value)
    if type(i) is float and i.is_integer():
        i = int(i)
    if type(i) is not int or i < 1:
        if value is not None:
            raise TorchTypeError("list index %r out of range (a table Python holds as a list takes "
                                 "keys 1, 2, ...)" % (i,))
        return
    n = len(lst)
    if i > n:
        if value is not None:
            lst.extend([None] * (i - n - 1))
            lst.append(value)
    elif value is None and i == n:
        lst.pop()
        while lst and lst[-1] is None:
            lst.pop()
    else:
        lst[i - 1] = value


def list_len(v, _=None):
    return len(v._l)


def dict_len(v, _=None):
    """#t of a table Python holds as a dict (string keys too, or an empty table read from a t7
    file): the border counted from 1, as Lua finds one."""
    d, n = v._d, 0
    while n + 1 in d:
        n += 1
    return n


def list_insert(v, *args):
    if type(v) is DictView:   # table.insert on a dict-held table: its 1..n part, as Lua's
        d, n = v._d, dict_len(v)
        pos, value = (n + 1, args[0]) if len(args) == 1 else (int(args[0]), args[1])
        for k in range(n, pos - 1, -1):
            d[k + 1] = d[k]
        d[pos] = to_py(value)
        return
    if len(args) == 1:
        v._l.append(to_py(args[0]))
    else:
        v._l.insert(int(args[0]) - 1, to_py(args[1]))


def list_remove(v, i=None):
    if type(v) is DictView:
        d, n = v._d, dict_len(v)
        if n == 0:
            return None
        pos = n if i is None else int(i)
        out = _view(d.get(pos))
        for k in range(pos, n):
            d[k] = d[k + 1]
        d.pop(n, None)
        return out
    return v._l.pop(-1 if i is None else int(i) - 1)


# -- classes defined in Lua -----------------------------------------------------------------------

# -- class methods defined or replaced from Lua, seen by Python callers too -------------------------
#
# A Lua script may add or replace a method of a pytorch_lite class (``nn.Linear.updateOutput = f``,
# ``function nn.Module:foo() end``).  On the Lua side the class tables chain like Torch7's
# metatables (prelude.lua).  On the Python side, a Python container (nn.Sequential) calls
# ``m.updateOutput(x)``: the class gets a descriptor for that name which answers the replacement of
# the runtime whose Lua is running, and the Python method otherwise.  The replacement belongs to
# that runtime only: other runtimes and plain Python users keep pytorch_lite's own methods.



def _plain_attr(cls, name):
    """cls.name as Python defines it, ignoring replacements from Lua (None if absent)."""
    for c in cls.__mro__:
        v = c.__dict__.get(name)
        if v is None:
            continue
        if type(v) is _LuaPatched:
            if v.orig is None:
                continue
            v = v.orig
        return v
    return None


class _LuaPatched:
    """A non-data descriptor on a Python class for a method name replaced from Lua."""
    __slots__ = ("cls", "name", "orig")

    def __init__(self, cls, name, orig):
        self.cls, self.name, self.orig = cls, name, orig

    def __get__(self, obj, owner=None):
        if ACTIVE:
            f = ACTIVE[-1].patches.get((self.cls, self.name))
            if f is not None:
                return f if obj is None else MethodType(f, obj)
        v = self.orig
        if v is None:   # the class only inherited it: carry on along the MRO
            mro = (owner or type(obj)).__mro__
            for c in mro[mro.index(self.cls) + 1:]:
                if self.name in c.__dict__:
                    v = c.__dict__[self.name]
                    break
            else:
                raise AttributeError(self.name)
        return v.__get__(obj, owner) if hasattr(v, "__get__") else v


def class_parent(name):
    """The Torch name of the nearest ancestor of class ``name`` that is a torch class itself."""
    classes = torch_classes()
    cls = classes.get(name)
    if cls is None:
        return None
    for c in cls.__mro__[1:]:
        tn = c.__dict__.get("typename")
        if isinstance(tn, str) and classes.get(tn) is c:
            return tn
    return None


class LuaClasses:
    def __init__(self, conv, runtime=None):
        self.conv = conv
        self.rt = runtime

    def lua_function_as_method(self, fn):
        """A Lua function (or a bridge function) as a Python method: Python arguments cross to Lua,
        the results back; the runtime counts as running Lua meanwhile."""
        if not (type(fn).__module__ or "").startswith("lupa"):
            return fn   # already a Python callable (a bridged method put back from Lua)
        to_lua, rt = self.conv.to_lua, self.rt

        def call(self, *args):
            if rt is None:
                return _result_to_py(fn(self, *[to_lua(a) for a in args]))
            ACTIVE.append(rt)
            try:
                return _result_to_py(fn(self, *[to_lua(a) for a in args]))
            finally:
                ACTIVE.pop()
        return call

    def patch_method(self, name, method, fn):
        """Lua set ``<class name>.method = fn`` on a class: Python callers see it too."""
        cls = torch_classes().get(name)
        if cls is None or not isinstance(method, str) or method.startswith("__"):
            return
        if cls in _LUA_DEFINED:
            return self.set_method(name, method, fn)
        if method in ("write", "read") and self.rt is not None:
            self.rt.self_writing = True
        if _plain_attr(cls, method) is not None and not callable(_plain_attr(cls, method)):
            return   # a class constant, not a method
        key = (cls, method)
        if not _is_method_value(fn):
            self.rt.patches.pop(key, None)
            return
        if type(cls.__dict__.get(method)) is not _LuaPatched:
            setattr(cls, method, _LuaPatched(cls, method, cls.__dict__.get(method)))
        self.rt.patches[key] = self.lua_function_as_method(fn)

    def define(self, name, parent):
        """A Python subclass of the Python class registered as ``parent``, named ``name``."""
        classes = torch_classes()
        base = classes[parent]
        if getattr(base, "typename", None) in nn_kinds.INPUTS:
            base = one_based(base)   # what the subclass inherits takes Lua's 1-based indices
        short = name.split(".")[-1]
        cls = type(short, (base,), {"typename": name, "__t7_typename__": name,
                                    "output": _TableField("output"), "gradInput": _TableField("gradInput")})
        classes[name] = cls
        _LUA_DEFINED.add(cls)
        try:
            registry.register_class(name, cls)
        except TorchTypeError:
            pass
        return cls

    def set_method(self, name, method, fn):
        """Class ``name`` (defined in Lua) got a Lua method: Python calls of it run the Lua
        function (nil takes it away again)."""
        cls = torch_classes()[name]
        if not isinstance(method, str) or method.startswith("_") and method != "__tostring__":
            return
        if method in ("write", "read") and self.rt is not None:
            self.rt.self_writing = True   # clones of its objects go through a file (Runtime._serialized_clone)
        if not _is_method_value(fn):
            if method in cls.__dict__:
                delattr(cls, method)
            return
        call = self.lua_function_as_method(fn)
        if call is not fn:
            call.__name__ = method
        setattr(cls, method, call)


class _TableField:
    """``output``/``gradInput`` of a class defined in Lua: Lua code may build them as Lua tables
    (``self.output = {}``), which Lua keeps; Python readers (a Python container passing a module's
    output on) get them as lists, their tensors shared."""
    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name

    def __get__(self, obj, owner=None):
        if obj is None:
            return self
        try:
            v = obj.__dict__[self.name]
        except KeyError:
            raise AttributeError(self.name) from None
        return to_py(v) if type(v) is LuaTable else v

    def __set__(self, obj, v):
        obj.__dict__[self.name] = v

    def __delete__(self, obj):
        obj.__dict__.pop(self.name, None)


# -- Lua values held by Python objects, copied by clone (copy.deepcopy) -------------------------------

def _lua_helpers(rt):
    h = getattr(rt, "_table_helpers", None)
    if h is None:
        h = rt.lua.eval("""{debug.getmetatable, setmetatable,
            function(items, mt) local t = {} for i = 1, #items, 2 do t[items[i]] = items[i + 1] end
                                if mt then setmetatable(t, mt) end return t end, rawset}""")
        rt._table_helpers = h
    return h


class _Shared:
    """Something a deep copy keeps as it is (a class's metatable, a Lua function)."""
    __slots__ = ("v",)

    def __init__(self, v):
        self.v = v

    def __deepcopy__(self, memo):
        return self


def _reduce_table(t):
    """A Lua table in a module being cloned: a new Lua table with its keys and values deep-copied
    and the same metatable (a Lua-class instance stays one), as Torch7's clone gives."""
    if not ACTIVE:
        raise TorchTypeError("cannot copy a Lua table outside its Lua runtime")
    h = _lua_helpers(ACTIVE[-1])
    items = []
    for k, v in t.items():
        items.extend((k, v))
    mt = h[1](t)
    return _build_table, (items, _Shared(mt))


def copy_lua_table(t, memo, clone):
    """A Lua table in a module nn's clone copies: a new table with the same metatable, its keys
    and values copied by the same clone, so a module both in a table and in a field (rnn's
    sharedClones and recurrentModule) is one object in the copy too, as Torch7's clone keeps it."""
    if not ACTIVE:
        raise TorchTypeError("cannot copy a Lua table outside its Lua runtime")
    rt = ACTIVE[-1]
    key = ("lua table", rt._ident(t))   # one Lua table has many Python wrappers
    hit = memo.get(key)
    if hit is not None:
        return hit[1]
    h = _lua_helpers(rt)
    new = h[3](rt.lua.table_from([]), h[1](t))
    memo[key] = (t, new)
    for k, v in list(t.items()):
        h[4](new, clone(k), clone(v))
    return new


def _build_table(items, mt):
    h = _lua_helpers(ACTIVE[-1])
    return h[3](ACTIVE[-1].lua.table_from(items), mt.v)


def _reduce_function(f):
    return _shared_function, (_Shared(f),)


def _shared_function(holder):
    return holder.v


def _register_copies():
    import copyreg
    from lupa import luajit21
    rt = luajit21.LuaRuntime()
    copyreg.pickle(LuaTable, _reduce_table)
    copyreg.pickle(type(rt.eval("function() end")), _reduce_function)


_register_copies()
nn.utils.lua_table_copier = copy_lua_table


# The Lua tables the last Lua methods returned, by the list/dict Python got for them: when that very
# list comes back to Lua (Module.forward returning what updateOutput gave), Lua gets its own table
# again, so m:forward(x) == m.output holds for a table output built in Lua.
_ORIGIN = OrderedDict()


def _from_lua(t):
    v = to_py(t)
    _ORIGIN[id(v)] = (v, t)
    if len(_ORIGIN) > 64:
        _ORIGIN.popitem(last=False)
    return v


def lua_origin(v):
    """The Lua table that Python's list/dict v was made from by the last Lua calls, or None."""
    e = _ORIGIN.get(id(v))
    return e[1] if e is not None and e[0] is v else None


def _method_args(args):
    """A method's arguments from Lua as Python values; a Lua function among them is a callback
    (apply, replace, runForwardFunction) whose results the method uses: it comes as a callable
    giving Python values (a table as a list/dict, a torch.setmetatable stand-in as its object)."""
    args = args_to_py(args)
    for a in args:
        if type(a) is LuaFunction:
            return tuple(_callback(v) if type(v) is LuaFunction else v for v in args)
    return args


def _callback(fn):
    def call(*args):
        return _result_to_py(fn(*args))
    return call


def _result_to_py(r):
    if type(r) is tuple:
        return tuple(_from_lua(e) if type(e) is LuaTable else to_py(e) for e in r)
    if type(r) is LuaTable:
        return _from_lua(r)
    if type(r) is ListView:
        return r._l
    return r


_MISSING_METHODS = {}   # tensor class -> the Torch7 methods its type lacks (see _decl.METHOD_TYPES)


def handler_key(obj):
    """Which Lua handler serves obj: kindof's answer, except that a tensor whose type lacks some of
    Torch7's methods (the integer types) is served by its type's own handler, which hides them."""
    if isinstance(obj, Tensor):
        cls = type(obj)
        missing = _MISSING_METHODS.get(cls)
        if missing is None:
            from pytorch_lite._decl import methods_missing
            missing = _MISSING_METHODS[cls] = methods_missing(cls.typename)
        return cls.typename if missing else "tensor"
    return kindof(obj)


def kindof(obj):
    """Which Lua handler serves obj: 'tensor', 'storage', 'list', a Torch class name or ''."""
    if isinstance(obj, Tensor):
        return "tensor"
    if isinstance(obj, Storage):
        return "storage"
    t = type(obj)
    if t is ListView:
        return "list"
    if t is DictView:
        return "dict"
    if isinstance(obj, (nn.Module, nn.Criterion)):
        tn = t.typename
        if tn not in torch_classes():
            CLASSES[tn] = t
        return tn
    tn = getattr(t, "typename", None)
    if isinstance(tn, str) and torch_classes().get(tn) is t:
        return tn
    if callable(obj) and not isinstance(obj, type):
        return "function"   # a bridge function (torch.save, ...): type() says 'function' as in Torch7
    return ""


def call_object(obj, *args):
    """obj(...) from Lua for a torch object: Lua tables become lists (``nn.CAddTable()({a, b})``
    builds a graph node; ``module(input)`` runs forward)."""
    return obj(*args_to_py(args))
