"""Weights by module path (``0.weight``, ``2.1.running_mean``): export to .npz / .safetensors and
load back into a model.  Safetensors is written by hand (an 8-byte header length, a JSON header,
the raw little-endian data), so it needs no extra package; the ``safetensors`` package, when
installed, is used to check the file."""
import json
import struct

import numpy as np

from ..tensor import Tensor
from .trace import walk

FIELDS = ("weight", "bias", "running_mean", "running_var")
_ST_DTYPES = {np.dtype("float64"): "F64", np.dtype("float32"): "F32", np.dtype("int64"): "I64",
              np.dtype("int32"): "I32", np.dtype("uint8"): "U8", np.dtype("int8"): "I8", np.dtype("int16"): "I16"}
_NP_DTYPES = {v: k for k, v in _ST_DTYPES.items()}


def named_tensors(model):
    """{path.field: Tensor} for every parameter and batch-norm statistic (a shared module once)."""
    out = {}
    seen = set()
    for path, m in walk(model):
        if id(m) in seen:
            continue
        seen.add(id(m))
        for f in FIELDS:
            t = m.__dict__.get(f)
            if isinstance(t, Tensor) and t.nElement():
                out[(path + "." if path else "") + f] = t
    return out


def arrays(model):
    return {k: np.ascontiguousarray(t._a) for k, t in named_tensors(model).items()}


def save_npz(path, model):
    with open(path, "wb") as f:
        np.savez(f, **arrays(model))


def save_safetensors(path, model, metadata=None):
    arrs = arrays(model)
    header, offset = {}, 0
    for k, a in arrs.items():
        a = a.astype(a.dtype.newbyteorder("<"), copy=False)
        header[k] = {"dtype": _ST_DTYPES[a.dtype.newbyteorder("=")], "shape": list(a.shape),
                     "data_offsets": [offset, offset + a.nbytes]}
        offset += a.nbytes
    if metadata:
        header["__metadata__"] = {str(k): str(v) for k, v in metadata.items()}
    blob = json.dumps(header, separators=(",", ":")).encode("utf-8")
    blob += b" " * (-len(blob) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(blob)))
        f.write(blob)
        for a in arrs.values():
            f.write(np.ascontiguousarray(a, dtype=a.dtype.newbyteorder("<")).tobytes())


def read_safetensors(path):
    with open(path, "rb") as f:
        raw = f.read()
    (n,) = struct.unpack("<Q", raw[:8])
    header = json.loads(raw[8:8 + n])
    header.pop("__metadata__", None)
    base = 8 + n
    out = {}
    for k, info in header.items():
        s, e = info["data_offsets"]
        out[k] = np.frombuffer(raw[base + s:base + e], dtype=_NP_DTYPES[info["dtype"]].newbyteorder("<")).reshape(
            info["shape"]).astype(_NP_DTYPES[info["dtype"]])
    return out


def read_weights(path, fmt=None):
    """{name: array} from a .npz or .safetensors file (``fmt`` 'npz'/'safetensors' overrides the suffix)."""
    if fmt == "npz" or (fmt is None and str(path).endswith(".npz")):
        with np.load(path) as z:
            return {k: z[k] for k in z.files}
    return read_safetensors(path)


def load_weights(model, path_or_arrays, strict=True):
    """Copy weights named by module path into model's tensors (shapes must match)."""
    arrs = read_weights(path_or_arrays) if isinstance(path_or_arrays, str) else path_or_arrays
    mine = named_tensors(model)
    if strict and set(arrs) != set(mine):
        from ..errors import TorchValueError
        raise TorchValueError("load_weights: names differ: missing %s, unexpected %s"
                              % (sorted(set(mine) - set(arrs)), sorted(set(arrs) - set(mine))))
    for k, t in mine.items():
        if k in arrs:
            t._a[...] = np.asarray(arrs[k]).reshape(t._a.shape)
    return model
