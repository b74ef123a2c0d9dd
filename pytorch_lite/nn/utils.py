"""Helpers shared by the nn modules (the role of nn/utils.lua): recursive walks over nested
tensors and tables, type conversion that keeps storage sharing, sharing-preserving deep copies,
the default-initialisation draws and shape messages for errors."""
import copy

import numpy as np

from ..errors import TorchTypeError, TorchValueError
from ..storage import Storage
from ..tensor import TENSOR_TYPES, Tensor

FLOAT_TYPES = ("torch.FloatTensor", "torch.DoubleTensor", "torch.HalfTensor",
               "torch.CudaTensor", "torch.CudaDoubleTensor", "torch.CudaHalfTensor")


def is_tensor(x):
    return isinstance(x, Tensor)


def is_table(x):
    return isinstance(x, (list, tuple))


def shape_str(t):
    """A tensor's size as Torch7 prints it in messages ('3x4'), or a table's structure."""
    if isinstance(t, Tensor):
        return "x".join(map(str, t._size)) if t._size else "empty"
    if is_table(t):
        return "{" + ", ".join(shape_str(e) for e in t) + "}"
    return type(t).__name__


def uniform_(t, a, b):
    """Fill t with uniform draws in [a, b) from the global generator (Torch7's x:uniform(a, b)).

    Goes through the tensor method so the draws follow THRandom's stream; a numpy fallback keeps
    construction working where the RNG layer is missing."""
    if hasattr(t, "uniform"):
        return t.uniform(a, b)
    t._a[...] = np.random.uniform(a, b, t._a.shape)
    return t


def recursive_type(param, typename, cache):
    """param with every floating tensor converted to typename, sharing kept through cache."""
    from .Module import Module
    from .Criterion import Criterion
    if isinstance(param, list):
        for i, v in enumerate(param):
            param[i] = recursive_type(v, typename, cache)
        return param
    if isinstance(param, dict):
        for k in list(param):
            param[k] = recursive_type(param[k], typename, cache)
        return param
    if isinstance(param, (Module, Criterion)):
        param.type(typename, cache)
        return param
    if isinstance(param, Tensor):
        if param.typename == typename or param.typename not in FLOAT_TYPES:
            return param
        hit = cache.get(id(param))
        if hit is not None:
            return hit[1]
        cls = TENSOR_TYPES[typename]
        st = param._storage
        if st is None:
            new = cls()
        else:
            skey = ("storage", id(st))
            if skey not in cache:
                cache[skey] = (st, st.type(cls.storage_class.typename))
            new = cls._make(cache[skey][1], param._offset, param._size, param._stride)
        cache[id(param)] = (param, new)  # keep param alive so its id stays unique
        return new
    if _foreign_table(param):
        # a table a Lua script keeps in a module (a criterion's clones, a table of buffers):
        # converted in place as Torch7's recursiveType converts every table
        for k, v in list(param.items()):
            param[k] = recursive_type(v, typename, cache)
    return param


def _foreign_table(v):
    """A table that is not a Python list/dict: a Lua table held from the bridge."""
    t = type(v)
    return t.__name__ == "_LuaTable" and (t.__module__ or "").startswith("lupa")


# set by a Lua bridge: (table, memo, clone) -> a copy of a Lua table, its keys and values copied by
# clone and recorded in memo, so objects it shares with the rest of the module stay shared
lua_table_copier = None


def recursive_resize_as(t1, t2):
    """t1 resized (or rebuilt) to the structure and sizes of t2; returns t1."""
    if is_table(t2):
        t1 = list(t1) if is_table(t1) else []
        del t1[len(t2):]
        for i, v in enumerate(t2):
            if i < len(t1):
                t1[i] = recursive_resize_as(t1[i], v)
            else:
                t1.append(recursive_resize_as(None, v))
        return t1
    if isinstance(t2, Tensor):
        if not isinstance(t1, Tensor) or type(t1) is not type(t2):
            t1 = t2.new()
        return t1.resizeAs(t2)
    raise TorchTypeError("expecting nested tensors or tables, got %s" % type(t2).__name__)


def recursive_fill(t, value):
    if is_table(t):
        for v in t:
            recursive_fill(v, value)
    elif isinstance(t, Tensor):
        t.fill(value)
    else:
        raise TorchTypeError("expecting a tensor or a table of tensors, got %s" % type(t).__name__)
    return t


def recursive_add(t1, value, t2):
    """t1 += value * t2 elementwise over nested tables."""
    if is_table(t2):
        for a, b in zip(t1, t2):
            recursive_add(a, value, b)
    else:
        t1._a[...] += value * t2._a.reshape(t1._a.shape)
    return t1


def recursive_copy(t1, t2):
    """t1 (rebuilt as needed) holding a copy of t2's nested tensors."""
    if is_table(t2):
        t1 = list(t1) if is_table(t1) else []
        del t1[len(t2):]
        for i, v in enumerate(t2):
            if i < len(t1):
                t1[i] = recursive_copy(t1[i], v)
            else:
                t1.append(recursive_copy(None, v))
        return t1
    if not isinstance(t1, Tensor) or type(t1) is not type(t2):
        t1 = t2.new()
    t1.resizeAs(t2).copy(t2)
    return t1


def clear(obj, *names):
    """Torch7's nn.utils.clear: empty the named tensor fields, reset tables, drop the rest."""
    if len(names) == 1 and is_table(names[0]):
        names = names[0]
    d = obj.__dict__
    for name in names:
        v = d.get(name)
        if v is None or v is False:
            continue
        if isinstance(v, Tensor):
            v.set()
        elif isinstance(v, (list, dict)):
            d[name] = type(v)()
        else:
            d[name] = None
    return obj


# set by a Lua bridge: obj -> its clone written and read back (Torch7's clone) when something in it
# writes itself (a class given its own write method in Lua), else None
serialized_clone = None
# set by a Lua bridge: () -> None, or while a Lua script runs, what makes a loaded object the one
# Lua's own torch.load gives (its Lua functions live again, its tables Lua tables); a file read
# for such a script may then hold functions, as Torch7's files do
lua_loader = None


def deep_clone(obj):
    """A deep copy that keeps storage sharing inside obj (what Torch7's clone gets by serialising)."""
    if serialized_clone is not None:
        c = serialized_clone(obj)
        if c is not None:
            return c
    return _clone(obj, {})


def _clone(obj, memo):
    from .Module import Module
    from .Criterion import Criterion
    key = id(obj)
    if key in memo:
        return memo[key][1]
    if isinstance(obj, Tensor):
        st = obj._storage
        if st is None:
            new = type(obj)()
        else:
            nst = _clone(st, memo)
            new = type(obj)._make(nst, obj._offset, obj._size, obj._stride)
    elif isinstance(obj, Storage):
        new = type(obj)._wrap(obj._data.copy())
    elif isinstance(obj, list):
        new = [] if type(obj) is list else copy.copy(obj)   # a list subclass keeps its class
        new.clear()
        memo[key] = (obj, new)
        new.extend(_clone(v, memo) for v in obj)
        return new
    elif isinstance(obj, tuple):
        new = tuple(_clone(v, memo) for v in obj)
    elif isinstance(obj, dict):
        new = {}
        memo[key] = (obj, new)
        for k, v in obj.items():   # keys too: a LuaKey(data) key refers to the copy's data
            new[_clone(k, memo)] = _clone(v, memo)
        return new
    elif isinstance(obj, (Module, Criterion)):
        new = type(obj).__new__(type(obj))
        memo[key] = (obj, new)
        for k, v in obj.__dict__.items():
            new.__dict__[k] = _clone(v, memo)
        return new
    elif isinstance(obj, (int, float, str, bool, type(None), np.generic)):
        return obj
    elif lua_table_copier is not None and _foreign_table(obj):
        return lua_table_copier(obj, memo, lambda v: _clone(v, memo))
    else:
        dm = _DeepcopyMemo(memo)
        memo[("deepcopy memo", id(dm))] = (dm, None)   # what it keeps alive lives as long as memo
        new = copy.deepcopy(obj, dm)
    memo[key] = (obj, new)
    return new


class _DeepcopyMemo(dict):
    """copy.deepcopy's memo, also answering with what this clone has already copied: an object
    that refers back to the module holding it (a Lua method set on one instance) then refers to
    the copy, as Torch7's clone (a serialisation round trip) gives."""

    def __init__(self, clone_memo):
        super().__init__()
        self.clone_memo = clone_memo

    def get(self, key, default=None):
        if key in self:
            return self[key]
        e = self.clone_memo.get(key)
        return default if e is None else e[1]

    def __setitem__(self, key, value):
        # and the other way: what deepcopy copied is what the clone uses when it meets it again
        # (a LuaKey(data) in nngraph's mapindex and the data table itself)
        super().__setitem__(key, value)
        if key != id(self):
            self.clone_memo.setdefault(key, (None, value))


def check_dims(module, x, dims, expected):
    """Raise our error naming the module when x is not a tensor with one of the allowed dims."""
    if not isinstance(x, Tensor) or x.dim() not in dims:
        raise TorchValueError("%s: expected %s, got %s"
                              % (module.typename, expected,
                                 ("a %dD tensor of size %s" % (x.dim(), shape_str(x)))
                                 if isinstance(x, Tensor) else type(x).__name__))


def bad_input(module, expected, x):
    raise TorchValueError("%s: expected %s, got %s" % (module.typename, expected,
                                                        ("a %dD tensor of size %s" % (x.dim(), shape_str(x)))
                                                        if isinstance(x, Tensor) else
                                                        ("a table %s" % shape_str(x) if is_table(x)
                                                         else type(x).__name__)))


def check_grad(module, input, gradOutput):
    """gradOutput must have input's number of elements (Torch7's pointwise modules need it)."""
    if not isinstance(gradOutput, Tensor) or gradOutput.nElement() != input.nElement():
        raise TorchValueError("%s: gradOutput (%s) must have the size of the input (%s)"
                              % (module.typename, shape_str(gradOutput), shape_str(input)))


def diff(module, input, target):
    """input - target as an array (the regression criterions need equal element counts)."""
    if not isinstance(target, Tensor) or not isinstance(input, Tensor) or target.nElement() != input.nElement():
        raise TorchValueError("%s: input (%s) and target (%s) should have the same number of elements"
                              % (module.typename, shape_str(input), shape_str(target)))
    return input._a - target._a.reshape(input._a.shape)


def table_grads(module, input):
    """module.gradInput as a list of tensors sized like the table input (buffers reused)."""
    gi = module.gradInput
    if type(gi) is list and len(gi) == len(input):   # already so (every step after the first)
        for g, t in zip(gi, input):
            if type(g) is not type(t) or g._size != t._size:
                break
        else:
            return gi
    gi = module.gradInput if isinstance(module.gradInput, list) else []
    out = []
    for i, t in enumerate(input):
        g = gi[i] if i < len(gi) and type(gi[i]) is type(t) else t.new()
        out.append(g.resizeAs(t))
    module.gradInput = out
    return out
