"""Torch objects (nn modules, criterions, Lua-defined classes) seen from Lua.

- Python classes are reached through ``unbound(cls, name)``: a Python method as a Lua-callable
  function ``f(self, ...)`` whose dims/indices are converted by ``nn_kinds.METHODS``.
- ``construct(cls, args)`` builds a module from Lua arguments (``nn_kinds.CTOR``); modules whose
  input or target carries indices (``nn_kinds.INPUTS``) get a 1-based subclass.
- ``define_class`` makes a Python subclass for a ``torch.class`` whose ancestor is a Python
  class: its instances are real Python modules (usable in Python containers), and methods
  defined in Lua become Python methods that call back into Lua.
"""
import numpy as np

from pytorch_lite import nn
from pytorch_lite.errors import TorchTypeError
from pytorch_lite.serialization import registry
from pytorch_lite.storage import Storage
from pytorch_lite.tensor import Tensor

from . import nn_kinds
from .bridge import LuaTable, _dim_in, _index_in, args_to_py, to_py

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
            args = args[:pos] + (_conv(args[pos]),) + args[pos + 1:]
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


def to_lua_view(obj, seen=None):
    """Give loaded modules with index inputs their 1-based class (in place); returns obj."""
    return _swap(obj, True, set() if seen is None else seen)


def to_python_view(obj):
    """The inverse: 0-based classes again, for a model handed to Python."""
    return _swap(obj, False, set())


def _swap(obj, lua, seen):
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
        for v in list(obj.__dict__.values()):
            _swap(v, lua, seen)
    elif isinstance(obj, (list, tuple)):
        for v in obj:
            _swap(v, lua, seen)
    elif isinstance(obj, dict):
        for v in obj.values():
            _swap(v, lua, seen)
    return obj


def construct(typename, *args):
    cls = torch_classes().get(typename)
    if cls is None:
        raise TorchTypeError("unknown class %s" % typename)
    if typename in nn_kinds.INPUTS:
        cls = one_based(cls)
    args = ctor_args(typename, args)
    n = max_positional(cls.__init__)
    return cls(*(args if n is None else args[:n - 1]))


def init_as(typename, self, *args):
    """parent.__init(self, ...) for a Python parent class."""
    cls = torch_classes()[typename]
    args = ctor_args(typename, args)
    n = max_positional(cls.__init__)
    cls.__init__(self, *(args if n is None else args[:n - 1]))


# -- methods and fields ---------------------------------------------------------------------------

def _dunder(name):
    """Python's own attributes (__dict__, __class__, ...) stay out of Lua's reach; other names
    with a leading '__' are ordinary Torch7 fields (fb.resnet.torch marks modules with
    `m.__shareGradInputKey = key`, optnet with `m.__memoryOptimized`)."""
    return name.startswith("__") and (name.endswith("__") or len(name) <= 4)


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

    def unbound(self, typename, name):
        if not isinstance(name, str) or name.startswith("_"):
            return None
        cls = torch_classes().get(typename)
        fn = getattr(cls, name, None) if cls is not None else None
        if fn is None or not callable(fn) or isinstance(fn, type):
            return None
        kinds = _declared(_METHODS, cls, name)
        result, cache_for = self.conv.result, self.cache_for
        n = max_positional(fn)
        if typename in nn_kinds.INPUTS and name in _ONE_BASED_METHODS:
            # the instance's own (1-based) class converts its input: call through it
            def fn(self_, *args, _name=name):
                return getattr(type(self_), _name)(self_, *(args if n is None else args[:n - 1]))
        elif n is not None:   # Lua ignores extra arguments
            fn_all = fn

            def fn(self_, *args):
                return fn_all(self_, *args[:n - 1])

        if kinds is None:
            def method(self_, *args):
                return result(fn(self_, *args_to_py(args)))
        else:
            def method(self_, *args):
                return result(fn(self_, *_convert(kinds, args_to_py(args), args, cache_for)))
        method.__name__ = name
        return method

    def getfield(self, obj, name):
        if not isinstance(name, str) or _dunder(name):
            return None
        if name.startswith("_"):   # Torch fields like _type/_indices: instance data only
            v = obj.__dict__.get(name)
        else:
            v = getattr(obj, name, None)
        kinds = _field_kinds(type(obj))
        if kinds and name in kinds:
            if v is None:
                return 0 if kinds[name] == "P" else None   # P: an index where 0 means none
            return self._field(kinds[name], v)
        t = type(v)
        if t is list or t is dict or t is tuple:
            return ListView(v) if t is list else self.conv.to_lua(v)
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

    @staticmethod
    def setfield(obj, name, value):
        if not isinstance(name, str) or _dunder(name):
            raise TorchTypeError("cannot set field %r" % (name,))
        if type(value) is ListView:
            value = value._l
        elif type(value) is LuaTable:
            value = to_py(value)
        elif type(value) is DictView:
            value = value._d
        kinds = _field_kinds(type(obj))
        kind = kinds.get(name) if kinds else None
        if kind == "index":
            from pytorch_lite.nn._base import shift_indices
            value = shift_indices(value, -1)
        elif kind == "P" and isinstance(value, (int, float)) and not isinstance(value, bool):
            value = None if value == 0 else value - 1
        setattr(obj, name, value)


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
    __slots__ = ("_d",)

    def __init__(self, d):
        self._d = d


def _view(e):
    t = type(e)
    if t is list:
        return ListView(e)
    if t is dict:
        return DictView(e)
    if isinstance(e, np.generic):
        return e.item()
    return e


def dict_get(v, k):
    return _view(v._d.get(k))


def dict_set(v, k, value):
    if type(value) is LuaTable:
        value = to_py(value)
    elif type(value) in (ListView, DictView):
        value = value._l if type(value) is ListView else value._d
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
    __slots__ = ("_l",)

    def __init__(self, lst):
        self._l = lst


def list_get(v, i):
    lst = v._l
    if type(i) is int and 0 < i <= len(lst):
        e = lst[i - 1]
        return ListView(e) if type(e) is list else e
    return None


def list_set(v, i, value):
    lst = v._l
    if type(value) is LuaTable:
        value = to_py(value)
    if i == len(lst) + 1:
        if value is not None:
            lst.append(value)
    elif 0 < i <= len(lst):
        if value is None and i == len(lst):
            lst.pop()
        else:
            lst[i - 1] = value
    else:
        raise TorchTypeError("list index %r out of range" % (i,))


def list_len(v, _=None):
    return len(v._l)


def list_insert(v, *args):
    if len(args) == 1:
        v._l.append(args[0])
    else:
        v._l.insert(int(args[0]) - 1, args[1])


def list_remove(v, i=None):
    return v._l.pop(-1 if i is None else int(i) - 1)


# -- classes defined in Lua -----------------------------------------------------------------------

class LuaClasses:
    def __init__(self, conv):
        self.conv = conv

    def define(self, name, parent):
        """A Python subclass of the Python class registered as ``parent``, named ``name``."""
        classes = torch_classes()
        base = classes[parent]
        short = name.split(".")[-1]
        cls = type(short, (base,), {"typename": name, "__t7_typename__": name})
        classes[name] = cls
        _LUA_DEFINED.add(cls)
        try:
            registry.register_class(name, cls)
        except TorchTypeError:
            pass
        return cls

    def set_method(self, name, method, fn):
        """Class ``name`` got a Lua method: make Python calls of it run the Lua function."""
        cls = torch_classes()[name]
        if method.startswith("_") and method != "__tostring__":
            return
        to_lua, to_py_ = self.conv.to_lua, _result_to_py

        def call(self, *args):
            return to_py_(fn(self, *[to_lua(a) for a in args]))
        call.__name__ = method
        setattr(cls, method, call)


def _result_to_py(r):
    if type(r) is tuple:
        return tuple(to_py(e) for e in r)
    if type(r) is LuaTable:
        return to_py(r)
    if type(r) is ListView:
        return r._l
    return r


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
