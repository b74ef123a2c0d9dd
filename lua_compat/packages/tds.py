"""Python side of `require 'tds'` (lua/tds.lua): tds.Hash and tds.Vec are the serializer's TdsHash
(a dict) and TdsVec (a list), so a t7 file written by the real tds loads as live containers in
Lua and in Python, and writes back byte for byte.  Indices are 1-based here, at the bridge."""
import threading

from pytorch_lite.errors import TorchIndexError, TorchTypeError
from pytorch_lite.serialization.types import TdsHash, TdsVec

from .. import objects
from ..bridge import LuaTable


class AtomicCounter:
    """tds.AtomicCounter([value]): one integer shared by every thread (it crosses to the workers by
    reference, like the containers); inc() adds one and returns the value before, as tds's."""
    typename = "tds.AtomicCounter"

    def __init__(self, value=0):
        self._lock = threading.Lock()
        self._value = _count(value)

    def inc(self):
        with self._lock:
            v = self._value
            self._value += 1
            return v

    def get(self):
        return self._value

    def set(self, value):
        with self._lock:
            self._value = _count(value)

    def __repr__(self):
        return "tds.AtomicCounter(%d)" % self._value


def _count(v):
    if isinstance(v, bool) or not isinstance(v, (int, float)) or v != int(v):
        raise TorchTypeError("tds.AtomicCounter: expected an integer, got %r" % (v,))
    return int(v)


def _register():
    # objects.kindof serves an object by its class's typename once the class is a torch class;
    # lua/tds.lua then installs the handlers for these names
    classes = objects.torch_classes()
    classes.setdefault("tds.Hash", TdsHash)
    classes.setdefault("tds.Vec", TdsVec)
    classes.setdefault("tds.AtomicCounter", AtomicCounter)


def _value_in(v, where):
    if type(v) is LuaTable:
        raise TorchTypeError("%s: a value must be a number, string, boolean, tensor or tds container, "
                             "not a Lua table" % where)
    return v


def _out(v):
    t = type(v)
    if t is list or t is dict:
        return objects._view(v)
    return v


def bridge(runtime):
    _register()

    def vec_new(values=None):
        v = TdsVec()
        if values is not None:
            n = len(values)
            v.extend(_value_in(values[i + 1], "tds.Vec") for i in range(n))
        return v

    def hash_new(values=None):
        h = TdsHash()
        if values is not None:
            for k, e in values.items():
                h[k] = _value_in(e, "tds.Hash")
        return h

    def vec_get(v, i):
        if type(i) is int and 0 < i <= len(v):
            return _out(v[i - 1])
        return None

    def vec_set(v, i, value):
        if not isinstance(i, (int, float)) or i < 1 or i != int(i):
            raise TorchIndexError("tds.Vec: index must be a positive integer, got %r" % (i,))
        i = int(i)
        value = _value_in(value, "tds.Vec")
        if i > len(v):
            v.extend([None] * (i - len(v)))   # tds.Vec grows to the index, holes are nil
        v[i - 1] = value

    def vec_insert(v, i, value):
        if not 1 <= i <= len(v) + 1:
            raise TorchIndexError("tds.Vec: insert position %d is out of range [1, %d]" % (i, len(v) + 1))
        v.insert(i - 1, _value_in(value, "tds.Vec"))

    def vec_remove(v, i):
        if not 1 <= i <= len(v):
            raise TorchIndexError("tds.Vec: remove position %d is out of range [1, %d]" % (i, len(v)))
        return _out(v.pop(i - 1))

    def vec_resize(v, n):
        n = int(n)
        if n < 0:
            raise TorchIndexError("tds.Vec: size must be >= 0, got %d" % n)
        del v[n:]
        v.extend([None] * (n - len(v)))

    def hash_set(h, k, value):
        if k is None:
            raise TorchIndexError("tds.Hash: key is nil")
        if value is None:
            h.pop(k, None)
        else:
            h[k] = _value_in(value, "tds.Hash")

    def items(h):
        """A snapshot of h's (key, value) pairs, stepped through by item_next."""
        return iter(list(h.items()))

    def item_next(it):
        for k, v in it:
            return k, _out(v)
        return None

    return dict(
        vec_new=vec_new, hash_new=hash_new, vec_get=vec_get, vec_set=vec_set, vec_len=len,
        vec_insert=vec_insert, vec_remove=vec_remove, vec_resize=vec_resize,
        vec_clear=lambda v: v.clear(), hash_get=lambda h, k: _out(h.get(k)), hash_set=hash_set,
        hash_len=len, hash_clear=lambda h: h.clear(), items=items, item_next=item_next,
        is_vec=lambda o: isinstance(o, TdsVec), is_hash=lambda o: isinstance(o, TdsHash),
        counter_new=lambda value=0: AtomicCounter(0 if value is None else value),
        counter_inc=lambda c: c.inc(), counter_get=lambda c: c.get(), counter_set=lambda c, v: c.set(v),
    )
