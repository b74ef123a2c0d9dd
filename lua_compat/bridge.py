"""The Python half of the Lua bridge: calls from Lua into pytorch_lite, with Lua's conventions.

Everything Lua reaches goes through here.  Tensor methods and ``torch.*`` functions are derived
from the declaration table (``pytorch_lite._decl.DECLS``): the overload a call matches says which
arguments are dims (``D``), element indices (``I``) or index tensors (``L``), and which results
are indices (``I``, ``L``, ``X``), so 1-based Lua values become 0-based Python values and back
without any per-op special case.  nn modules get the same treatment from ``nn_kinds.py``.
"""
import re
import threading

import weakref

import numpy as np

import pytorch_lite as torch
from pytorch_lite import _decl, _views
from pytorch_lite.errors import TorchError, TorchIndexError, TorchTypeError, TorchValueError
from pytorch_lite.storage import Storage
from pytorch_lite.tensor import Tensor, LongTensor

from lupa import luajit21 as _lupa

_PROBE = _lupa.LuaRuntime()
LuaTable = type(_PROBE.table())
LuaFunction = type(_PROBE.eval('function() end'))
del _PROBE
_lua_type = _lupa.lua_type


# -- values: Lua -> Python ------------------------------------------------------------------------

class _ActiveRuntimes(threading.local):
    """The runtimes whose Lua code is running in this thread, innermost last (a thread only ever
    calls into its own LuaJIT states)."""

    def __init__(self):
        self.stack = []

    def __bool__(self):
        return bool(self.stack)

    def __getitem__(self, i):
        return self.stack[i]

    def append(self, rt):
        self.stack.append(rt)

    def pop(self):
        return self.stack.pop()


ACTIVE = _ActiveRuntimes()


class _NegZero:
    """Stands for -0 inside a Lua table crossing to Python: lupa hands Lua's -0 over as the integer
    0, so the runtime's Lua side swaps it for this marker first (prelude.lua, negzero_copy)."""
    __slots__ = ()

    def __repr__(self):
        return "-0"


NEG_ZERO = _NegZero()


def _with_neg_zero(t):
    """t, or a copy of it in which every -0 is NEG_ZERO (only when it holds one)."""
    if ACTIVE:
        fix = ACTIVE[-1].negzero_copy
        if fix is not None:
            try:
                c = fix(t)
            except Exception:
                return t
            if c is not None:
                return c
    return t


def _table_id(t):
    """A table's identity during one conversion: lupa's repr holds the table's address."""
    return repr(t)


def table_to_py(t, memo=None):
    """A Lua table as a Python list (keys 1..n) or dict (anything else), recursively; a table met
    twice in one conversion becomes one shared list/dict (cycles stay cycles).  A small plain array
    comes over in one call into Lua (prelude's _lua_compat_array, which also marks its -0s, and
    gives a torch.setmetatable stand-in's object); any other table is walked key by key, after
    its -0s are marked."""
    if memo is None:
        memo = {}
    key = _table_id(t)
    got = memo.get(key)
    if got is not None:
        return got
    snap = ACTIVE[-1].array_snapshot if ACTIVE else None
    if snap is not None:
        try:
            r = snap(t)
        except Exception:   # a table of another runtime (a nested one): walked below
            r = None
        if type(r) is tuple and r[0] is False:   # a stand-in for a Python object: the object
            memo[key] = r[1]
            return r[1]
        if r is not None:
            out = []
            memo[key] = out
            if type(r) is tuple:
                out.extend([v if type(v) not in UNWRAP and type(v) is not LuaTable and v is not NEG_ZERO
                            else to_py(v, memo) for v in r[1:]])
            return out
    t = _with_neg_zero(t)
    n = len(t)
    items = list(t.items())
    if len(items) == n and all(type(k) is int for k, _ in items):
        out = []
        memo[key] = out
        vals = dict(items)
        out.extend(to_py(vals[i], memo) for i in range(1, n + 1))
        return out
    out = {}
    memo[key] = out
    for k, v in items:
        out[k] = to_py(v, memo)
    return out


# live views of Python lists/dicts handed to Lua (objects.ListView/DictView) -> what they show;
# filled in by objects.py
UNWRAP = {}


def to_py(v, memo=None):
    t = type(v)
    if t is LuaTable:
        return table_to_py(v, {} if memo is None else memo)
    if v is NEG_ZERO:
        return -0.0
    if t in UNWRAP:
        return UNWRAP[t](v)
    return v


def _plain_table(t):
    """A small Lua table of numbers/tables (an index like {1, {2, 3}}) as lists, no sharing."""
    n = len(t)
    items = list(t.items())
    if len(items) == n and all(type(k) is int for k, _ in items):
        return [_plain_table(v) if type(v) is LuaTable else v for _, v in sorted(items)]
    return {k: (_plain_table(v) if type(v) is LuaTable else v) for k, v in items}


class RawBytes:
    """A Lua string that is not UTF-8, carried to Python as bytes (made by the Lua side)."""
    __slots__ = ("b",)

    def __init__(self, hexstr):
        self.b = bytes.fromhex(hexstr)


def to_py_shared(v, ident, memo=None):
    """A Lua value for serialization: tables become lists (keys 1..n) or dicts, keeping shared
    tables shared and cycles as cycles (``ident(t)`` is a Lua function numbering tables);
    boolean and table keys become LuaKey, as the t7 reader gives them."""
    if type(v) is not LuaTable:
        t = type(v)
        if t in UNWRAP:   # a Python list/dict field seen from Lua: the list/dict itself
            return UNWRAP[t](v)
        return v.b if t is RawBytes else (-0.0 if v is NEG_ZERO else v)
    if memo is None:
        memo = {}
        v = _with_neg_zero(v)
    i = ident(v)
    got = memo.get(i)
    if got is not None:
        return got
    from pytorch_lite.serialization.types import LuaKey
    marked = _t7_marked(v, i, ident, memo)
    if marked is not None:
        return marked
    items = list(v.items())
    n = len(items)
    if n and all(type(k) is int for k, _ in items) and {k for k, _ in items} == set(range(1, n + 1)):
        out = []
        memo[i] = out
        vals = dict(items)
        out.extend(to_py_shared(vals[k], ident, memo) for k in range(1, n + 1))
        return out
    out = {}
    memo[i] = out
    for k, e in items:
        if isinstance(k, bool):
            k = LuaKey(k)
        elif type(k) is LuaTable:
            k = LuaKey(to_py_shared(k, ident, memo))
        elif isinstance(k, float) and k.is_integer():
            k = int(k)
        out[k] = to_py_shared(e, ident, memo)
    return out


_SELF_WRITING = weakref.WeakValueDictionary()   # (ident function, Lua object's number) -> its record


def _t7_marked(v, i, ident, memo):
    """The Lua side's records of what only Lua can take apart (torch.lua's prepare): a function
    {__t7_function = hex bytecode, upvalues = ...}, an instance of a Lua class
    {__t7_object = class name, fields = ...} and one whose class writes it
    {__t7_self_writing = class name, object =, write = its write method}; None for any other table."""
    code = v["__t7_function"]
    if code is not None:
        from pytorch_lite.serialization.types import LuaFunction
        out = LuaFunction(bytes.fromhex(code), None, tag=8)
        memo[i] = out
        out.upvalues = to_py_shared(v["upvalues"], ident, memo)
        return out
    name = v["__t7_self_writing"]
    if name is not None:   # its class's write method writes it (writer.custom_write)
        from pytorch_lite.serialization.types import SelfWriting
        # one record per Lua object, also across the writeObject calls its write method makes
        # (an object referring to itself is then written once and referenced)
        key = (id(ident), ident(v["object"]))
        out = _SELF_WRITING.get(key)
        if out is None:
            out = SelfWriting(name, v["object"], v["write"])
            _SELF_WRITING[key] = out
        memo[i] = out
        return out
    name = v["__t7_object"]
    if name is not None:
        from pytorch_lite.serialization.types import TorchObject
        out = TorchObject(name, None, "V 1")
        memo[i] = out
        fields = to_py_shared(v["fields"], ident, memo)
        object.__setattr__(out, "fields", fields if isinstance(fields, dict) else dict(enumerate(fields, 1)))
        return out
    return None


def args_to_py(args):
    for a in args:
        t = type(a)
        if t is LuaTable or t in UNWRAP:
            memo = {}
            return tuple(to_py(a, memo) for a in args)
    return args


# -- values: Python -> Lua ------------------------------------------------------------------------

class Converter:
    """Python results -> Lua values (needs the runtime to build Lua tables)."""

    def __init__(self, lua):
        self.lua = lua
        self.table_from = lua.table_from

    def to_lua(self, v):
        t = type(v)
        if t is list:
            return self.table_from([self.to_lua(e) for e in v])
        if t is tuple:
            return self.table_from([self.to_lua(e) for e in v])
        if t is dict:
            return self.table_from({k: self.to_lua(e) for k, e in v.items()})
        if isinstance(v, np.generic):
            return v.item()
        return v

    # set by torch.lua: (make a closure from bytecode, set its upvalues, the Lua class of a name)
    lua_hooks = None

    def to_lua_shared(self, v, memo=None):
        """Like to_lua, for loaded objects: shared lists/dicts stay shared, cycles stay cycles,
        LuaKey keys become their Lua values again; Lua functions and instances of Lua classes
        become closures and tables again (lua_hooks)."""
        t = type(v)
        if t is not list and t is not dict and t is not tuple:
            if isinstance(v, np.generic):
                return v.item()
            if self.lua_hooks is not None:
                return self._lua_object(v, {} if memo is None else memo)
            return v
        if memo is None:
            memo = {}
        got = memo.get(id(v))
        if got is not None:
            return got[0]
        out = self.lua.table()
        memo[id(v)] = (out, v)
        if t is dict:
            from pytorch_lite.serialization.types import LuaKey
            for k, e in v.items():
                if type(k) is LuaKey:
                    k = self.to_lua_shared(k.value, memo)
                out[k] = self.to_lua_shared(e, memo)
        else:
            for i, e in enumerate(v):
                out[i + 1] = self.to_lua_shared(e, memo)
        return out

    def _lua_object(self, v, memo):
        from pytorch_lite.serialization.types import LuaFunction, TorchObject
        if not isinstance(v, (LuaFunction, TorchObject)):
            return v
        got = memo.get(id(v))
        if got is not None:
            return got[0]
        make_function, set_upvalues, lua_class = self.lua_hooks
        if isinstance(v, LuaFunction):
            f = make_function(v.bytecode)
            memo[id(v)] = (f, v)
            ids = memo.setdefault("upvalue ids", (self.lua.table(), None))[0]
            set_upvalues(f, self.to_lua_shared(v.upvalues, memo), ids, v.tag)
            return f
        cls = lua_class(v.typename)
        if cls is None:
            return v
        out = self.lua.table()
        memo[id(v)] = (out, v)
        from pytorch_lite.serialization.types import LuaKey
        for k, e in v.fields.items():
            if type(k) is LuaKey:
                k = self.to_lua_shared(k.value, memo)
            out[k] = self.to_lua_shared(e, memo)
        self.lua.globals().setmetatable(out, cls)
        return out

    def result(self, r):
        """A function's result: tuples become several Lua results, lists become tables."""
        t = type(r)
        if t is tuple:
            return tuple(self.to_lua(e) for e in r)
        if t is list or t is dict or isinstance(r, np.generic):
            return self.to_lua(r)
        return r


# -- 1-based <-> 0-based by kind --------------------------------------------------------------------

def _lua_based(e):
    e.lua_based = True   # the message already speaks Lua's numbering
    return e


def _dim_in(v):
    if v is None:
        return None
    v = int(v)
    if v > 0:
        return v - 1
    if v < 0:
        return v
    raise _lua_based(TorchIndexError("dimension 0 is out of range (Lua dimensions start at 1)"))


def _index_in(v):
    if v is None:
        return None
    v = int(v)
    if v > 0:
        return v - 1
    if v < 0:
        return v
    raise _lua_based(TorchIndexError("index 0 is out of range (Lua indices start at 1)"))


# -- errors of calls from Lua: the call as the Lua user wrote it, numbers 1-based ------------------

_ZERO_BASED = re.compile(r"\b(dim|dimension|index|start) (\d+)\b")
_ZERO_NOTE = re.compile(r" ?\((?:indices are )?0-based\)")


def lua_message(msg):
    """A pytorch_lite message with 0-based dims/indices ("dim 0", "index 3", "start 1") in
    Lua's 1-based numbering."""
    msg = _ZERO_NOTE.sub("", msg)
    return _ZERO_BASED.sub(lambda m: "%s %d" % (m.group(1), int(m.group(2)) + 1), msg)


def _show(v):
    if isinstance(v, bool) or v is None:
        return str(v).lower() if v is not None else "nil"
    if isinstance(v, (int, float)):
        return "%.14g" % v
    if isinstance(v, str):
        return repr(v)
    if type(v) is LuaTable:
        return "table"
    tn = getattr(v, "typename", None)
    return tn if isinstance(tn, str) else type(v).__name__


def lua_error(e, name, x, args, renumber, shifted=()):
    """The exception to raise for e, raised by the Lua call name(args) (x:name(args) when x is a
    tensor): a TorchError about a dim or index of an operation taking any (renumber) becomes
    "bad argument to name(1, 2, 5) on a <type> of size AxB: <reason>", the reason's dims/indices
    1-based; other errors stay as they are.  ``shifted``: the 0-based positions of args that Lua
    already turned 0-based (shown as the Lua user wrote them)."""
    if not isinstance(e, TorchError) or getattr(e, "lua_call", False):
        return e
    args = list(args)
    for i in shifted:
        if i < len(args) and isinstance(args[i], (int, float)) and not isinstance(args[i], bool) and args[i] >= 0:
            args[i] += 1
    msg = str(e)
    if getattr(e, "lua_based", False):
        pass
    elif renumber and lua_message(msg) != msg:
        msg = lua_message(msg)
    else:
        return e   # nothing 0-based in it: the message stays as Torch7 words it
    short = name.rsplit(".", 1)[-1]
    if msg.startswith(short + ": "):
        msg = msg[len(short) + 2:]
    where = ""
    if isinstance(x, Tensor):
        where = " on a %s of size %s" % (x.typename, "x".join(map(str, x._size)) or "[]")
    out = type(e)("bad argument to %s(%s)%s: %s" % (name, ", ".join(map(_show, args)), where, msg))
    out.lua_call = True
    return out


def _long_in(t):
    if t is None:
        return None
    if type(t).is_cuda:   # a Cuda index (cutorch takes one of the op's own type too) stays on its device
        cls = _decl._CUDA_LONG
        return cls._from_array(t._a.astype(np.int64) - 1)
    return LongTensor._from_array(np.array(t._a, dtype=np.int64) - 1)  # a copy: never touch the caller's


def _alias_in(t):
    """An alias table from Lua: 1-based on the CPU types (Torch7), 0-based on the Cuda types (cutorch)."""
    return t if t is None or type(t).is_cuda else _long_in(t)


_IN = {"D": _dim_in, "I": _index_in, "L": _long_in, "J": _alias_in}


def _plus1_tensor(t):
    if isinstance(t, Tensor) and t.nElement():
        t._a[...] += 1
    return t


def _plus1_number(v):
    return v + 1 if isinstance(v, (int, float, np.integer)) else v


def _number_if_single(t):
    """Torch7's Lua squeeze answers a one-element result with the number itself."""
    if isinstance(t, Tensor) and len(t._size) == 1 and t._size[0] == 1:
        return t._storage._data[t._offset].item()
    return t


def _alias_out(t):
    return t if type(t).is_cuda else _plus1_tensor(t)


_OUT = {"I": _plus1_number, "L": _plus1_tensor, "J": _alias_out, "X": _plus1_tensor, "P": _plus1_tensor,
        "Q": _number_if_single}


def _in_spec(ov, positions):
    """[(position, converter)] for the arguments the caller gave (defaults are already 0-based)."""
    spec = []
    for i in range(positions):
        if i < len(ov.args) and ov.args[i].kind in _IN and not (ov.varsizes and i == len(ov.args) - 1):
            spec.append((i, _IN[ov.args[i].kind]))
    return tuple(spec)


def _out_spec(ov):
    kinds = ov.returns
    if not any(k in _OUT for k in kinds):
        return None
    if len(kinds) == 1:
        return _OUT[kinds[0]]
    fns = tuple(_OUT.get(k) for k in kinds)

    def conv(r):
        return tuple(f(e) if f else e for f, e in zip(fns, r))
    return conv


# -- declared operations seen from Lua --------------------------------------------------------------

class LuaOp:
    """One declaration as a Lua method (``x:f(...)``) and a Lua function (``torch.f(...)``)."""

    def __init__(self, decl, conv):
        self.decl = decl
        self.conv = conv
        self.mruns = {}    # argument types -> runner(x, args)
        self.fplans = {}
        self.renumber = not kind_free(decl)

    # plans: (impl, mode, in_spec, out_fn, varsizes, ov)
    def _plan_method(self, x, args):
        d = self.decl
        if d.form == "result":
            for ov in d.overloads:
                m = _decl._match(ov, args, tuple(map(type, args)))
                if m is not None and _decl._result_ok(ov, x, _decl._optype(ov, m) or type(x)):
                    return ov, 0, _in_spec(ov, len(args))
            a = (x,) + args
            for ov in d.overloads:
                if _decl._match(ov, a, tuple(map(type, a))) is not None:
                    return ov, 1, _in_spec(ov, len(a))
        else:
            a = (x,) + args
            for ov in d.overloads:
                if _decl._match(ov, a, tuple(map(type, a))) is not None:
                    return ov, (3 if d.form == "self" else 2), _in_spec(ov, len(a))
            if d.form == "new":   # x:f(src...) where the arguments alone fit: x receives the result
                for ov in d.overloads:
                    m = _decl._match(ov, args, tuple(map(type, args)))
                    if m is not None and _decl._result_ok(ov, x, _decl._optype(ov, m) or type(x), True):
                        return ov, 0, _in_spec(ov, len(args))
                plan = _results_first(ov_list=d.overloads, x=x, args=args)
                if plan is not None:
                    return plan
        raise _decl._no_match(d, (x,) + tuple(args))

    def method(self, x, *args):
        try:
            try:
                run = self.mruns[(type(x), *map(type, args))]
            except KeyError:
                return self._method_slow(x, args)
            return run(x, args)
        except TorchError as e:
            t = self._truncated(args)
            if t is not None:   # x:narrow(1, n / 2, 2): Torch7's C read 2.5 as 2
                try:
                    return self._method_slow(x, t)
                except TorchError:
                    pass
            raise lua_error(e, self.decl.name, x, args, self.renumber) from None

    def _truncated(self, args, first=0):
        """args with non-integer numbers truncated where an overload takes a dim or an index
        (None when there is none): tried only after a call failed."""
        pos = self.__dict__.get("_di_pos")
        if pos is None:
            pos = set()
            for ov in self.decl.overloads:
                for i, a in enumerate(ov.args):
                    if a.kind in ("D", "I"):
                        pos.update((i, i - 1))
            self._di_pos = pos
        out, changed = list(args), False
        for i, v in enumerate(out):
            if type(v) is float and i + first in pos and v == v and abs(v) != float("inf") and not v.is_integer():
                out[i] = int(v)
                changed = True
        return tuple(out) if changed else None

    def _method_slow(self, x, args):
        key = (type(x),) + tuple(map(type, args))
        args = args_to_py(args)
        ov, mode, spec = self._plan_method(x, args)
        if type(mode) is tuple:
            run = _results_runner(ov, mode, spec, _out_spec(ov), self.conv.result)
            if LuaTable not in key and len(self.mruns) < 512:
                self.mruns[key] = run
            return run(x, args)
        nfull = len(args) + (0 if mode == 0 else 1)
        run = _runner(ov, mode, spec, _out_spec(ov), self.conv.result,
                      ov.varsizes or nfull < len(ov.args))
        if LuaTable not in key and len(self.mruns) < 512:
            self.mruns[key] = run
        return run(x, args)

    def _plan_function(self, args):
        d = self.decl
        types = tuple(map(type, args))
        if d.form == "self":
            for ov in d.overloads:
                if _decl._match(ov, args, types) is not None:
                    return ov, None, _in_spec(ov, len(args))
            raise _decl._no_match(d, args)
        for ov in d.overloads:
            if _decl._match(ov, args, types) is not None:
                return ov, 0, _in_spec(ov, len(args))
        for ov in d.overloads:
            k = sum(1 for r in ov.returns if r in _decl.result_kinds(d))
            if k == 0 or len(args) < k:
                continue
            rest = args[k:]
            m = _decl._match(ov, rest, types[k:])
            if m is None:
                continue
            outs = args[:k]
            if _decl._result_ok(ov, outs[0] if k == 1 else tuple(outs), _decl._optype(ov, m), d.form == "new"):
                return ov, k, tuple((i + k, f) for i, f in _in_spec(ov, len(rest)))
        raise _decl._no_match(d, args)

    def function(self, *args):
        try:
            return self._function(args)
        except TorchError as e:
            t = self._truncated(args)
            if t is not None:
                try:
                    return self._function(t)
                except TorchError:
                    pass
            raise lua_error(e, "torch." + self.decl.name, None, args, self.renumber) from None

    def _function(self, args):
        given = args
        args = args_to_py(args)
        key = tuple(map(type, args))
        plan = self.fplans.get(key)
        if plan is None:
            ov, k, spec = self._plan_function(args)
            plan = (ov, k, spec, _out_spec(ov))
            if len(self.fplans) < 512:
                self.fplans[key] = plan
        ov, k, spec, outf = plan
        full = list(args)
        for i, f in spec:
            full[i] = f(full[i])
        if k is None:
            r = ov.impl(*_decl._match(ov, full, tuple(map(type, full))))
        else:
            rest = full[k:]
            m = _decl._match(ov, rest, tuple(map(type, rest)))
            out = None if k == 0 else (full[0] if k == 1 else tuple(full[:k]))
            r = ov.impl(out, *m)
        if type(r) is list and given is not args:
            for lua_arg, py_arg in zip(given, args):
                if py_arg is r and type(lua_arg) is LuaTable:   # a table to fill (torch.split(t, x, n))
                    return self._fill(lua_arg, r)
        if outf is not None:
            r = outf(r)
        return self.conv.result(r)

    def _fill(self, table, values):
        for key in list(table.keys()):
            table[key] = None
        for i, v in enumerate(values):
            table[i + 1] = self.conv.result(v)
        return table


_PLAIN = frozenset((int, float, bool, str, type(None)))


def kind_free(decl):
    """No overload of decl takes or returns a dim, an index or an index tensor."""
    for ov in decl.overloads:
        if any(a.kind in _IN for a in ov.args) or any(k in _OUT for k in ov.returns):
            return False
    return True


def result_view(decl):
    """A view method with arguments (view, expand, viewAs, ...): x:f(src, ...) makes x that view of
    src, a form the Tensor method itself does not take, so Lua must go through the declaration."""
    return decl.form == "new" and any(ov.returns == ("V",) and len(ov.args) > 1 for ov in decl.overloads)


def leading_tensors(decl):
    """How many tensors a view method's own form takes before anything else (viewAs: 1, view: 0)."""
    counts = []
    for ov in decl.overloads:
        n = 0
        for a in ov.args[1:]:
            if a.kind not in ("T", "A"):
                break
            n += 1
        counts.append(n)
    return min(counts) if counts else 0


def shift_positions(decl):
    """For a 'self'/'new' decl whose dims and indices sit at the same argument positions in every
    overload (and whose results need no conversion): those positions (1 = the first after x), so
    Lua can subtract 1 itself and call the Tensor method directly.  None when that is not so."""
    if decl.form == "result":   # a 'result' decl that never writes a tensor result is a plain method
        if any(k in ("T", "M", "L") for ov in decl.overloads for k in ov.returns):
            return None
    elif decl.form not in ("self", "new"):
        return None
    kinds = {}
    for ov in decl.overloads:
        if ov.varsizes or any(k in _OUT for k in ov.returns) or not ov.args or ov.args[0].kind != "T":
            return None
        for p, a in enumerate(ov.args[1:], 1):
            kinds.setdefault(p, set()).add(a.kind)
    pos = []
    for p, ks in kinds.items():
        conv = ks & set(_IN)
        if conv:
            if conv != ks or "L" in conv or "J" in conv or len(conv) > 1:
                return None
            pos.append(p)
    return sorted(pos) if pos and max(pos) <= 3 else None


def number_first(decl):
    """Does x:f(...)'s own form take a number first (x:norm(p, dim)), so that a tensor there is
    the result-first form (res:norm(src, p, dim)) whose dims sit one place later?"""
    return decl.form in ("new", "result") and all(
        len(ov.args) < 2 or ov.args[1].kind in ("N", "D", "I", "B") for ov in decl.overloads)


try:
    from pytorch_lite._lua_fast import make_fast as _make_fast   # compiled (csrc/_lua_fast.pyx)
except ImportError:    # not built: the same in Python
    _make_fast = None


def fast_method(pm, result, name, renumber=False, shifted=()):
    """x:f(...) straight to the Tensor method (Lua calls it only without table arguments);
    errors are reworded for the Lua caller (``shifted``: the positions Lua made 0-based)."""
    plain = _PLAIN | frozenset(_decl_tensor_types())
    shifted = tuple(shifted)

    def onerr(x, a, e):
        return lua_error(e, name, x, a, renumber, shifted)
    if _make_fast is not None:
        return _make_fast(pm, result, plain, onerr)

    def fast(x, *a):
        try:
            r = pm(x, *a)
        except TorchError as e:
            raise onerr(x, a, e) from None
        if r is x:
            return ()
        return r if type(r) in plain else result(r)
    return fast


def with_meta(fast):
    """fast (a view method's fast_method) answering the view and the address of its plite_meta
    (csrc/_views.pyx), so that Lua's FFI paths can use the view at once."""
    meta_address = _views.meta_address

    def f(x, *a):
        r = fast(x, *a)
        if type(r) is tuple:    # the method returned x itself
            r = x
        return r, meta_address(r)
    return f


def _results_first(ov_list, x, args):
    """x:f(r2, ..., src...) for an operation with several results (values:max(indices, src, 2),
    or values:max(src, 2) with the indices allocated): x is the first result and the tensors that
    follow it the next ones.  A plan (ov, ('results', given, k), spec) or None."""
    for ov in ov_list:
        kinds = [r for r in ov.returns if r in _decl.RESULT_KINDS]
        k = len(kinds)
        if k < 2:
            continue
        for given in range(k):   # results after x found among the arguments
            rest = args[given:]
            m = _decl._match(ov, rest, tuple(map(type, rest)))
            if m is None:
                continue
            outs = (x,) + tuple(args[:given])
            if all(isinstance(o, Tensor) for o in outs):
                return ov, ("results", given, k), _in_spec(ov, len(rest))
    return None


def _results_runner(ov, mode, spec, outf, result):
    _, given, k = mode
    impl = ov.impl

    def run(x, a):
        outs = (x,) + tuple(a[:given]) + (None,) * (k - 1 - given)
        full = list(a[given:])
        for i, f in spec:
            full[i] = f(full[i])
        r = impl(outs, *_decl._match(ov, full, tuple(map(type, full))))
        if outf is not None:
            r = outf(r)
        return result(r)
    return run


def _runner(ov, mode, spec, outf, result, rematch):
    """A call specialised for one plan: the argument conversions, the implementation, the result."""
    impl = ov.impl
    plain = _PLAIN | frozenset(t for t in _decl_tensor_types())

    def res(r):
        return r if type(r) in plain else result(r)

    # the Lua side (prelude's lua_method) turns "no results" into the caller's own x
    if not spec and not rematch and outf is None:
        if mode == 0:
            def run0(x, a):
                r = impl(x, *a)
                return () if r is x else (r if type(r) in plain else result(r))
            return run0
        if mode == 1:
            def run1(x, a):
                r = impl(x, x, *a)
                return () if r is x else (r if type(r) in plain else result(r))
            return run1
        if mode == 2:
            return lambda x, a: res(impl(None, x, *a))

        def run3(x, a):
            r = impl(x, *a)
            return () if r is x else (r if type(r) in plain else result(r))
        return run3

    def run(x, a):
        full = list(a) if mode == 0 else [x, *a]
        for i, f in spec:
            full[i] = f(full[i])
        if rematch:
            full = _decl._match(ov, full, tuple(map(type, full)))
        if mode == 0 or mode == 1:
            r = impl(x, *full)
        elif mode == 2:
            r = impl(None, *full)
        else:
            r = impl(*full)
        if outf is not None:
            r = outf(r)
        if r is x:
            return ()
        return res(r)
    return run


def _decl_tensor_types():
    from pytorch_lite.tensor import TENSOR_TYPES
    return TENSOR_TYPES.values()


# -- tensor indexing from Lua -----------------------------------------------------------------------

def _lua_key(t, key):
    """A Lua index (number or table of numbers / {a,b} ranges / {}) -> a Python key."""
    if type(key) is LuaTable:
        key = _plain_table(key)
    elif isinstance(key, Storage) and not isinstance(key, torch.ByteStorage):
        key = [int(v) for v in key.tolist()]   # x[#x]: a LongStorage of indices, one per dimension
    if isinstance(key, (int, float)):
        return _index_in(key)
    if isinstance(key, list):
        out = []
        for d, k in enumerate(key):
            if isinstance(k, (int, float)) and not isinstance(k, bool):
                out.append(_index_in(k))
            elif isinstance(k, list):
                n = t._size[d] if d < len(t._size) else 0
                if not k:
                    out.append(slice(None))
                    continue
                a = int(k[0])
                b = int(k[1]) if len(k) > 1 else a
                a = a - 1 if a > 0 else a + n
                b = b if b > 0 else b + n + 1
                out.append(slice(a, b))
            else:
                raise TorchTypeError("invalid tensor index %r" % (k,))
        return tuple(out)
    if isinstance(key, LongTensor):
        return _long_in(key)
    if isinstance(key, Tensor) and key.typename == "torch.CudaLongTensor":
        return _long_in(key)   # 1-based too
    if isinstance(key, Tensor):
        return key
    if isinstance(key, Storage) and key.typename == "torch.LongStorage":   # x[#x]: one element
        if key.size() != len(t._size):
            raise TorchIndexError("a LongStorage index needs %d coordinates, got %d" % (len(t._size), key.size()))
        return tuple(_index_in(int(k)) for k in key._data)
    raise TorchTypeError("invalid tensor index %r" % (key,))


def _reworded(e):
    """An indexing error from Python (0-based words) as the Lua user sees it (1-based)."""
    if getattr(e, "lua_based", False):
        return e
    out = type(e)(lua_message(str(e)))
    out.lua_based = True
    return out


def tensor_get(t, key):
    if type(key) is int and len(t._size) == 1:
        n = t._size[0]
        if 0 < key <= n:
            return t._storage._data[t._offset + (key - 1) * t._stride[0]].item()
    try:
        return t[_lua_key(t, key)]
    except TorchError as e:
        raise _reworded(e) from None


def tensor_set(t, key, value):
    if type(key) is str:
        raise TorchTypeError("cannot set field %r of a tensor" % key)
    if type(key) is int and len(t._size) == 1:
        n = t._size[0]
        if 0 < key <= n and not isinstance(value, Tensor):
            t[key - 1] = value
            return
    try:
        t[_lua_key(t, key)] = value
    except TorchError as e:
        raise _reworded(e) from None


def storage_get(s, i):
    try:
        return s[_index_in(i)]
    except TorchError as e:
        raise _reworded(e) from None


def storage_set(s, i, v):
    try:
        s[_index_in(i)] = v
    except TorchError as e:
        raise _reworded(e) from None


# -- Torch7 operators on tensors ---------------------------------------------------------------------

def _isT(v):
    return isinstance(v, Tensor)


def op_add(a, b):
    if _isT(a) and _isT(b):
        return torch.add(a, b)
    if _isT(a):
        return torch.add(a, b)
    return torch.add(b, a)


def op_sub(a, b):
    if _isT(a) and _isT(b):
        return torch.add(a, -1, b)
    if _isT(a):
        return torch.add(a, -b)
    return torch.add(torch.neg(b), a)


def op_mul(a, b):
    if _isT(a) and _isT(b):
        nd = (a.dim(), b.dim())
        if nd == (1, 1):
            return torch.dot(a, b)
        if nd == (2, 1):
            return torch.mv(a, b)
        if nd == (2, 2):
            return torch.mm(a, b)
        raise TorchValueError("multiplication between %dD and %dD tensors is not supported" % nd)
    if _isT(a):
        return torch.mul(a, b)
    return torch.mul(b, a)


def op_div(a, b):
    if _isT(a) and not _isT(b):
        return torch.div(a, b)
    raise TorchTypeError("division is only supported for a tensor divided by a number")


def op_unm(a, _=None):
    return torch.neg(a)


def op_len(a, _=None):
    if _isT(a):
        return a.size()
    if isinstance(a, Storage):
        return a.size()
    return len(a)
