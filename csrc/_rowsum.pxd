# A row of float/double elements summed in double with four partial sums: one running sum is a
# single chain of dependent double additions (4 cycles each), which made whole-batch reductions
# latency-bound; four chains keep the adders busy.  The order differs from one running sum by
# double roundings only (1e-16 relative).  Shared by csrc/_nn_norm.pyx and csrc/_nn_conv.pyx.

ctypedef fused rowsum_real:
    float
    double


cdef inline double row_sum(const rowsum_real* p, Py_ssize_t n) noexcept nogil:
    cdef double a0 = 0, a1 = 0, a2 = 0, a3 = 0
    cdef Py_ssize_t k = 0
    while k + 4 <= n:
        a0 = a0 + p[k]
        a1 = a1 + p[k + 1]
        a2 = a2 + p[k + 2]
        a3 = a3 + p[k + 3]
        k = k + 4
    while k < n:
        a0 = a0 + p[k]
        k = k + 1
    return (a0 + a1) + (a2 + a3)
