"""Python side of `require 'hdf5'` (torch-hdf5's API, lua/hdf5.lua) on h5py.

Datasets come back as the tensor type of their HDF5 type (float64 -> DoubleTensor, float32 ->
FloatTensor, int32 -> IntTensor, ...); tensors are written with their own type.  Paths are
HDF5 paths ('/group/data'); groups on the way are created.  Partial reads take 1-based inclusive
{first, last} ranges per dimension, converted here once."""
import numpy as np

import pytorch_lite as torch
from pytorch_lite.errors import TorchValueError, TorchTypeError
from pytorch_lite.tensor import Tensor

_DTYPES = {np.float64: np.float64, np.float32: np.float32, np.float16: np.float32,
           np.int64: np.int64, np.int32: np.int32, np.int16: np.int16, np.int8: np.int8,
           np.uint8: np.uint8, np.uint16: np.int32, np.uint32: np.int64, np.uint64: np.int64,
           np.bool_: np.uint8}


def _h5py():
    try:
        import h5py
    except ImportError:
        raise TorchValueError("hdf5 needs the Python package h5py (pip install h5py)") from None
    return h5py


def _tensor(arr):
    arr = np.asarray(arr)
    kind = _DTYPES.get(arr.dtype.type)
    if kind is None:
        raise TorchTypeError("hdf5: cannot read a dataset of type %s into a tensor" % arr.dtype)
    return torch.from_numpy(np.ascontiguousarray(arr, dtype=kind))


class File:
    """An open HDF5 file (hdf5.open's object)."""

    def __init__(self, path, mode):
        h5py = _h5py()
        try:
            self._f = h5py.File(path, {"r": "r", "r+": "r+", "w": "w", "a": "a", "w-": "w-"}[mode])
        except KeyError:
            raise TorchValueError("hdf5.open: mode must be 'r', 'r+', 'w', 'w-' or 'a', got %r" % (mode,)) from None
        except OSError as e:
            raise TorchValueError("hdf5.open: cannot open %s (%s)" % (path, e)) from None
        self.filename = path

    def node(self, path):
        f = self._check()
        if path not in f:
            raise TorchValueError("hdf5: %s has no object at %s" % (self.filename, path))
        return f[path]

    def _check(self):
        if self._f is None or not self._f.id.valid:
            raise TorchValueError("hdf5: the file %s is closed" % self.filename)
        return self._f

    def write(self, path, tensor, chunks=None, deflate=None):
        f = self._check()
        if not isinstance(tensor, Tensor):
            raise TorchTypeError("hdf5: write expects a tensor at %s, got %s" % (path, type(tensor).__name__))
        if path in f:
            del f[path]
        kw = {}
        if chunks:
            kw["chunks"] = tuple(int(c) for c in chunks)
        if deflate is not None:
            kw["compression"], kw["compression_opts"] = "gzip", int(deflate)
        f.create_dataset(path, data=np.ascontiguousarray(tensor.numpy()), **kw)

    def close(self):
        if self._f is not None:
            self._f.close()
            self._f = None


def bridge(runtime):
    table = runtime.lua.table_from

    def is_group(node):
        return isinstance(node, _h5py().Group)

    def read_all(node):
        """A dataset's tensor, or a group's {name: tensor or table} (recursively)."""
        if is_group(node):
            return table({k: read_all(v) for k, v in node.items()})
        return _tensor(node[()])

    def partial(node, ranges):
        shape = node.shape
        if len(ranges) != len(shape):
            raise TorchValueError("hdf5: partial read of a %d-D dataset needs %d ranges, got %d"
                                  % (len(shape), len(shape), len(ranges)))
        sl = []
        for d, (r, n) in enumerate(zip(ranges, shape)):
            first, last = int(r[0]), int(r[1])
            if not 1 <= first <= last <= n:
                raise TorchValueError("hdf5: range {%d, %d} is outside dimension %d of size %d"
                                      % (first, last, d + 1, n))
            sl.append(slice(first - 1, last))
        return _tensor(node[tuple(sl)])

    def ranges_py(t):
        return [(t[i][1], t[i][2]) for i in range(1, len(t) + 1)]

    return dict(
        open=lambda path, mode="a": File(path, mode or "a"),
        node=lambda f, path: f.node(path),
        is_group=is_group,
        read_all=read_all,
        partial=lambda node, ranges: partial(node, ranges_py(ranges)),
        size=lambda node: table(list(node.shape)),
        names=lambda node: table(list(node.keys())),
        write=lambda f, path, t, chunks=None, deflate=None: f.write(
            path, t, None if chunks is None else [chunks[i] for i in range(1, len(chunks) + 1)], deflate),
        close=lambda f: f.close(),
    )
