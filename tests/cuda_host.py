"""Run the CUDA kernel sources of pytorch_lite/cuda on the host, to test them without a GPU.

Each source is compiled by the host C++ compiler with a small shim (one block of one thread: the
kernels' grid-stride loops then visit every element in order; atomicAdd is a plain add; the CUDA
bit-cast intrinsics by memcpy), loaded with ctypes, and put behind ``_kernels.launch``; a stand-in
``cupy`` module maps the wrappers' array calls (matmul, tensordot, asarray, ...) to numpy.  The
wrappers of cuda/_nn*.py then run end to end on numpy arrays, against the Cython kernels.
"""
import ctypes
import hashlib
import os
import shutil
import subprocess
import sys
import tempfile
import types

import numpy as np

SHIM = r"""
#include <cstring>
#include <cmath>
struct pl_dim3 { unsigned x; };
static const pl_dim3 blockIdx = {0}, threadIdx = {0}, blockDim = {1}, gridDim = {1};
#define __global__
template <class T> static inline T atomicAdd(T* p, T v) { T old = *p; *p += v; return old; }
static inline float __int_as_float(unsigned int i) { float f; std::memcpy(&f, &i, 4); return f; }
static inline double __longlong_as_double(unsigned long long i) { double d; std::memcpy(&d, &i, 8); return d; }
"""

CXX = shutil.which("g++") or shutil.which("c++") or shutil.which("clang++")
_LIBS = {}


def library(owner):
    from pytorch_lite.cuda import _kernels
    lib = _LIBS.get(owner)
    if lib is None:
        src = SHIM + _kernels.SOURCES[owner]
        tag = hashlib.sha1(src.encode()).hexdigest()[:12]
        d = os.path.join(tempfile.gettempdir(), "pytorch_lite_cuda_host")
        os.makedirs(d, exist_ok=True)
        so = os.path.join(d, "%s_%s.so" % (owner.rsplit(".", 1)[1], tag))
        if not os.path.exists(so):
            cu = so[:-3] + ".cpp"
            with open(cu, "w") as f:
                f.write(src)
            r = subprocess.run([CXX, "-O1", "-shared", "-fPIC", "-std=c++14", "-o", so + ".tmp", cu],
                               capture_output=True, text=True)
            if r.returncode:
                raise RuntimeError(r.stderr)
            os.replace(so + ".tmp", so)
        lib = _LIBS[owner] = ctypes.CDLL(so)
    return lib


def _c_arg(a):
    if isinstance(a, np.ndarray):
        assert a.flags.c_contiguous, "a kernel argument array must be contiguous"
        return ctypes.c_void_p(a.ctypes.data)
    return {np.dtype(np.int64): ctypes.c_longlong, np.dtype(np.int32): ctypes.c_int,
            np.dtype(np.float32): ctypes.c_float, np.dtype(np.float64): ctypes.c_double}[np.asarray(a).dtype](a)


def host_launch(owner, name, dtype, n, *args):
    if n <= 0:
        return
    suffix = {np.dtype(np.float32): "float", np.dtype(np.float64): "double"}[np.dtype(dtype)]
    getattr(library(owner), "%s_%s" % (name, suffix))(*[_c_arg(a) for a in args])


def fake_cupy():
    """numpy under the name cupy, for the wrappers' array calls."""
    m = types.ModuleType("cupy")
    for name in ("ndarray", "matmul", "tensordot", "asarray", "empty", "zeros", "int64", "float32",
                 "float64", "ascontiguousarray"):
        setattr(m, name, getattr(np, name))
    return m


class on_host:
    """Context: kernels launched on the host, `import cupy` answering numpy."""

    def __enter__(self):
        from pytorch_lite.cuda import _kernels
        self._k, self._launch = _kernels, _kernels.launch
        self._cupy = sys.modules.get("cupy")
        _kernels.launch = host_launch
        sys.modules["cupy"] = fake_cupy()
        return self

    def __exit__(self, *exc):
        self._k.launch = self._launch
        if self._cupy is None:
            sys.modules.pop("cupy", None)
        else:
            sys.modules["cupy"] = self._cupy
        return False
