"""Python side of `require 'hdf5'` (lua/hdf5.lua): deepmind/torch-hdf5's files, groups and
datasets on h5py.

The Lua objects hold only numbers and names (an HDF5File its filename and file id, a group or
dataset its own id), as torch-hdf5's hold HDF5 ids: so an HDF5File written with torch.MemoryFile
and read back in the same process still reaches its open file.  The ids are small integers given
here (the HDF5 library's own hid_t do not fit in a Lua number); the h5py objects behind them are
kept until their file is closed.

Element types are torch-hdf5's: a tensor is written as its own type (Byte -> uint8, Char -> int8,
Short -> int16, Int -> int32, Long -> int64, Float -> float32, Double -> float64, little-endian),
and a dataset is read by the size of its type: any 1-byte integer comes back as a ByteTensor, 2 as
a ShortTensor, 4 an IntTensor, 8 a LongTensor (the bits as stored, so int8 -1 reads as 255, as in
torch-hdf5), 4-byte floats as FloatTensor, 8-byte as DoubleTensor.  Beyond torch-hdf5, which
refuses them: float16 reads as FloatTensor, a boolean as ByteTensor, a scalar dataset as a
1-element tensor."""
import os
import shutil
import tempfile
import threading

import numpy as np

import pytorch_lite as torch
from pytorch_lite.errors import TorchTypeError, TorchValueError

_WRITE_TYPES = {"torch.ByteTensor": "<u1", "torch.CharTensor": "<i1", "torch.ShortTensor": "<i2",
                "torch.IntTensor": "<i4", "torch.LongTensor": "<i8", "torch.FloatTensor": "<f4",
                "torch.DoubleTensor": "<f8"}
_INT_READ = {1: np.uint8, 2: np.int16, 4: np.int32, 8: np.int64}
_FLOAT_READ = {2: np.float32, 4: np.float32, 8: np.float64}
_CLASS_NAMES = {"S": "STRING", "U": "STRING", "V": "COMPOUND", "c": "COMPLEX", "M": "TIME", "m": "TIME"}


def _h5py():
    try:
        import h5py
    except ImportError:
        raise TorchValueError("hdf5 needs the Python package h5py (pip install h5py)") from None
    return h5py


class _Registry:
    """id -> h5py object, for every file, group and dataset a Lua object stands for."""

    def __init__(self):
        self.lock = threading.Lock()
        self.next_id = 1
        self.objects = {}     # id -> h5py File, Group or Dataset
        self.file_of = {}     # id -> id of its file
        self.by_path = {}     # (file id, HDF5 path) -> id, so a path opened twice is one id
        self.filenames = {}   # file id -> filename, kept after close for the messages

    def add(self, obj, fid=None):
        with self.lock:
            oid = self.next_id
            self.next_id += 1
            self.objects[oid] = obj
            fid = oid if fid is None else fid
            self.file_of[oid] = fid
            self.by_path[(fid, obj.name)] = oid
        return oid

    def get(self, oid):
        obj = self.objects.get(oid)
        if obj is None:
            fid = self.file_of.get(oid, oid)
            name = self.filenames.get(fid)
            if name is None:
                raise TorchValueError("hdf5: no open HDF5 object has id %s (its file was closed, "
                                      "or it was opened in another process)" % (oid,))
            raise TorchValueError("hdf5: the file %s is closed" % name)
        return obj

    def child(self, pid, name):
        """The id of `name` in the group `pid`, or None when there is none."""
        group = self.get(pid)
        fid = self.file_of[pid]
        path = group.name.rstrip("/") + "/" + name
        oid = self.by_path.get((fid, path))
        if oid is not None and oid in self.objects:
            return oid
        if name not in group:
            return None
        return self.add(group[name], fid)

    def close(self, fid):
        f = self.objects.get(fid)
        if f is None:
            return   # closing twice does nothing, as in torch-hdf5
        with self.lock:
            for oid in [o for o, owner in self.file_of.items() if owner == fid and o != fid]:
                self.objects.pop(oid, None)
            self.objects.pop(fid, None)
            self.by_path = {k: v for k, v in self.by_path.items() if k[0] != fid}
        f.close()


_REG = _Registry()


def open_file(filename, mode):
    """(file id, root group id, absolute filename) for hdf5.open(filename, mode)."""
    if not isinstance(filename, str) or not filename:
        raise TorchTypeError("hdf5.open: expects a filename (a string), got %r" % (filename,))
    path = os.path.abspath(os.path.expanduser(filename))
    folder = os.path.dirname(path)
    if not os.path.isdir(folder):
        raise TorchValueError("HDF5File.open: no such directory %s" % folder)
    if mode is None or mode == "a":
        mode = "r+" if os.path.exists(path) else "w"
    if mode not in ("r", "r+", "w", "w-"):
        raise TorchValueError("Unknown mode '%s' for hdf5.open() (one of 'r', 'r+', 'w', 'w-', 'a')" % (mode,))
    if mode in ("r", "r+") and not os.path.exists(path):
        raise TorchValueError("HDF5File.open: cannot open %s with mode '%s': no such file" % (path, mode))
    if mode == "w-" and os.path.exists(path):
        raise TorchValueError("HDF5File.open: cannot create %s with mode 'w-': the file exists" % path)
    h5py = _h5py()
    try:
        f = h5py.File(path, mode)
    except OSError as e:
        raise TorchValueError("HDF5File.open: cannot open %s with mode '%s' (%s)" % (path, mode, e)) from None
    fid = _REG.add(f)
    _REG.filenames[fid] = path
    root = _REG.add(f["/"], fid)
    return fid, root, path


def describe(oid):
    """'(id /path KIND)', torch-hdf5's description of an HDF5 object."""
    obj = _REG.get(oid)
    h5py = _h5py()
    kind = ("FILE" if isinstance(obj, h5py.File) else "GROUP" if isinstance(obj, h5py.Group)
            else "DATASET")
    return "(%d %s %s)" % (oid, obj.name, kind)


def _writable(oid, what):
    """The group or dataset `oid`, after checking its file was opened for writing."""
    obj = _REG.get(oid)
    if obj.file.mode == "r":
        raise TorchValueError("hdf5: cannot %s: %s is open read-only (mode 'r')"
                              % (what, _REG.filenames[_REG.file_of[oid]]))
    return obj


def _dataset(oid):
    obj = _REG.get(oid)
    if not isinstance(obj, _h5py().Dataset):
        kind = "group" if isinstance(obj, _h5py().Group) else "named datatype"
        raise TorchTypeError("hdf5: %s is a %s, not a dataset" % (obj.name, kind))
    return obj


def _read_type(ds):
    """The numpy type a dataset reads into (torch-hdf5's rule: integers by size), or an error."""
    dt = ds.dtype
    size = dt.itemsize
    if dt.kind in "iu":
        if size not in _INT_READ:
            raise TorchTypeError("hdf5: cannot read %s: integer data of %d bytes is unsupported" % (ds.name, size))
        return _INT_READ[size]
    if dt.kind == "f":
        if size not in _FLOAT_READ:
            raise TorchTypeError("hdf5: cannot read %s: float data of %d bytes is unsupported" % (ds.name, size))
        return _FLOAT_READ[size]
    if dt.kind == "b":
        return np.uint8
    h5py = _h5py()
    if h5py.check_string_dtype(dt) is not None:
        kind = "STRING"
    elif h5py.check_vlen_dtype(dt) is not None:
        kind = "VLEN"
    elif h5py.check_ref_dtype(dt) is not None:
        kind = "REFERENCE"
    else:
        kind = _CLASS_NAMES.get(dt.kind, dt.kind)
    raise TorchTypeError("hdf5: cannot read %s: data of class %s (%s) is unsupported; torch-hdf5 reads "
                         "integers and floats" % (ds.name, kind, dt))


def _tensor(arr, kind):
    arr = np.asarray(arr)
    if arr.ndim == 0:
        arr = arr.reshape(1)
    if arr.dtype.kind in "iu":
        # the stored bits in the tensor's type, as torch-hdf5's H5Dread into the tensor's buffer
        arr = arr.astype(arr.dtype.newbyteorder("="), copy=False).view(kind)
    else:
        arr = arr.astype(kind, copy=False)
    return torch.from_numpy(np.ascontiguousarray(arr))


def tensor_type(oid):
    """The tensor type dataset `oid` reads as ('torch.FloatTensor') and its HDF5 type ('<f4')."""
    ds = _dataset(oid)
    kind = _read_type(ds)
    names = {np.uint8: "Byte", np.int16: "Short", np.int32: "Int", np.int64: "Long",
             np.float32: "Float", np.float64: "Double"}
    return "torch.%sTensor" % names[kind], ds.dtype.str


def read_all(oid):
    ds = _dataset(oid)
    return _tensor(ds[()], _read_type(ds))


def partial(oid, ranges):
    """ranges: one (first, last) per dimension, 1-based and inclusive (torch-hdf5's form)."""
    ds = _dataset(oid)
    shape = ds.shape
    if len(ranges) != len(shape):
        raise TorchValueError("HDF5DataSet:partial() - dimension mismatch. Expected %d but %d were given."
                              % (len(shape), len(ranges)))
    sl = []
    for d, ((first, last), n) in enumerate(zip(ranges, shape)):
        if not (float(first).is_integer() and float(last).is_integer()):
            raise TorchValueError("HDF5DataSet:partial() - range {%s, %s} of dimension %d is not whole numbers"
                                  % (first, last, d + 1))
        first, last = int(first), int(last)
        if not 1 <= first <= last <= n:
            raise TorchValueError("HDF5DataSet:partial() - range {%d, %d} is outside dimension %d of size %d"
                                  % (first, last, d + 1, n))
        sl.append(slice(first - 1, last))
    return _tensor(ds[tuple(sl)], _read_type(ds))


def size(oid):
    return list(_dataset(oid).shape)


def layout(oid):
    """(chunks, compression level, maxshape) of a dataset; None where there is none."""
    ds = _dataset(oid)
    level = ds.compression_opts if ds.compression == "gzip" else None
    return (list(ds.chunks) if ds.chunks else None, level,
            [-1 if m is None else m for m in ds.maxshape])


def child(gid, name):
    """(id, 'group' | 'dataset') of `name` in group `gid`, or (None, None)."""
    oid = _REG.child(gid, str(name))
    if oid is None:
        return None, None
    return oid, "group" if isinstance(_REG.objects[oid], _h5py().Group) else "dataset"


def names(gid):
    group = _REG.get(gid)
    return list(group.keys())


def create_group(gid, name):
    name = str(name)
    group = _writable(gid, "create the group " + name)
    if name in group:
        raise TorchValueError("hdf5: cannot create the group %s/%s: a dataset of that name exists"
                              % (group.name.rstrip("/"), name))
    return _REG.add(group.create_group(name), _REG.file_of[gid])


def _array(tensor, typename):
    dtype = _WRITE_TYPES.get(typename)
    if dtype is None:
        raise TorchTypeError("hdf5: cannot write a %s (torch-hdf5 writes Byte, Char, Short, Int, Long, "
                             "Float and Double tensors)" % typename)
    # non-contiguous tensors (a transpose) are written with their values in index order
    return np.ascontiguousarray(tensor.numpy()).astype(dtype, copy=False)


def write(gid, name, tensor, typename, chunks=None, deflate=None):
    """Create dataset `name` in group `gid` holding the tensor; its id.  Chunked datasets get an
    unlimited first dimension, so that append can grow them (torch-hdf5's layout)."""
    name = str(name)
    group = _writable(gid, "write " + name)
    where = group.name.rstrip("/") + "/" + name
    if name in group:
        raise TorchValueError("hdf5: cannot write %s in %s: it already exists (torch-hdf5 does not "
                              "overwrite; write to a new file or another name)" % (where, _REG.filenames[_REG.file_of[gid]]))
    arr = _array(tensor, typename)
    if arr.ndim == 0:
        arr = arr.reshape(0)   # an empty tensor
    kw = {}
    if chunks is not None:
        kw["chunks"] = tuple(max(1, int(c)) for c in chunks)
        kw["maxshape"] = (None,) + arr.shape[1:]
    if deflate is not None:
        if chunks is None:
            raise TorchValueError("hdf5: cannot write %s with deflate but no chunking: HDF5 compresses "
                                  "chunked datasets only (DataSetOptions:setChunked(...))" % where)
        kw["compression"], kw["compression_opts"] = "gzip", int(deflate)
    ds = group.create_dataset(name, data=arr, **kw)
    return _REG.add(ds, _REG.file_of[gid])


def append(oid, tensor, typename):
    """Grow dataset `oid` along its first dimension by the tensor's rows."""
    ds = _dataset(oid)
    _writable(oid, "append to " + ds.name)
    arr = _array(tensor, typename)
    if arr.ndim == 0:
        raise TorchValueError("hdf5: cannot append an empty tensor to %s" % ds.name)
    if arr.ndim != ds.ndim or arr.shape[1:] != ds.shape[1:]:
        raise TorchValueError("hdf5: cannot append a tensor of size %s to %s of size %s: all but the first "
                              "dimension must match" % ("x".join(map(str, arr.shape)), ds.name,
                                                       "x".join(map(str, ds.shape))))
    old = ds.shape[0]
    limit = ds.maxshape[0]
    if limit is not None and old + arr.shape[0] > limit:
        raise TorchValueError("hdf5: cannot append to %s: it was written without chunking, so its size is "
                              "fixed (write it with DataSetOptions():setChunked(...) to append)" % ds.name)
    ds.resize(old + arr.shape[0], axis=0)
    ds[old:] = arr


def close(fid):
    _REG.close(fid)


def open_objects(fid):
    """Descriptions of the objects of file `fid` held open here (the file first)."""
    _REG.get(fid)
    ids = sorted(o for o, owner in list(_REG.file_of.items()) if owner == fid and o in _REG.objects)
    return [describe(o) for o in ids]


def library_version():
    return list(_h5py().version.hdf5_version_tuple)


def bridge(runtime):
    table = runtime.lua.table_from

    def seq(t):
        return [] if t is None else [t[i] for i in range(1, len(t) + 1)]

    def tmpdir():
        return tempfile.mkdtemp(prefix="torch_hdf5_")

    return dict(
        open=lambda filename, mode=None: open_file(filename, mode),
        describe=describe,
        child=child,
        names=lambda gid: table(names(gid)),
        create_group=create_group,
        tensor_type=tensor_type,
        read_all=read_all,
        partial=lambda oid, firsts, lasts: partial(oid, list(zip(seq(firsts), seq(lasts)))),
        size=lambda oid: table(size(oid)),
        layout=lambda oid: tuple(None if v is None else table(v) if isinstance(v, list) else v
                                 for v in layout(oid)),
        write=lambda gid, name, t, typename, chunks=None, deflate=None: write(
            gid, name, t, typename, None if chunks is None else seq(chunks), deflate),
        append=append,
        close=close,
        open_objects=lambda fid: table(open_objects(fid)),
        version=lambda: table(library_version()),
        mkdtemp=tmpdir,
        rmtree=lambda path: shutil.rmtree(path, ignore_errors=True),
    )
