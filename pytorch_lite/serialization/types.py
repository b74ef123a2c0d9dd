"""The Python values that stand for t7 things that have no natural Python type.

``TorchObject``   a Torch class instance no registered Python class claims (keeps its class name,
                  version string and fields, so it writes back byte for byte).
``LuaFunction``   Lua bytecode kept as an opaque blob (only with ``allow_functions=True``).
``LuaList``       a list whose Lua keys 1..n came in another order than 1, 2, ..., n.
``LuaKey``        a table key Python cannot hash as itself (a table, tensor or object used as a
                  key; a boolean key in a table that also has the number key 0 or 1).
``TdsHash``/``TdsVec``  the tds package's containers (their own binary layout).
``SelfWriting``   an instance of a Lua class with its own ``write`` method, on its way to a file.
``T7FormatError`` the one exception a corrupt or foreign file raises.
"""
import weakref

from ..errors import TorchError


class T7FormatError(TorchError, ValueError):
    """A t7 stream that is not what Torch7 writes: ``offset`` is the byte where reading went wrong,
    ``expected`` what the reader wanted there."""

    def __init__(self, message, offset=None, expected=None):
        self.offset = offset
        self.expected = expected
        self.detail = message
        text = message
        if offset is not None:
            text = "t7 format error at byte offset %d: %s" % (offset, message)
        if expected:
            text += " (expected %s)" % expected
        super().__init__(text)


class T7FunctionError(T7FormatError):
    """A Lua function in a file loaded without ``allow_functions=True``."""


class SelfWriting:
    """An instance of a class written by its own ``write(file)`` method, as Torch7's File:writeObject
    calls it after the class name: ``obj`` is the instance and ``write`` the method, both opaque
    here (the Lua bridge's, given back to ``writer.custom_write``)."""

    __slots__ = ("typename", "obj", "write", "version", "__weakref__")

    def __init__(self, typename, obj, write, version="V 1"):
        self.typename, self.obj, self.write, self.version = typename, obj, write, version


class TorchObject:
    """An instance of a Torch class (``torch.class``) with no registered Python class.

    ``typename`` is the Torch class name ('nn.Linear'), ``fields`` the object's table (a dict in
    the order the file had it), ``version`` the version string as written ('V 1'), or None for a
    file written before versioning (class name only).  Fields read like attributes or items.
    """

    __slots__ = ("typename", "fields", "version")

    def __init__(self, typename, fields=None, version="V 1"):
        object.__setattr__(self, "typename", typename)
        object.__setattr__(self, "fields", {} if fields is None else fields)
        object.__setattr__(self, "version", version)

    @property
    def __typename__(self):
        return self.typename

    def torch_typename(self):
        return self.typename

    def __getattr__(self, name):
        try:
            return object.__getattribute__(self, "fields")[name]
        except (KeyError, AttributeError):
            raise AttributeError("%s object has no field %r" % (self.typename, name)) from None

    def __setattr__(self, name, value):
        if name in TorchObject.__slots__:
            object.__setattr__(self, name, value)
        else:
            self.fields[name] = value

    def __getitem__(self, key):
        return self.fields[key]

    def __setitem__(self, key, value):
        self.fields[key] = value

    def __contains__(self, key):
        return key in self.fields

    def keys(self):
        return self.fields.keys()

    def __dir__(self):
        return list(object.__dir__(self)) + [k for k in self.fields if isinstance(k, str)]

    def __repr__(self):
        names = ", ".join(str(k) for k in list(self.fields)[:8])
        more = ", ..." if len(self.fields) > 8 else ""
        return "<TorchObject %s {%s%s}>" % (self.typename, names, more)


class LuaFunction:
    """Lua bytecode from a t7 file, never executed: ``tag`` is the type tag it was stored with
    (6 function, 7 legacy recursive function, 8 recursive function), ``bytecode`` the dumped
    chunk, ``upvalues`` the upvalue table that followed it."""

    __slots__ = ("tag", "bytecode", "upvalues", "__weakref__")

    def __init__(self, bytecode, upvalues=None, tag=8):
        self.tag = tag
        self.bytecode = bytes(bytecode)
        self.upvalues = upvalues

    def __repr__(self):
        return "<LuaFunction: %d bytes of bytecode>" % len(self.bytecode)


class LuaList(list):
    """A Lua array whose keys 1..n were stored in the order ``key_order`` (1-based); written back
    in that order while it still is a permutation of 1..len(self)."""

    def __init__(self, values=(), key_order=None):
        super().__init__(values)
        self.key_order = key_order


class LuaKey:
    """A table key that cannot be a Python dict key as itself.  Objects compare by identity,
    booleans by value (so ``LuaKey(True)`` and the number 1 stay two keys)."""

    __slots__ = ("value",)

    def __init__(self, value):
        self.value = value

    def _k(self):
        v = self.value
        return ("b", v) if isinstance(v, bool) else ("o", id(v))

    def __eq__(self, other):
        return isinstance(other, LuaKey) and self._k() == other._k()

    def __hash__(self):
        return hash(self._k())

    def __repr__(self):
        return "LuaKey(%r)" % (self.value if isinstance(self.value, bool) else type(self.value).__name__)


class TdsHash(dict):
    """tds.Hash: a dict written as a long count followed by key/value objects."""
    typename = "tds.Hash"

    def __init__(self, *args, version="V 0", **kw):
        super().__init__(*args, **kw)
        self.version = version


class TdsVec(list):
    """tds.Vec: a list written as a long count followed by its elements."""
    typename = "tds.Vec"

    def __init__(self, values=(), version="V 0"):
        super().__init__(values)
        self.version = version


class _IdWeakMap:
    """obj -> value by identity, forgetting an entry when its object dies (tensors compare
    element-wise, so a WeakKeyDictionary cannot hold them)."""

    def __init__(self):
        self._d = {}

    def set(self, obj, value):
        key = id(obj)
        d = self._d

        def gone(_ref, key=key, d=d):
            entry = d.get(key)
            if entry is not None and entry[0] is _ref:
                del d[key]

        d[key] = (weakref.ref(obj, gone), value)

    def get(self, obj, default=None):
        entry = self._d.get(id(obj))
        if entry is not None and entry[0]() is obj:
            return entry[1]
        return default

    def discard(self, obj):
        if self.get(obj) is not None:
            del self._d[id(obj)]


# tensors/storages loaded from a Cuda* class remember that class name here
ORIGINAL_TYPENAME = _IdWeakMap()
# objects of registered classes remember the version string their file had ('V 2'; None: none)
ORIGINAL_VERSION = _IdWeakMap()
_NO_VERSION = object()


def remember_version(obj, version):
    try:
        ORIGINAL_VERSION.set(obj, _NO_VERSION if version is None else version)
    except TypeError:  # no weak references to this object: the class's own version is used
        pass


def remembered_version(obj, default):
    v = ORIGINAL_VERSION.get(obj, default)
    return None if v is _NO_VERSION else v


def original_typename(obj):
    """The class name a tensor or storage had in its file when it was loaded from a Cuda* type
    ('torch.CudaTensor'), else None."""
    return ORIGINAL_TYPENAME.get(obj)
