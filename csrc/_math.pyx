# Pointwise kernels that numpy cannot express exactly as TH computes them.
#
# TH's cadd (x:add(value, y), csub) on contiguous tensors runs through BLAS axpy or TH's AVX2
# vector code, both of which compute value*y + x with one rounding (a fused multiply-add).  numpy
# rounds twice, which is enough to move optimiser trajectories (cg, lbfgs) off Torch7's.
from cython.parallel cimport prange
from libc.math cimport fma, fmaf

ctypedef fused real_t:
    float
    double


def fma_axpy(real_t[::1] r, real_t[::1] a, real_t value, real_t[::1] b):
    """r[i] = fma(value, b[i], a[i]); r may alias a."""
    cdef Py_ssize_t n = r.shape[0], i
    if a.shape[0] != n or b.shape[0] != n:
        raise ValueError("fma_axpy: length mismatch")
    if real_t is double:
        with nogil:
            if n >= 65536:
                for i in prange(n, schedule="static"):
                    r[i] = fma(value, b[i], a[i])
            else:
                for i in range(n):
                    r[i] = fma(value, b[i], a[i])
    else:
        with nogil:
            if n >= 65536:
                for i in prange(n, schedule="static"):
                    r[i] = fmaf(value, b[i], a[i])
            else:
                for i in range(n):
                    r[i] = fmaf(value, b[i], a[i])
