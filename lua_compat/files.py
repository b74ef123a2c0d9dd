"""torch.DiskFile and torch.MemoryFile for Lua: the object and number I/O legacy scripts use.

    local f = torch.DiskFile(path, 'w'):binary():longSize(4)
    f:writeObject(obj)          -- the t7 writer of pytorch_lite.serialization, one reference
    f:close()                   --   table for the whole file, as Torch7's File
    local m = torch.MemoryFile():binary()
    m:writeDouble(x)
    local bytes = m:storage()   -- a CharStorage of what was written

Writes are buffered and reach the disk on ``close`` (or ``synchronize``); reads parse the file's
bytes.  Lua tables cross as Python dicts/lists (``to_py``).
"""
import os
import struct

import numpy as np

from pytorch_lite import serialization
from pytorch_lite.errors import TorchTypeError, TorchValueError
from pytorch_lite.serialization.writer import AsciiSink, BinarySink, Writer
from pytorch_lite.storage import STORAGE_TYPES

_NUM = {"Byte": "B", "Char": "b", "Short": "h", "Int": "i", "Float": "f", "Double": "d"}


class TorchFile:
    """One Torch7 File (DiskFile when ``path`` is given, MemoryFile otherwise)."""

    def __init__(self, path=None, mode="r", to_py=None, from_py=None):
        if mode not in ("r", "w", "rw"):
            raise TorchValueError("torch.DiskFile: mode must be 'r', 'w' or 'rw', got %r" % (mode,))
        self._path = path
        self._mode = mode
        self._ascii = path is not None   # DiskFile defaults to ascii, as in Torch7
        self._longsize = 8
        self._to_py = to_py or (lambda v: v)
        self._from_py = from_py or (lambda v: v)
        self._writer = None
        self._buf = bytearray()
        self._pos = 0
        self._closed = False
        if path is not None and "r" in mode:
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

    def isReadable(self):
        return "r" in self._mode or self._path is None

    def isWritable(self):
        return "w" in self._mode or self._path is None

    # -- objects ----------------------------------------------------------------------------------
    def writeObject(self, obj):
        self._check_open()
        if self._writer is None:
            sink = AsciiSink(None) if self._ascii else BinarySink(None, self._longsize)
            self._writer = Writer(sink)
        self._writer.write_root(self._to_py(obj))
        sink = self._writer.sink
        self._append(bytes(sink.buf))
        sink.buf = bytearray()
        return self

    def readObject(self):
        self._check_open()
        data = bytes(self._buf[self._pos:])
        obj = serialization.deserialize(data, "ascii" if self._ascii else "binary",
                                        longsize=self._longsize)
        self._pos = len(self._buf)
        return self._from_py(obj)

    # -- numbers ----------------------------------------------------------------------------------
    def _append(self, b):
        self._buf[self._pos:self._pos + len(b)] = b
        self._pos += len(b)

    def _write_num(self, kind, x):
        self._check_open()
        if self._ascii:
            self._append((repr(float(x)) if kind in ("Float", "Double") else str(int(x))).encode() + b"\n")
        else:
            code = _NUM.get(kind) or ("q" if self._longsize == 8 else "i")
            self._append(struct.pack("<" + code, x))
        return 1

    def _read_num(self, kind):
        self._check_open()
        code = _NUM.get(kind) or ("q" if self._longsize == 8 else "i")
        n = struct.calcsize(code)
        if self._pos + n > len(self._buf):
            raise TorchValueError("read error: read 0 blocks instead of 1")
        v = struct.unpack_from("<" + code, self._buf, self._pos)[0]
        self._pos += n
        return v

    def writeString(self, s):
        self._check_open()
        self._append(s.encode("latin-1") if isinstance(s, str) else bytes(s))
        return len(s)

    def storage(self):
        """The bytes written so far, as a CharStorage (MemoryFile)."""
        data = np.frombuffer(bytes(self._buf), dtype=np.int8)
        return STORAGE_TYPES["torch.CharStorage"](data.tolist())

    def seek(self, pos):
        self._pos = int(pos) - 1
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


def _num_methods():
    for kind in ("Byte", "Char", "Short", "Int", "Long", "Float", "Double"):
        setattr(TorchFile, "write" + kind, lambda self, x, _k=kind: self._write_num(_k, x))
        setattr(TorchFile, "read" + kind, lambda self, _k=kind: self._read_num(_k))


_num_methods()
