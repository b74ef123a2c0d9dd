"""torch.DiskFile and torch.MemoryFile for Lua: the object and number I/O legacy scripts use.

    local f = torch.DiskFile(path, 'w'):binary():longSize(4)
    f:writeObject(obj)          -- the t7 writer of pytorch_lite.serialization, one reference
    f:close()                   --   table for the whole file, as Torch7's File
    local m = torch.MemoryFile():binary()
    m:writeDouble(x)
    local bytes = m:storage()   -- a CharStorage of what was written

Writes are buffered and reach the disk on ``close`` (or ``synchronize``); reads parse the file's
bytes.  Lua tables cross as Python dicts/lists (``to_py``).  As Torch7's File, one file keeps one
table of the objects written (and one of those read), so several objects on one file share their
references; ``referenced(false)`` turns that off.  A MemoryFile may start from a CharStorage
(``torch.MemoryFile(storage, 'r')``); its ``storage()`` ends with a NUL byte, as THMemoryFile's.
"""
import os
import struct
import subprocess
import sys

import numpy as np

from pytorch_lite import serialization
from pytorch_lite.errors import TorchTypeError, TorchValueError
from pytorch_lite.serialization.reader import AsciiSource, BinarySource, Reader
from pytorch_lite.serialization.writer import AsciiSink, BinarySink, Writer, c_format_g
from pytorch_lite.storage import STORAGE_TYPES, Storage

_NUM = {"Byte": "B", "Char": "b", "Short": "h", "Int": "i", "Float": "f", "Double": "d"}


class TorchFile:
    """One Torch7 File (DiskFile when ``path`` is given, MemoryFile otherwise)."""

    def __init__(self, path=None, mode="r", to_py=None, from_py=None, storage=None, keep_cuda=None):
        if mode not in ("r", "w", "rw"):
            raise TorchValueError("torch.File: mode must be 'r', 'w' or 'rw', got %r" % (mode,))
        self._path = path
        self._mode = mode
        self._ascii = path is not None   # DiskFile defaults to ascii, as in Torch7
        self._autospacing = True         # ascii numbers separated by newlines/spaces
        self._endian = "<"               # the numbers' byte order in binary mode
        self._unbuffered = False         # noBuffer(): every write reaches the disk at once
        self._longsize = 8
        self._referenced = True
        self._to_py = to_py or (lambda v: v)
        self._from_py = from_py or (lambda v: v)
        # asked at each read: readObject keeps Cuda tensors once cutorch is loaded, as torch.load
        self._keep_cuda = keep_cuda or (lambda: False)
        self._writer = None
        self._reader = None
        self._buf = bytearray()
        self._pos = 0
        self._closed = False
        if storage is not None:
            if storage.typename != "torch.CharStorage":
                raise TorchTypeError("torch.MemoryFile: expected a torch.CharStorage, got a %s" % storage.typename)
            data = bytes(np.ascontiguousarray(storage._data).view(np.uint8))
            if not data.endswith(b"\0"):   # THMemoryFile's storages end with a NUL that is no content
                raise TorchValueError("torch.MemoryFile: provided CharStorage must be terminated by 0")
            self._buf = bytearray(data[:-1])
        elif path is not None and "r" in mode:
            if not os.path.isfile(path):
                raise TorchValueError("cannot open <%s> in mode %s" % (path, mode))
            with open(path, "rb") as f:
                self._buf = bytearray(f.read())
        elif path is not None and mode == "w":
            open(path, "wb").close()

    # -- modes ------------------------------------------------------------------------------------
    def binary(self):
        self._ascii = False
        return self

    def ascii(self):
        self._ascii = True
        return self

    def longSize(self, n):
        if int(n) not in (0, 4, 8):
            raise TorchValueError("Invalid long size specified")
        self._longsize = int(n) or 8
        return self

    def referenced(self, flag=True):
        """Whether objects written twice are written once and referenced (Torch7's default)."""
        self._referenced = bool(flag)
        if self._writer is not None:
            self._writer.referenced = self._referenced
        if self._reader is not None:
            self._reader.referenced = self._referenced
        return self

    def isReferenced(self):
        return self._referenced

    def isBinary(self):
        return not self._ascii

    def quiet(self):
        return self

    def pedantic(self):
        return self

    def clearError(self):
        return self

    def hasError(self):
        return False

    def isQuiet(self):
        return False

    def isReadable(self):
        return "r" in self._mode or self._path is None

    def isWritable(self):
        return "w" in self._mode or self._path is None

    # -- objects ----------------------------------------------------------------------------------
    def _native_objects(self, what):
        if self._endian != "<":
            raise TorchValueError("%s: objects are read and written in Torch7's little-endian layout; "
                                  "call littleEndianEncoding() first" % what)

    def writeObject(self, obj):
        self._check_open()
        self._native_objects("writeObject")
        if self._writer is None:
            sink = AsciiSink(None) if self._ascii else BinarySink(None, self._longsize)
            self._writer = Writer(sink, referenced=self._referenced)
        self._writer.write_root(self._to_py(obj))
        sink = self._writer.sink
        self._append(bytes(sink.buf))
        sink.buf = bytearray()
        return self

    def readObject(self):
        """The next object; objects read before are shared with it, as in Torch7."""
        self._check_open()
        self._native_objects("readObject")
        data = bytes(self._buf)
        src = AsciiSource(data) if self._ascii else BinarySource(data, longsize=self._longsize)
        src.pos = self._pos
        if self._reader is None:
            self._reader = Reader(src, self._referenced, allow_functions=True,
                                  cuda_as="cuda" if self._keep_cuda() else None)
        self._reader.src = src
        obj = self._reader.read_root()
        self._pos = src.offset()
        return self._from_py(obj)

    # -- the File a class's own write/read method gets (Torch7 hands it the file being written) ----
    @classmethod
    def over_writer(cls, writer, to_py=None, from_py=None):
        """A File writing into the middle of an object being written (the writer calls the class's
        write method there): objects written through it are numbered with the rest of the stream,
        numbers take the stream's mode; what it gathers (``_buf``) is the object's body."""
        f = cls(None, "w", to_py, from_py)
        f._ascii = isinstance(writer.sink, AsciiSink)
        f._longsize = writer.sink.longsize
        f._referenced = writer.referenced
        f._writer = writer
        return f

    @classmethod
    def over_reader(cls, reader, to_py=None, from_py=None):
        """A File reading from the middle of a stream being read (the reader calls the class's read
        method there): objects share the stream's references, numbers come from where it stands."""
        return _ReaderFile(reader, to_py, from_py)

    # -- numbers ----------------------------------------------------------------------------------
    def _append(self, b):
        self._buf[self._pos:self._pos + len(b)] = b
        self._pos += len(b)
        if self._unbuffered:
            self.synchronize()

    # -- modes Torch7's File has (torch7 doc/file.md) ----------------------------------------------
    def noBuffer(self):
        """Writes reach the disk file at once (reads already see the whole file)."""
        self._unbuffered = True
        return self

    def autoSpacing(self):
        self._autospacing = True
        return self

    def noAutoSpacing(self):
        """ascii numbers written without the separator that follows each one."""
        self._autospacing = False
        return self

    def isAutoSpacing(self):
        return self._autospacing

    def littleEndianEncoding(self):
        self._endian = "<"
        return self

    def nativeEndianEncoding(self):
        self._endian = "<" if sys.byteorder == "little" else ">"
        return self

    def bigEndianEncoding(self):
        """Binary numbers (writeInt, readDouble, ...) in big-endian order; objects stay Torch7's
        native little-endian layout and refuse this mode."""
        self._endian = ">"
        return self

    def _write_num(self, kind, x):
        self._check_open()
        if self._ascii:   # Torch7's ascii numbers: %.17g for doubles, %.9g for floats
            if kind in ("Float", "Double"):
                v = float(x) if kind == "Double" else float(np.float32(x))
                text = c_format_g(v, 17 if kind == "Double" else 9)
            else:
                text = str(int(x))
            self._append(text.encode() + (b"\n" if self._autospacing else b""))
        else:
            code = _NUM.get(kind) or ("q" if self._longsize == 8 else "i")
            self._append(struct.pack(self._endian + code, x))
        return 1

    def _read_num(self, kind):
        self._check_open()
        if self._ascii:
            src = AsciiSource(bytes(self._buf))
            src.pos = self._pos
            v = src.read_double() if kind in ("Float", "Double") else src.read_long()
            self._pos = src.offset()
            return v
        code = _NUM.get(kind) or ("q" if self._longsize == 8 else "i")
        n = struct.calcsize(code)
        if self._pos + n > len(self._buf):
            raise TorchValueError("read error: read 0 blocks instead of 1")
        v = struct.unpack_from(self._endian + code, self._buf, self._pos)[0]
        self._pos += n
        return v

    # -- strings ----------------------------------------------------------------------------------
    def writeString(self, s):
        """The string's bytes as they are (no length, no newline), in either mode."""
        self._check_open()
        data = s if isinstance(s, (bytes, bytearray)) else str(s).encode("utf-8", "surrogateescape")
        self._append(bytes(data))
        return len(data)

    def readString(self, fmt="*a"):
        """'*a': the rest of the file; '*l': the next line (without its newline); n: n bytes."""
        self._check_open()
        rest = self._buf[self._pos:]
        if fmt in ("*a", "*all"):
            out = bytes(rest)
        elif fmt in ("*l", "*line"):
            nl = rest.find(b"\n")
            out = bytes(rest if nl < 0 else rest[:nl])
            self._pos += 0 if nl < 0 else 1
        elif isinstance(fmt, (int, float)):
            out = bytes(rest[:int(fmt)])
        else:
            raise TorchValueError("readString: format must be '*a', '*l' or a number of bytes, got %r" % (fmt,))
        self._pos += len(out)
        return out

    def storage(self):
        """The bytes written so far and a NUL, as a CharStorage (MemoryFile)."""
        data = np.frombuffer(bytes(self._buf) + b"\0", dtype=np.int8).copy()
        return STORAGE_TYPES["torch.CharStorage"](data)

    def seek(self, pos):
        pos = int(pos) - 1
        if pos < 0 or pos > len(self._buf):
            raise TorchValueError("unable to seek to position %d (the file holds %d bytes)" % (pos + 1, len(self._buf)))
        self._pos = pos
        return self

    def seekEnd(self):
        self._pos = len(self._buf)
        return self

    def position(self):
        return self._pos + 1

    def synchronize(self):
        if self._path is not None and "w" in self._mode:
            with open(self._path, "wb") as f:
                f.write(bytes(self._buf))
        return self

    def close(self):
        if not self._closed:
            self.synchronize()
            self._closed = True
        return True

    def _check_open(self):
        if self._closed:
            raise TorchTypeError("attempt to use a closed file")


class PipeFile(TorchFile):
    """torch.PipeFile(command, mode): 'r' reads what the shell command prints (it runs when the
    file opens), 'w' gathers what is written and pipes it into the command when the file closes.
    ascii by default, as DiskFile."""

    def __init__(self, command, mode="r", to_py=None, from_py=None, keep_cuda=None):
        if mode not in ("r", "w"):
            raise TorchValueError("torch.PipeFile: mode must be 'r' or 'w' (read-write is not allowed), got %r"
                                  % (mode,))
        super().__init__(None, mode, to_py, from_py, keep_cuda=keep_cuda)
        self._ascii = True
        self._command = str(command)
        if mode == "r":
            self._buf = bytearray(subprocess.run(self._command, shell=True, stdout=subprocess.PIPE).stdout)

    def isReadable(self):
        return self._mode == "r"

    def isWritable(self):
        return self._mode == "w"

    def synchronize(self):
        return self   # what was written goes to the command when the file closes

    def close(self):
        if not self._closed:
            if self._mode == "w":
                subprocess.run(self._command, shell=True, input=bytes(self._buf))
            self._closed = True
        return True


class _ReaderFile(TorchFile):
    """TorchFile.over_reader: reads go to the reader's source at its position."""

    def __init__(self, reader, to_py=None, from_py=None):
        super().__init__(None, "r", to_py, from_py)
        self._reader = reader
        self._ascii = not reader.src.binary
        self._longsize = reader.src.longsize
        self._referenced = reader.referenced

    def readObject(self):
        self._check_open()
        return self._from_py(self._reader.read_object())

    def _read_num(self, kind):
        self._check_open()
        src = self._reader.src
        if self._ascii:
            return src.read_double() if kind in ("Float", "Double") else src.read_long()
        code = _NUM.get(kind) or ("q" if self._longsize == 8 else "i")
        return struct.unpack(self._endian + code, src.read_raw(struct.calcsize(code), "a number"))[0]

    def readString(self, fmt="*a"):
        if not isinstance(fmt, (int, float)) or isinstance(fmt, bool):
            raise TorchValueError("readString: inside an object's read method only a number of bytes "
                                  "can be read, got %r" % (fmt,))
        self._check_open()
        return bytes(self._reader.src.read_raw(int(fmt), "a string"))

    def writeObject(self, obj):
        raise TorchTypeError("writeObject: this file is being read (an object's read method)")


def _write_values(self, kind, x):
    """writeX(number) writes one value; writeX(XStorage) writes all of its elements and returns
    how many (in ascii, space-separated on one line, as THDiskFile's auto-spacing does)."""
    if isinstance(x, Storage):
        if x.typename != "torch.%sStorage" % kind:
            raise TorchTypeError("write%s: number, or %sStorage expected, got a %s" % (kind, kind, x.typename))
        values = x.tolist()
        if self._ascii:
            for i, v in enumerate(values):
                self._write_num(kind, v)
                if self._autospacing and i < len(values) - 1:   # the newline becomes a separating space
                    self._buf[self._pos - 1:self._pos] = b" "
        else:
            for v in values:
                self._write_num(kind, v)
        return len(values)
    if isinstance(x, bool) or not isinstance(x, (int, float, np.integer, np.floating)):
        raise TorchTypeError("write%s: number, or %sStorage expected, got %s" % (kind, kind, type(x).__name__))
    self._write_num(kind, x)   # nothing returned, as Torch7's writeX(number)


def _read_values(self, kind, what=None):
    """readX() one number; readX(n) a new XStorage of the next n values; readX(storage) fills the
    storage and returns how many it read."""
    if what is None:
        return self._read_num(kind)
    cls = STORAGE_TYPES["torch.%sStorage" % kind]
    if isinstance(what, Storage):
        if type(what) is not cls:
            raise TorchTypeError("read%s: nothing, number, or %sStorage expected, got a %s"
                                 % (kind, kind, what.typename))
        vals = [self._read_num(kind) for _ in range(what.size())]
        if vals:
            what.copy(cls(vals))
        return len(vals)
    if isinstance(what, bool) or not isinstance(what, (int, float)) or what < 0:
        raise TorchTypeError("read%s: nothing, number, or %sStorage expected" % (kind, kind))
    return cls([self._read_num(kind) for _ in range(int(what))])


def _num_methods():
    for kind in ("Byte", "Char", "Short", "Int", "Long", "Float", "Double"):
        setattr(TorchFile, "write" + kind, lambda self, x, _k=kind: _write_values(self, _k, x))
        setattr(TorchFile, "read" + kind, lambda self, n=None, _k=kind: _read_values(self, _k, n))
    TorchFile.writeBool = lambda self, x: self._write_num("Int", 1 if x else 0) and None
    TorchFile.readBool = lambda self: self._read_num("Int") == 1


_num_methods()
