"""Writing Torch7's t7 format (File.lua's writeObject, Tensor/Storage write, THDiskFile encodings).

Objects are numbered in the order Torch7 numbers them (every table, torch object and recursive
function gets the next index, the field table of a torch object included), so a file that was
read and is written back unchanged gives the same bytes.
"""
import math
import struct
import sys

import numpy as np

from ..convert import convert_array
from ..errors import TorchTypeError, TorchValueError
from ..random import Generator
from ..storage import Storage
from ..tensor import Tensor
from . import registry
from .reader import (ELEMENTS, TORCH_CLASSES, TYPE_NIL, TYPE_NUMBER, TYPE_STRING, TYPE_TABLE,
                     TYPE_TORCH, TYPE_BOOLEAN, TYPE_FUNCTION, MAX_DEPTH)
from .types import (TorchObject, LuaFunction, LuaList, LuaKey, TdsHash, TdsVec, ORIGINAL_TYPENAME,
                    SelfWriting, remembered_version)

_I32 = struct.Struct("<i")
_I64 = struct.Struct("<q")
_F64 = struct.Struct("<d")
_BIG = 1 << 16

# set by a Lua bridge: obj -> a context manager giving obj with the Lua tables it holds as Python
# lists/dicts while it is written (the same object when it holds none); None: no bridge loaded
foreign_tables = None
# set by a Lua bridge: obj -> None, or write(writer) -> bytes when obj's class writes itself (a Lua
# ``write`` method, which Torch7's File:writeObject calls after the version and class name): what it
# writes through a File over this writer (its objects numbered with the rest) is the object's body
custom_write = None


def _wrap32(v):
    return ((v + 2 ** 31) & 0xFFFFFFFF) - 2 ** 31


def c_format_g(x, prec):
    """printf('%.<prec>g', x) as glibc prints it (nan keeps its sign: 'nan' / '-nan')."""
    if x != x:
        return "-nan" if math.copysign(1.0, x) < 0 else "nan"
    return "%.*g" % (prec, x)


class BinarySink:
    def __init__(self, fileobj=None, longsize=8):
        self.f = fileobj
        self.buf = bytearray()
        self.longsize = longsize

    def int(self, v):
        try:
            self.buf += _I32.pack(v)
        except struct.error:
            raise TorchValueError("t7: integer %r does not fit in a 32-bit int" % (v,)) from None

    def long(self, v):
        if self.longsize == 8:
            try:
                self.buf += _I64.pack(v)
            except struct.error:
                raise TorchValueError("t7: integer %r does not fit in a long" % (v,)) from None
        else:
            self.buf += _I32.pack(_wrap32(v))

    def longs(self, vals):
        for v in vals:
            self.long(v)

    def double(self, x):
        self.buf += _F64.pack(x)

    def raw(self, b):
        if self.f is not None and len(b) >= _BIG:
            self.flush()
            _write_all(self.f, memoryview(b).cast("B"))
        else:
            self.buf += b

    def array(self, arr, elem):
        dtype = ELEMENTS[elem][0]
        if elem == "Long" and self.longsize == 4:
            arr = arr.astype("<i4")
        elif arr.dtype != dtype:
            arr = arr.astype(dtype)
        arr = np.ascontiguousarray(arr)
        if arr.size:
            self.raw(memoryview(arr).cast("B"))

    def flush(self):
        if self.f is not None and self.buf:
            _write_all(self.f, self.buf)
            self.buf = bytearray()

    def maybe_flush(self):
        if self.f is not None and len(self.buf) >= _BIG:
            self.flush()


def _write_all(f, mv):
    mv = memoryview(mv)
    n = len(mv)
    done = 0
    while done < n:
        k = f.write(mv[done:])
        if k is None or k <= 0:
            raise OSError("t7: short write")
        done += k


class AsciiSink(BinarySink):
    """THDiskFile ascii mode: every number read/written as text followed by a newline; Byte/Char
    data and strings as raw bytes followed by a newline (nothing for zero bytes)."""

    def int(self, v):
        self.buf += b"%d\n" % v

    long = int

    def longs(self, vals):
        if vals:
            self.buf += " ".join(str(int(v)) for v in vals).encode() + b"\n"

    def double(self, x):
        self.buf += c_format_g(x, 17).encode() + b"\n"

    def raw(self, b):
        if len(b):
            BinarySink.raw(self, b)
            self.buf += b"\n"

    def array(self, arr, elem):
        n = arr.shape[0]
        if not n:
            return
        fmt = ELEMENTS[elem][1]
        if fmt == "raw":
            self.raw(memoryview(np.ascontiguousarray(arr)).cast("B"))
            return
        if fmt in ("int", "long"):
            text = " ".join(map(str, arr.tolist()))
        else:
            prec = 17 if fmt == "double" else 9
            text = " ".join([c_format_g(x, prec) for x in arr.astype(np.float64).tolist()])
        self.buf += text.encode() + b"\n"
        self.maybe_flush()


class Writer:
    def __init__(self, sink, referenced=True, restore_cuda=False):
        self.sink = sink
        self.referenced = referenced
        self.restore_cuda = restore_cuda
        self.memo = {}
        self.keep = []
        self.counter = 0
        self.active = set()

    def write_root(self, obj):
        hook = foreign_tables
        if hook is not None:   # Lua tables a Lua script set in a module (nn.Jacobian.testIO, clone)
            with hook(obj) as plain:
                return self._write_root(plain)
        return self._write_root(obj)

    def _write_root(self, obj):
        old = sys.getrecursionlimit()
        if old < 4 * MAX_DEPTH + 1000:
            sys.setrecursionlimit(4 * MAX_DEPTH + 1000)
        try:
            self.write_object(obj)
        except RecursionError:
            raise TorchValueError("t7: object nested too deeply to write") from None
        finally:
            sys.setrecursionlimit(old)
        self.sink.flush()

    # -- values ------------------------------------------------------------------------------
    def write_object(self, obj):
        s = self.sink
        if obj is None:
            s.int(TYPE_NIL)
            return
        if isinstance(obj, LuaKey):
            obj = obj.value
        if isinstance(obj, (bool, np.bool_)):
            s.int(TYPE_BOOLEAN)
            s.int(1 if obj else 0)
            return
        if isinstance(obj, (int, float, np.integer, np.floating)):
            s.int(TYPE_NUMBER)
            try:
                s.double(float(obj))
            except OverflowError:
                raise TorchValueError("t7: number %r is too large for a Lua number" % (obj,)) from None
            return
        if isinstance(obj, str):
            try:
                b = obj.encode("utf-8")
            except UnicodeEncodeError as e:
                raise TorchValueError("t7: string cannot be encoded as UTF-8: %s" % e) from None
            self._string(TYPE_STRING, b)
            return
        if isinstance(obj, (bytes, bytearray, memoryview)):
            self._string(TYPE_STRING, bytes(obj))
            return
        if isinstance(obj, LuaFunction) and obj.tag == TYPE_FUNCTION:
            self._string(TYPE_FUNCTION, obj.bytecode)
            self.write_object(obj.upvalues)
            return
        kind = self._kind(obj)
        tag = TYPE_TABLE if kind == "table" else obj.tag if kind == "function" else TYPE_TORCH
        key = id(obj)
        if self.referenced:
            index = self.memo.get(key)
            if index is not None:
                s.int(tag)
                s.int(index)
                return
        elif key in self.active:
            raise TorchValueError("t7: a table or object contains itself; cycles need referenced=True")
        self.counter += 1
        index = self.counter
        if self.referenced:
            self.memo[key] = index
            self.keep.append(obj)
        s.int(tag)
        s.int(index)
        self.active.add(key)
        try:
            if kind == "table":
                self._table_body(obj)
            elif kind == "function":
                self._string(None, obj.bytecode)
                self.write_object(obj.upvalues)
            else:
                self._torch_body(obj, kind)
        finally:
            self.active.discard(key)
        s.maybe_flush()

    def _kind(self, obj):
        if isinstance(obj, Tensor):
            return "tensor"
        if isinstance(obj, Storage):
            return "storage"
        if isinstance(obj, TorchObject):
            return "object"
        if isinstance(obj, (TdsHash, TdsVec)):
            return "tds"
        if isinstance(obj, Generator):
            return "generator"
        if isinstance(obj, LuaFunction):
            return "function"
        if isinstance(obj, SelfWriting):
            return "self-writing"
        if registry.write_name(obj) is not None:
            return "registered"
        if isinstance(obj, (dict, list, tuple)):
            return "table"
        raise TorchTypeError("t7: cannot write an object of type %s" % type(obj).__name__)

    def _string(self, tag, b):
        s = self.sink
        if tag is not None:
            s.int(tag)
        s.int(len(b))
        s.raw(b)

    # -- tables ------------------------------------------------------------------------------
    def _table_body(self, obj):
        # a Lua table holds no nil values: None entries are left out, as Lua would
        s = self.sink
        if isinstance(obj, dict):
            items = [(k, v) for k, v in obj.items() if v is not None]
            s.int(len(items))
            for k, v in items:
                if k is None:
                    raise TorchValueError("t7: a table key cannot be nil (None)")
                self.write_object(k)
                self.write_object(v)
            return
        n = len(obj)
        order = getattr(obj, "key_order", None) if isinstance(obj, LuaList) else None
        if order is None or len(order) != n or sorted(order) != list(range(1, n + 1)):
            order = range(1, n + 1)
        keys = [i for i in order if obj[i - 1] is not None]
        s.int(len(keys))
        for i in keys:
            s.int(TYPE_NUMBER)
            s.double(float(i))
            self.write_object(obj[i - 1])

    def _fresh_table(self, fields):
        """A torch object's field table: always a new table (Torch7 builds it on the fly)."""
        if not isinstance(fields, (dict, list, tuple)):
            raise TorchTypeError("t7: the fields of a torch object must be a dict, got %s" % type(fields).__name__)
        self.counter += 1
        self.sink.int(TYPE_TABLE)
        self.sink.int(self.counter)
        self._table_body(fields)

    # -- torch objects -----------------------------------------------------------------------
    def _header(self, version, name):
        if version is not None:
            self._string(None, version.encode("utf-8", "surrogateescape"))
        self._string(None, name.encode("utf-8", "surrogateescape"))

    def _class_name(self, obj):
        name = type(obj).typename
        if self.restore_cuda:
            name = ORIGINAL_TYPENAME.get(obj, name)
        return name

    def _torch_body(self, obj, kind):
        s = self.sink
        if kind == "tensor":
            name = self._class_name(obj)
            self._header("V 1", name)
            s.int(len(obj._size))
            s.longs(obj._size)
            s.longs(obj._stride)
            s.long(obj._offset + 1)
            self.write_object(obj._storage)
        elif kind == "storage":
            name = self._class_name(obj)
            self._header("V 1", name)
            elem = TORCH_CLASSES[name][1]
            arr = obj._data
            if type(arr) is not np.ndarray and hasattr(arr, "get"):
                arr = arr.get()   # a Cuda storage on the device: written from a host copy
            dtype = ELEMENTS[elem][0].newbyteorder("=")
            if arr.dtype != dtype:
                arr = convert_array(arr, dtype)
            s.long(arr.shape[0])
            s.array(arr, elem)
        elif kind == "generator":   # Torch7's Generator.c writes its raw THGenerator bytes
            self._header("V 1", "torch.Generator")
            s.raw(obj.write_raw())
        elif kind == "object":
            self._header(obj.version, obj.typename)
            self._fresh_table(obj.fields)
        elif kind == "tds":
            self._header(obj.version, obj.typename)
            s.long(len(obj))
            if isinstance(obj, TdsVec):
                for v in obj:
                    self.write_object(v)
            else:
                for k, v in obj.items():
                    self.write_object(k)
                    self.write_object(v)
        elif kind == "self-writing":
            body = custom_write(obj) if custom_write is not None else None
            if body is None:
                raise TorchTypeError("t7: an object of class %s writes itself (its write method), which "
                                     "needs the Lua bridge that made it" % obj.typename)
            self._header(obj.version, obj.typename)
            self._splice(body)
        else:
            name = registry.write_name(obj)
            body = custom_write(obj) if custom_write is not None else None
            if body is not None:   # a class given its own write method from Lua (dpnn's nn.Serial)
                self._header("V 1", name)
                self._splice(body)
                return
            if hasattr(obj, "__t7_write__"):
                fields = obj.__t7_write__()
            else:
                fields = obj.to_t7()
            version = remembered_version(obj, getattr(obj, "__t7_version__", 1))
            if version is not None and not isinstance(version, str):
                version = "V %s" % _lua_tostring(version)
            self._header(version, name)
            self.keep.append(fields)
            self._fresh_table(fields)

    def _splice(self, body):
        """The bytes body(self) writes go here in the stream; what is pending stays before them and
        nothing reaches the file meanwhile (body writes numbers and objects in its own order)."""
        s = self.sink
        pending, f = s.buf, s.f
        s.buf, s.f = bytearray(), None
        try:
            out = body(self)
            rest = s.buf
        finally:
            s.buf, s.f = pending, f
        s.buf += out
        s.buf += rest
        s.maybe_flush()


def _lua_tostring(x):
    if isinstance(x, float) and x.is_integer():
        return "%d" % x
    return "%.14g" % x if isinstance(x, float) else str(x)
