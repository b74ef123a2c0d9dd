"""Torch7's t7 files: ``load``/``save`` (files) and ``serialize``/``deserialize`` (bytes).

    import pytorch_lite as torch
    model = torch.load('model.t7')                # binary or ascii, 8- or 4-byte longs: detected
    torch.save('copy.t7', model)                  # loads in a real Torch7
    torch.save('copy.txt', model, 'ascii')
    blob = torch.serialize({'a': torch.Tensor(3)}); obj = torch.deserialize(blob)

What a file's values become in Python
-------------------------------------
=====================  =================================================================
Lua / Torch7            Python
=====================  =================================================================
nil, boolean            None, bool
number (a double)       int when integral and below 2^63 in magnitude (not -0), else float
string                  str when valid UTF-8, else bytes (both write back the same bytes)
table with keys 1..n    list (``LuaList`` when the keys came in another order; a dict when
                        the table contains itself, as a list cannot be made before its items)
any other table         dict in the file's key order (keys: str/bytes/int/float/bool; a table,
                        tensor or object key is wrapped in ``LuaKey``; so are boolean keys
                        of a table that also has the key 0 or 1)
torch.*Tensor/Storage   pytorch_lite tensors and storages (shared storages stay shared);
                        torch.Cuda*: the CPU type of the same element type (``cuda_as``
                        picks another), the original name is kept (``original_typename``)
tds.Hash / tds.Vec      ``TdsHash`` (a dict) / ``TdsVec`` (a list)
other torch classes     the class registered for the name, else ``TorchObject``
function                refused (``T7FunctionError``) unless ``allow_functions=True``:
                        then a ``LuaFunction`` blob, never executed
=====================  =================================================================

Shared references and cycles survive both ways; what was read is written back in the read
order, so an unchanged object saved with the same mode and long size gives identical bytes
(Cuda* types need ``restore_cuda=True``).  Python values write as Torch7 would: int/float as
numbers (doubles), list/tuple as a table 1..n, dict as a table; None values are left out of
tables, as Lua tables hold no nil.  ``inspect_file(path)`` tells the (mode, longsize) a file
was written with.

Registering Python classes for Torch classes
--------------------------------------------
``register_class('nn.Linear', Linear)``: objects of that class load as ``Linear`` and
``Linear`` instances save under that name (``load(..., use_registry=False)`` ignores the
registry and gives ``TorchObject``s).  The class provides either

* ``__t7_read__(self, fields, version)`` and ``__t7_write__(self) -> fields``: the reader makes
  the instance with ``cls.__new__(cls)`` *before* reading its fields, so fields that refer back
  to the object (cycles) get the object itself; or
* ``from_t7(cls, fields, version)`` (a classmethod returning the instance) and
  ``to_t7(self) -> fields``: simpler, but a cycle through the object's own fields sees a
  ``TorchObject`` placeholder.

``fields`` is the object's Lua table as a dict in file order with Torch7's (1-based) values;
``version`` the number of the file's 'V n' string (0 when absent).  An object that was read
from a file is written back with the version string it had; any other with ``__t7_version__``
(default 1; an int, a full version string, or None for no version string), under the name from
``register_class`` (or the class's ``__t7_typename__``/``typename``).

Errors
------
Corrupt, truncated or foreign files raise ``T7FormatError`` (a ``TorchError`` and a
``ValueError``) naming the byte offset and what was expected, and never allocate more than the
file's remaining bytes can hold.
"""
import os

from ..errors import TorchTypeError, TorchValueError
from .registry import register_class, unregister_class
from .reader import BinarySource, AsciiSource, Reader, ELEMENTS
from .writer import BinarySink, AsciiSink, Writer
from .types import (T7FormatError, T7FunctionError, TorchObject, LuaFunction, LuaList, LuaKey,
                    TdsHash, TdsVec, original_typename)

__all__ = ["load", "save", "serialize", "deserialize", "register_class", "unregister_class",
           "T7FormatError", "T7FunctionError", "TorchObject", "LuaFunction", "LuaList", "LuaKey",
           "TdsHash", "TdsVec", "original_typename", "inspect_file"]


def _norm_mode(mode, longsize):
    if mode in ("b32", "b64"):
        if longsize is None:
            longsize = 4 if mode == "b32" else 8
        mode = "binary"
    if mode not in (None, "binary", "ascii"):
        raise TorchValueError('t7: mode must be "binary" or "ascii" (or None to detect), got %r' % (mode,))
    if longsize not in (None, 4, 8):
        raise TorchValueError("t7: longsize must be 4 or 8 (or None to detect), got %r" % (longsize,))
    return mode, longsize


def _norm_cuda_as(cuda_as):
    if cuda_as is None:
        return None
    name = getattr(cuda_as, "typename", cuda_as)
    if not isinstance(name, str):
        raise TorchTypeError("t7: cuda_as must be a tensor type name, got %r" % (cuda_as,))
    if name.lower() == "cuda":
        return "cuda"   # keep the Cuda classes: the tensors go onto the device (reader.py)
    short = name[6:] if name.startswith("torch.") else name
    for suffix in ("Tensor", "Storage"):
        if short.endswith(suffix):
            short = short[:-len(suffix)]
    short = short[:1].upper() + short[1:]
    if short not in ELEMENTS:
        raise TorchValueError("t7: unknown tensor type %r for cuda_as" % (cuda_as,))
    return short


def _detect_mode(head):
    """'binary' or 'ascii' from a file's first bytes (a binary tag 0..8 starts with that byte;
    an ascii tag is a digit)."""
    for b in head:
        if b in b" \t\n\r\v\f":
            continue
        if b <= 8:
            return "binary"
        return "ascii" if b in b"0123456789+-" else "binary"
    return "binary"


def _parse(make_source, mode, longsize, referenced, allow_functions, cuda_as, name, use_registry=True):
    """Read one object; with longsize None try 8-byte then 4-byte longs (preferring a reading
    that ends exactly at the end of the data)."""
    if mode == "ascii":
        src = make_source(None)
        return Reader(src, referenced, allow_functions, cuda_as, use_registry).read_root()
    sizes = (longsize,) if longsize is not None else (8, 4)
    found = []
    errors = []
    for ls in sizes:
        src = make_source(ls)
        try:
            obj = Reader(src, referenced, allow_functions, cuda_as, use_registry).read_root()
        except T7FormatError as e:
            errors.append((ls, e))
            continue
        if src.remaining() == 0 or len(sizes) == 1:
            return obj
        found.append(obj)
    if found:
        return found[0]
    if len(errors) == 1:
        raise errors[0][1]
    funcs = [e for _, e in errors if isinstance(e, T7FunctionError)]
    if funcs:
        raise funcs[0]
    ls, best = max(errors, key=lambda le: le[1].offset or 0)
    other = [e for l2, e in errors if l2 != ls][0]
    if best.offset == 0 and other.offset == 0:
        msg = ("%s is not a Torch7 t7 file (its first bytes are no type tag): %s"
               % (name, best.detail))
    elif str(best) == str(other):
        raise best  # the long size played no part
    else:
        msg = ("%s could not be read with %d-byte longs (%s) nor with %d-byte longs (%s); if you know "
               "how it was written, pass mode= and longsize=4 or 8" % (name, ls, best, 12 - ls, other))
    raise T7FormatError(msg, best.offset, best.expected) from best


def deserialize(data, mode=None, *, longsize=None, referenced=True, allow_functions=False, cuda_as=None,
                restore_cuda=False, use_registry=True):
    """The object in ``data`` (bytes as returned by ``serialize`` or Torch7's ``torch.serialize``).

    ``mode`` 'binary' or 'ascii' (None: detect), ``longsize`` 4 or 8 (None: detect),
    ``referenced`` as Torch7's flag, ``allow_functions`` keeps Lua functions as ``LuaFunction``
    blobs, ``cuda_as`` maps Cuda* tensors to that type instead of their CPU counterpart,
    ``restore_cuda=True`` (or ``cuda_as='cuda'``) keeps them Cuda tensors, on the device,
    ``use_registry=False`` loads every non-tensor Torch object as a ``TorchObject``.
    """
    if isinstance(data, str):
        data = data.encode("latin-1")
    data = bytes(data)
    mode, longsize = _norm_mode(mode, longsize)
    cuda = "cuda" if restore_cuda else _norm_cuda_as(cuda_as)
    if mode is None:
        mode = _detect_mode(data[:16])
    if not data:
        raise T7FormatError("no data", 0, "a type tag")
    if mode == "ascii":
        return _parse(lambda ls: AsciiSource(data), mode, None, referenced, allow_functions, cuda, "data",
                      use_registry)
    return _parse(lambda ls: BinarySource(data, longsize=ls), mode, longsize, referenced,
                  allow_functions, cuda, "data", use_registry)


def load(path, mode=None, referenced=True, *, longsize=None, allow_functions=False, cuda_as=None,
         restore_cuda=False, use_registry=True):
    """``torch.load(path[, mode[, referenced]])``: the object stored in a t7 file.

    ``mode`` 'binary' or 'ascii' ('b32' = binary with 4-byte longs; None: detect), ``longsize``
    4 or 8 (None: try 8 then 4), ``allow_functions`` keeps Lua functions as opaque blobs,
    ``cuda_as`` ('torch.DoubleTensor', 'float', ...) chooses the type Cuda* tensors become;
    ``restore_cuda=True`` (or ``cuda_as='cuda'``) keeps them Cuda tensors, loaded onto the device
    (``TorchCudaError`` where there is none, unless PYTORCH_LITE_CUDA=cpu).
    ``use_registry=False`` loads every non-tensor Torch object as a ``TorchObject``.
    ``path`` may also be an open binary file object.
    """
    if hasattr(path, "read"):
        return deserialize(path.read(), mode, longsize=longsize, referenced=referenced,
                           allow_functions=allow_functions, cuda_as=cuda_as, restore_cuda=restore_cuda,
                           use_registry=use_registry)
    mode, longsize = _norm_mode(mode, longsize)
    cuda = "cuda" if restore_cuda else _norm_cuda_as(cuda_as)
    name = os.fspath(path)
    with open(name, "rb", buffering=0) as f:
        size = os.fstat(f.fileno()).st_size
        if size == 0:
            raise T7FormatError("%s is empty" % name, 0, "a type tag")
        if mode is None:
            mode = _detect_mode(f.read(16))
            f.seek(0)
        if mode == "ascii":
            data = f.read()
            return _parse(lambda ls: AsciiSource(data), mode, None, referenced, allow_functions, cuda, name,
                          use_registry)

        def make_source(ls):
            f.seek(0)
            return BinarySource(fileobj=f, size=size, longsize=ls)

        return _parse(make_source, mode, longsize, referenced, allow_functions, cuda, name, use_registry)


def _sink(mode, longsize, fileobj):
    mode, longsize = _norm_mode("binary" if mode is None else mode, longsize)
    if longsize is None:
        longsize = 8
    return AsciiSink(fileobj) if mode == "ascii" else BinarySink(fileobj, longsize)


def serialize(obj, mode="binary", *, longsize=None, referenced=True, restore_cuda=False):
    """``torch.serialize(obj[, mode])``: the bytes Torch7 would produce (``longsize`` 8 by default)."""
    sink = _sink(mode, longsize, None)
    Writer(sink, referenced, restore_cuda).write_root(obj)
    return bytes(sink.buf)


def save(path, obj, mode="binary", referenced=True, *, longsize=None, restore_cuda=False):
    """``torch.save(path, obj[, mode[, referenced]])``.  ``longsize=4`` writes 4-byte longs (as
    ``DiskFile:longSize(4)``); ``restore_cuda=True`` writes tensors loaded from Cuda* classes
    under their original names (for a byte-identical copy of a GPU-saved file)."""
    if hasattr(path, "write"):
        path.write(serialize(obj, mode, longsize=longsize, referenced=referenced, restore_cuda=restore_cuda))
        return
    name = os.fspath(path)
    sink = _sink(mode, longsize, None)  # checks the options before the file is touched
    try:
        with open(name, "wb", buffering=0) as f:
            sink.f = f
            Writer(sink, referenced, restore_cuda).write_root(obj)
    except Exception:
        # an object that cannot be written leaves no half-written file behind
        if os.path.exists(name):
            os.remove(name)
        raise


def inspect_file(path, mode=None, longsize=None):
    """(mode, longsize) that ``load`` would use for this file (longsize None for ascii)."""
    mode, longsize = _norm_mode(mode, longsize)
    with open(os.fspath(path), "rb") as f:
        head = f.read(16)
    if mode is None:
        mode = _detect_mode(head)
    if mode == "ascii":
        return mode, None
    if longsize is not None:
        return mode, longsize
    for ls in (8, 4):
        try:
            with open(os.fspath(path), "rb", buffering=0) as f:
                size = os.fstat(f.fileno()).st_size
                src = BinarySource(fileobj=f, size=size, longsize=ls)
                Reader(src, True, True, None, False).read_root()
                if src.remaining() == 0:
                    return mode, ls
        except T7FormatError:
            continue
    return mode, 8
