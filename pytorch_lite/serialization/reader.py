"""Reading Torch7's t7 format (File.lua's readObject, Tensor/Storage read, THDiskFile's encodings).

Safety: nothing in a file is executed, and no allocation exceeds what the bytes left in the file
can hold (a size field is checked against the remaining length before anything is allocated).
Every inconsistency raises ``T7FormatError`` with the byte offset.
"""
import math
import re
import struct
import sys

import numpy as np

from ..storage import STORAGE_TYPES
from ..tensor import _TYPES
from ..convert import convert_array
from ..random import Generator, STATE_SIZE
from . import registry
from .types import (T7FormatError, T7FunctionError, TorchObject, LuaFunction, LuaList, LuaKey,
                    TdsHash, TdsVec, ORIGINAL_TYPENAME, remember_version)

# set by a Lua bridge: class name -> None, or read(reader, version number) -> the object, when the
# class reads itself (a Lua ``read`` method, which Torch7's File:readObject calls on a new instance
# after the class name); it registers the instance with reader.remember_new before reading into it
custom_read = None

TYPE_NIL, TYPE_NUMBER, TYPE_STRING, TYPE_TABLE, TYPE_TORCH, TYPE_BOOLEAN = 0, 1, 2, 3, 4, 5
TYPE_FUNCTION, LEGACY_TYPE_RECUR_FUNCTION, TYPE_RECUR_FUNCTION = 6, 7, 8

# element kinds: numpy dtype in the file (binary), bytes per element, ascii printf/scanf family
ELEMENTS = {
    "Byte": (np.dtype("u1"), "raw"),
    "Char": (np.dtype("i1"), "raw"),
    "Short": (np.dtype("<i2"), "int"),
    "Int": (np.dtype("<i4"), "int"),
    "Long": (np.dtype("<i8"), "long"),
    "Float": (np.dtype("<f4"), "float"),
    "Double": (np.dtype("<f8"), "double"),
    "Half": (np.dtype("<f2"), "half"),
}


def _class_table():
    """'torch.CudaTensor' -> ('tensor', 'Float', True), 'torch.IntStorage' -> ('storage', 'Int', False)..."""
    out = {}
    for elem in ELEMENTS:
        for kind, suffix in (("tensor", "Tensor"), ("storage", "Storage")):
            out["torch.%s%s" % (elem, suffix)] = (kind, elem, False)
            cuda = "torch.Cuda%s" % suffix if elem == "Float" else "torch.Cuda%s%s" % (elem, suffix)
            out[cuda] = (kind, elem, True)
    return out


TORCH_CLASSES = _class_table()
# nesting of tables/objects; deeper files are refused, not crashed on (before 3.11 every Python
# call also takes C stack, so the limit is lower there)
MAX_DEPTH = 20000 if sys.version_info >= (3, 11) else 3000

_I32 = struct.Struct("<i")
_I64 = struct.Struct("<q")
_F64 = struct.Struct("<d")
_i32 = _I32.unpack_from
_f64 = _F64.unpack_from
_INT32_RANGE = (-2 ** 31, 2 ** 31 - 1)
_INT64_RANGE = (-2 ** 63, 2 ** 63 - 1)


def lua_number(x):
    """A Lua number (a double) as Python: int when integral and exactly representable both ways
    (so writing it back gives the same double), float otherwise (-0.0, inf, nan, 2^63 and up)."""
    if x.is_integer() and -9.2233720368547758e18 <= x < 9.2233720368547758e18:
        if x == 0 and math.copysign(1.0, x) < 0:
            return x
        return int(x)
    return x


def lua_string(b):
    """String bytes as str when valid UTF-8 (re-encoding gives the same bytes), else bytes."""
    try:
        return b.decode("utf-8")
    except UnicodeDecodeError:
        return bytes(b)


# -- byte sources -----------------------------------------------------------------------------
class BinarySource:
    """Little-endian binary primitives over bytes in memory or a raw file (read in chunks; big
    arrays go straight from the file into their numpy buffer)."""
    binary = True
    CHUNK = 1 << 16

    def __init__(self, data=None, fileobj=None, size=None, longsize=8):
        if fileobj is None:
            self.buf = data if isinstance(data, bytes) else bytes(data)
            self.size = len(self.buf)
        else:
            self.buf = b""
            self.size = size
        self.end = len(self.buf)  # len(buf)
        self.f = fileobj
        self.base = 0      # absolute offset of buf[0]
        self.pos = 0       # position inside buf
        self.longsize = longsize
        self._long = (_I64 if longsize == 8 else _I32).unpack_from
        self._longs_fmt = "<%d" + ("q" if longsize == 8 else "i")

    def offset(self):
        return self.base + self.pos

    def remaining(self):
        return self.size - self.base - self.pos

    def _truncated(self, n, what):
        raise T7FormatError("file ends after %d more bytes" % max(self.remaining(), 0),
                            self.offset(), "%d bytes for %s" % (n, what))

    def _fill(self, n, what):
        """Make n bytes available at pos (reading the next chunk of the file if needed)."""
        avail = self.end - self.pos
        if avail >= n:
            return
        if self.f is None or self.remaining() < n:
            self._truncated(n, what)
        rest = self.buf[self.pos:]
        want = max(n - avail, self.CHUNK)
        more = self.f.read(want) or b""
        while len(rest) + len(more) < n:
            extra = self.f.read(n - len(rest) - len(more))
            if not extra:
                break
            more += extra
        self.base += self.pos
        self.pos = 0
        self.buf = rest + more
        self.end = len(self.buf)
        if self.end < n:
            self.size = self.base + self.end  # the file shrank under us
            self._truncated(n, what)

    def read_int(self, what="an int"):
        pos = self.pos
        if pos + 4 > self.end:
            self._fill(4, what)
            pos = self.pos
        self.pos = pos + 4
        return _i32(self.buf, pos)[0]

    def read_long(self, what="a long"):
        pos = self.pos
        ls = self.longsize
        if pos + ls > self.end:
            self._fill(ls, what)
            pos = self.pos
        self.pos = pos + ls
        return self._long(self.buf, pos)[0]

    def read_longs(self, n, what="longs"):
        k = n * self.longsize
        self._fill(k, what)
        v = struct.unpack_from(self._longs_fmt % n, self.buf, self.pos)
        self.pos += k
        return v

    def read_double(self, what="a double"):
        pos = self.pos
        if pos + 8 > self.end:
            self._fill(8, what)
            pos = self.pos
        self.pos = pos + 8
        return _f64(self.buf, pos)[0]

    def read_raw(self, n, what="bytes"):
        if n <= self.CHUNK:
            pos = self.pos
            if pos + n > self.end:
                self._fill(n, what)
                pos = self.pos
            self.pos = pos + n
            return self.buf[pos:pos + n]
        out = bytearray(n)
        self._read_into(memoryview(out), what)
        return bytes(out)

    def _read_into(self, mv, what):
        n = len(mv)
        if self.remaining() < n:
            self._truncated(n, what)
        avail = min(len(self.buf) - self.pos, n)
        mv[:avail] = memoryview(self.buf)[self.pos:self.pos + avail]
        self.pos += avail
        got = avail
        if got < n:
            # buffer exhausted: stream the rest straight from the file
            self.base += self.pos
            self.pos = 0
            self.buf = b""
            self.end = 0
            while got < n:
                k = self.f.readinto(mv[got:])
                if not k:
                    self.size = self.base + got
                    raise T7FormatError("file ends inside %s" % what, self.base + got,
                                        "%d more bytes" % (n - got))
                got += k
            self.base += n - avail

    def read_array(self, elem, n, what):
        dtype, _ = ELEMENTS[elem]
        if elem == "Long" and self.longsize == 4:
            arr = np.empty(n, "<i4")
            self._read_into(memoryview(arr).cast("B"), what)
            return arr.astype(np.int64)
        arr = np.empty(n, dtype)
        if n:
            self._read_into(memoryview(arr).cast("B"), what)
        if not dtype.isnative:
            arr = arr.astype(dtype.newbyteorder("="))
        return arr

    def elem_size(self, elem):
        if elem == "Long":
            return self.longsize
        return ELEMENTS[elem][0].itemsize

    def min_entry(self):
        return 8  # a table entry is at least a key tag and a value tag


_WS = b" \t\n\r\v\f"
_INT_RE = re.compile(rb"[ \t\n\r\v\f]*([+-]?[0-9]+)")
_NUM_RE = re.compile(rb"[ \t\n\r\v\f]*([+-]?(?:(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"
                     rb"|[iI][nN][fF](?:[iI][nN][iI][tT][yY])?|[nN][aA][nN](?:\([0-9A-Za-z_]*\))?))")
_TOKEN_MAX = 400


def _parse_c_double(tok):
    if b"(" in tok:
        tok = tok[:tok.index(b"(")]
    return float(tok)


class AsciiSource:
    """THDiskFile's ascii mode: numbers as text read like fscanf (leading whitespace skipped,
    one newline eaten after each read), strings and Byte/Char data as raw bytes."""
    binary = False
    longsize = 8

    def __init__(self, data):
        self.buf = bytes(data)
        self.pos = 0
        self.size = len(self.buf)

    def offset(self):
        return self.pos

    def remaining(self):
        return self.size - self.pos

    def _eat_newline(self):
        if self.pos < self.size and self.buf[self.pos] == 10:
            self.pos += 1

    def _token(self, regex, what):
        m = regex.match(self.buf, self.pos)
        if m is None or len(m.group(1)) > _TOKEN_MAX:
            start = self.pos
            while start < self.size and self.buf[start] in _WS:
                start += 1
            if start >= self.size:
                raise T7FormatError("file ends", start, what)
            raise T7FormatError("found %r" % self.buf[start:start + 12], start, what)
        self.pos = m.end()
        return m.group(1), m.start(1)

    def _integer(self, lo, hi, what):
        tok, at = self._token(_INT_RE, what)
        v = int(tok)
        if not lo <= v <= hi:
            raise T7FormatError("integer %d out of range" % v, at, what)
        return v

    def read_int(self, what="an int"):
        v = self._integer(_INT32_RANGE[0], _INT32_RANGE[1], what)
        self._eat_newline()
        return v

    def read_long(self, what="a long"):
        v = self._integer(_INT64_RANGE[0], _INT64_RANGE[1], what)
        self._eat_newline()
        return v

    def read_longs(self, n, what="longs"):
        v = tuple(self._integer(_INT64_RANGE[0], _INT64_RANGE[1], what) for _ in range(n))
        if n:
            self._eat_newline()
        return v

    def read_double(self, what="a double"):
        tok, _ = self._token(_NUM_RE, what)
        self._eat_newline()
        return _parse_c_double(tok)

    def read_raw(self, n, what="bytes"):
        if self.remaining() < n:
            raise T7FormatError("file ends after %d more bytes" % self.remaining(), self.pos,
                                "%d bytes for %s" % (n, what))
        v = self.buf[self.pos:self.pos + n]
        self.pos += n
        if n:
            self._eat_newline()
        return v

    def read_array(self, elem, n, what):
        dtype, fmt = ELEMENTS[elem]
        if fmt == "raw":
            return np.frombuffer(self.read_raw(n, what), dtype).copy()
        if fmt in ("int", "long"):
            lo, hi = ((-2 ** 15, 2 ** 15 - 1) if elem == "Short" else
                      _INT32_RANGE if elem == "Int" else _INT64_RANGE)
            vals = [self._integer(lo, hi, what) for _ in range(n)]
            arr = np.array(vals, dtype=dtype.newbyteorder("=")) if n else np.empty(0, dtype.newbyteorder("="))
        else:
            tok = self._token
            vals = [_parse_c_double(tok(_NUM_RE, what)[0]) for _ in range(n)]
            arr = np.array(vals, dtype=np.float64) if n else np.empty(0, np.float64)
            with np.errstate(over="ignore", invalid="ignore"):
                if fmt == "float":
                    arr = arr.astype(np.float32)
                elif fmt == "half":
                    arr = arr.astype(np.float32).astype(np.float16)
        if n:
            self._eat_newline()
        return arr

    def elem_size(self, elem):
        return 1  # an ascii element takes at least one byte

    def min_entry(self):
        return 4


# -- the object reader ------------------------------------------------------------------------
class Reader:
    def __init__(self, src, referenced=True, allow_functions=False, cuda_as=None, use_registry=True):
        self.src = src
        self.use_registry = use_registry
        self.referenced = referenced
        self.allow_functions = allow_functions
        self.cuda_as = cuda_as  # None, an element name ('Float', 'Double', ...), or 'cuda' (keep them)
        self.memo = {}
        self.next_index = 1
        self.building = set()  # indices of tables still being read (for cycles)
        self.cyclic = set()    # of those, the ones referenced from inside themselves
        self.depth = 0
        self._new_index = None   # the index of the object a custom read is making

    def read_root(self):
        old = sys.getrecursionlimit()
        if old < 4 * MAX_DEPTH + 1000:
            sys.setrecursionlimit(4 * MAX_DEPTH + 1000)
        try:
            return self.read_object()
        except RecursionError:
            raise T7FormatError("objects nested too deeply", self.src.offset()) from None
        finally:
            sys.setrecursionlimit(old)

    def _check_count(self, n, per_item, at, what):
        if n < 0:
            raise T7FormatError("negative %s %d" % (what, n), at, "a count >= 0")
        if n * per_item > self.src.remaining():
            raise T7FormatError("%s %d needs at least %d bytes but only %d remain"
                                % (what, n, n * per_item, self.src.remaining()), at,
                                "a %s the file can hold" % what)

    def read_object(self, fields=False):
        src = self.src
        at = src.offset()
        tag = src.read_int("a type tag")
        if tag == TYPE_NIL:
            return None
        if tag == TYPE_NUMBER:
            return lua_number(src.read_double("a number"))
        if tag == TYPE_BOOLEAN:
            return src.read_int("a boolean") == 1
        if tag == TYPE_STRING:
            return lua_string(self._read_string_bytes("a string"))
        if tag == TYPE_FUNCTION:
            return self._read_function(tag, None, at)
        if tag not in (TYPE_TABLE, TYPE_TORCH, TYPE_RECUR_FUNCTION, LEGACY_TYPE_RECUR_FUNCTION):
            raise T7FormatError("bad type tag %d" % tag, at,
                                "a type tag 0..8 (nil, number, string, table, torch, boolean, function)")
        iat = src.offset()
        index = src.read_int("an object index")
        if self.referenced and index in self.memo:
            if index in self.building:
                self.cyclic.add(index)
            return self.memo[index]
        if index != self.next_index:
            if 0 < index < self.next_index:
                raise T7FormatError("object index %d refers to an object that %s" % (
                    index, "is still being read" if self.referenced else
                    "was written by reference (load with referenced=True)"), iat,
                    "a new object #%d" % self.next_index)
            raise T7FormatError("object index %d points nowhere" % index, iat,
                                "a known object or the next new object #%d" % self.next_index)
        self.next_index += 1
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise T7FormatError("objects nested more than %d deep" % MAX_DEPTH, at)
        try:
            if tag == TYPE_TABLE:
                return self._read_table(index, fields)
            if tag == TYPE_TORCH:
                return self._read_torch(index, at)
            return self._read_function(tag, index, at)
        finally:
            self.depth -= 1

    def remember_new(self, obj):
        """The object a custom read (custom_read) is filling in, known before its fields are read
        so that they can refer to it."""
        self._remember(self._new_index, obj)

    def _remember(self, index, obj):
        if self.referenced:
            self.memo[index] = obj

    def _read_string_bytes(self, what):
        src = self.src
        at = src.offset()
        n = src.read_int("the length of %s" % what)
        self._check_count(n, 1, at, "string length")
        return src.read_raw(n, what)

    # tables ---------------------------------------------------------------------------------
    def _read_table(self, index, fields):
        src = self.src
        at = src.offset()
        n = src.read_int("a table size")
        self._check_count(n, src.min_entry(), at, "table size")
        d = {}
        self._remember(index, d)
        self.building.add(index)
        pairs = []
        try:
            for _ in range(n):
                kat = src.offset()
                k = self.read_object()
                if k is None:
                    raise T7FormatError("table key is nil", kat, "a non-nil key")
                pairs.append((k, self.read_object()))
        finally:
            self.building.discard(index)
        wrap_bools = _has_bool_number_clash(pairs)
        for k, v in pairs:
            d[_dict_key(k, wrap_bools)] = v
        if fields:
            return d
        n = len(d)
        if n and index not in self.cyclic and _is_sequence(d):
            order = list(d)
            if order == list(range(1, n + 1)):
                out = list(d.values())
            else:
                out = LuaList([d[i] for i in range(1, n + 1)], key_order=order)
            self._remember(index, out)
            return out
        return d

    # torch objects --------------------------------------------------------------------------
    def _read_torch(self, index, at):
        src = self.src
        vat = src.offset()
        version = self._read_string_bytes("a version string or class name")
        vnum = _version_number(version)
        if vnum is None:
            classname, version, vnum = version, None, 0
        else:
            classname = self._read_string_bytes("a class name")
        name = classname.decode("utf-8", "surrogateescape")
        vstr = None if version is None else version.decode("utf-8", "surrogateescape")
        spec = TORCH_CLASSES.get(name)
        if spec is not None:
            kind, elem, is_cuda = spec
            if kind == "storage":
                obj = self._read_storage(elem, is_cuda, name)
            else:
                obj = self._read_tensor(elem, is_cuda, name, vat)
            self._remember(index, obj)
            return obj
        if name in ("tds.Hash", "tds.Vec"):
            return self._read_tds(name, index, vstr)
        if name == "torch.Generator":
            obj = Generator.__new__(Generator)
            obj.read_raw(src.read_raw(STATE_SIZE, "the generator state"))
            self._remember(index, obj)
            return obj
        hook = custom_read(name) if custom_read is not None else None
        if hook is not None:
            self._new_index = index
            return hook(self, vnum)
        cls = registry.lookup(name) if self.use_registry else None
        if cls is not None and hasattr(cls, "__t7_read__"):
            obj = cls.__new__(cls)
            self._remember(index, obj)
            obj.__t7_read__(self._read_fields(name), vnum)
            remember_version(obj, vstr)
            return obj
        obj = TorchObject(name, None, vstr)
        self._remember(index, obj)
        obj.fields = self._read_fields(name)
        if cls is not None:
            obj = cls.from_t7(obj.fields, vnum)
            remember_version(obj, vstr)
            self._remember(index, obj)
        return obj

    def _read_fields(self, name):
        at = self.src.offset()
        fields = self.read_object(fields=True)
        if not isinstance(fields, dict):
            raise T7FormatError("object of class %s is followed by %s, not a table of fields (a class "
                                "with its own serialization must be registered)" % (name, _what(fields)),
                                at, "a table")
        return fields

    def _read_storage(self, elem, is_cuda, name):
        src = self.src
        at = src.offset()
        n = src.read_long("a storage size")
        self._check_count(n, src.elem_size(elem), at, "storage size")
        arr = src.read_array(elem, n, "%s data" % name)
        target = elem
        if is_cuda and self.cuda_as == "cuda":
            st = STORAGE_TYPES[name]._wrap(arr)   # onto the device (or TorchCudaError)
            ORIGINAL_TYPENAME.set(st, name)
            return st
        if is_cuda and self.cuda_as is not None:
            target = self.cuda_as
            if target != elem:
                arr = convert_array(arr, ELEMENTS[target][0].newbyteorder("="))
        st = STORAGE_TYPES["torch.%sStorage" % target]._wrap(arr)
        if is_cuda:
            ORIGINAL_TYPENAME.set(st, name)
        return st

    def _read_tensor(self, elem, is_cuda, name, at):
        src = self.src
        dat = src.offset()
        ndim = src.read_int("the number of dimensions")
        self._check_count(ndim, 2 * src.elem_size("Long"), dat, "number of dimensions")
        size = src.read_longs(ndim, "tensor sizes")
        stride = src.read_longs(ndim, "tensor strides")
        oat = src.offset()
        offset = src.read_long("a storage offset") - 1
        sat = src.offset()
        storage = self.read_object()
        target = self.cuda_as if (is_cuda and self.cuda_as is not None) else elem
        cls = _TYPES[name] if target == "cuda" else _TYPES["torch.%sTensor" % target]
        if storage is not None and type(storage) is not cls.storage_class:
            raise T7FormatError("a %s holds %s instead of a %s" % (name, _what(storage),
                                name.replace("Tensor", "Storage")), sat, "a matching storage")
        if offset < 0:
            raise T7FormatError("storage offset %d" % (offset + 1), oat, "a 1-based offset >= 1")
        for s in size:
            if s < 1:  # TH drops every dimension from a size <= 0 on, so a file never has one
                raise T7FormatError("size %d in a %d-dimensional tensor" % (s, ndim), dat, "sizes >= 1")
        for s in stride:
            if s < 0:
                raise T7FormatError("negative stride %d" % s, dat, "strides >= 0")
        if ndim:
            last = offset + sum((n - 1) * s for n, s in zip(size, stride))
            have = 0 if storage is None else storage._data.shape[0]
            if last >= have:
                raise T7FormatError("tensor of size %s, stride %s, offset %d reaches element %d of a "
                                    "storage of %d" % (list(size), list(stride), offset + 1, last + 1, have),
                                    at, "a view inside its storage")
        t = cls._make(storage, offset, tuple(size), tuple(stride))
        if is_cuda:
            ORIGINAL_TYPENAME.set(t, name)
        return t

    def _read_tds(self, name, index, vstr):
        src = self.src
        at = src.offset()
        n = src.read_long("a tds element count")
        if name == "tds.Vec":
            self._check_count(n, 4, at, "tds.Vec size")
            obj = TdsVec(version=vstr)
            self._remember(index, obj)
            for _ in range(n):
                obj.append(self.read_object())
            return obj
        self._check_count(n, src.min_entry(), at, "tds.Hash size")
        obj = TdsHash(version=vstr)
        self._remember(index, obj)
        pairs = []
        for _ in range(n):
            kat = src.offset()
            k = self.read_object()
            if k is None:
                raise T7FormatError("tds.Hash key is nil", kat, "a non-nil key")
            pairs.append((k, self.read_object()))
        wrap_bools = _has_bool_number_clash(pairs)
        for k, v in pairs:
            obj[_dict_key(k, wrap_bools)] = v
        return obj

    # functions ------------------------------------------------------------------------------
    def _read_function(self, tag, index, at):
        if not self.allow_functions:
            raise T7FunctionError("a Lua function (bytecode) is stored here; functions are refused "
                                  "unless you pass allow_functions=True (they are then kept as opaque "
                                  "LuaFunction blobs, never run)", at)
        code = self._read_string_bytes("function bytecode")
        fn = LuaFunction(code, None, tag)
        if index is not None:
            self._remember(index, fn)
        fn.upvalues = self.read_object()
        return fn


def _dict_key(k, wrap_bools=False):
    if isinstance(k, bool):
        return LuaKey(k) if wrap_bools else k
    if isinstance(k, (str, bytes, int, float)):
        return k
    return LuaKey(k)


def _has_bool_number_clash(pairs):
    """True when a boolean key and the number 0 or 1 are both keys (equal in Python, not in Lua)."""
    if not any(type(k) is bool for k, _ in pairs):
        return False
    return any(type(k) in (int, float) and k in (0, 1) for k, _ in pairs)


def _is_sequence(d):
    n = len(d)
    for k in d:
        if type(k) is not int or k < 1 or k > n:
            return False
    return True


def _version_number(version):
    """Lua's tonumber(string.match(version, '^V (.*)$')), or None when it is not a version."""
    if version == b"V 1":
        return 1
    if not version.startswith(b"V "):
        return None
    rest = version[2:].strip(b" \t\n\r\v\f")
    try:
        text = rest.decode("ascii")
        if text.lower().startswith(("0x", "-0x", "+0x")):
            return int(text, 16)
        if not re.fullmatch(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", text):
            return None
        return lua_number(float(text))
    except (UnicodeDecodeError, ValueError):
        return None


def _what(obj):
    if obj is None:
        return "nil"
    tn = getattr(type(obj), "typename", None)
    if isinstance(tn, str):
        return "a " + tn
    if isinstance(obj, TorchObject):
        return "a " + obj.typename
    if isinstance(obj, (dict, list)):
        return "a table"
    return "a " + type(obj).__name__
