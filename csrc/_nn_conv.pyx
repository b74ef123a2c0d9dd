"""Convolution kernels (THNN style): stateless, over numpy buffers, GEMM through numpy's BLAS.

The heavy data movement (im2col / col2im and their 3-D forms) runs in C with the GIL released;
the matrix products go through ``np.matmul(..., out=)`` into buffers the caller owns
(``finput`` / ``fgradInput``, as TH keeps them on the module).  Every function checks its
arguments before releasing the GIL, so bad shapes raise instead of writing out of bounds.

Layouts (C-contiguous): images are (N, C, H, W); columns are (C*kH*kW, N, oH*oW), the whole
batch side by side so one GEMM covers it; volumes are (N, C, T, H, W) with columns
(C*kT*kH*kW, N, oT*oH*oW).
"""
import threading

import numpy as np
cimport numpy as cnp
cimport openmp
from cython.parallel cimport prange, parallel, threadid
from libc.stdint cimport int64_t, uintptr_t
from libc.stdlib cimport malloc, free

cnp.import_array()

ctypedef fused real:
    float
    double


# ---------------------------------------------------------------- numpy's own BLAS, from C
# numpy's wheels bundle OpenBLAS (ILP64, symbols prefixed scipy_ and suffixed 64_).  When it is
# found, the convolutions run one parallel loop over the images, each thread calling a
# single-threaded GEMM per image right after its im2col (or before its col2im) while the columns
# are still in cache: one fork/join per layer instead of OpenBLAS waking its workers for every
# image, which on a busy machine stalls each time a worker is descheduled.  Single-threaded:
# OpenBLAS's pthreads build runs a call on the calling thread alone while its `blas_cpu_number`
# is 1 (num_cpu_avail in common_thread.h); the loop sets it to 1 and puts the old value back.
# openblas_set_num_threads would do the same but shuts its worker threads down and starts them
# again, which costs the next threaded GEMM ~10 ms.  Otherwise (another numpy build, or the
# counter does not agree with openblas_get_num_threads) the numpy-matmul path below is used.

ctypedef void (*sgemm_t)(int, int, int, int64_t, int64_t, int64_t, float, const float*, int64_t,
                         const float*, int64_t, float, float*, int64_t) noexcept nogil
ctypedef void (*dgemm_t)(int, int, int, int64_t, int64_t, int64_t, double, const double*, int64_t,
                         const double*, int64_t, double, double*, int64_t) noexcept nogil
ctypedef int (*getn_t)() noexcept nogil

cdef sgemm_t _sgemm = NULL
cdef dgemm_t _dgemm = NULL
cdef int* _blas_cpu_number = NULL
cdef enum:
    RowMajor = 101
    NoTrans = 111
    Trans = 112


def _load_blas():
    global _sgemm, _dgemm, _blas_cpu_number
    import ctypes
    import glob
    import os
    if os.environ.get("PYTORCH_LITE_NO_CBLAS"):
        return False
    try:
        cfg = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        if cfg.get("name") != "scipy-openblas" or "USE64BITINT" not in cfg.get("openblas configuration", ""):
            return False
        libdir = os.path.join(os.path.dirname(os.path.dirname(np.__file__)), "numpy.libs")
        libs = glob.glob(os.path.join(libdir, "libscipy_openblas64_*"))
        if len(libs) != 1:
            return False
        lib = ctypes.CDLL(libs[0])
        a = [ctypes.cast(getattr(lib, name), ctypes.c_void_p).value
             for name in ("scipy_cblas_sgemm64_", "scipy_cblas_dgemm64_", "scipy_openblas_get_num_threads64_")]
        counter = ctypes.c_int.in_dll(lib, "blas_cpu_number")
        if not all(a) or counter.value != (<getn_t><uintptr_t>a[2])():
            return False
        _sgemm = <sgemm_t><uintptr_t>a[0]
        _dgemm = <dgemm_t><uintptr_t>a[1]
        _blas_cpu_number = <int*><uintptr_t>ctypes.addressof(counter)
        return True
    except Exception:
        _sgemm = NULL
        _dgemm = NULL
        _blas_cpu_number = NULL
        return False


HAVE_CBLAS = _load_blas()


cdef inline void _gemm(bint ta, bint tb, Py_ssize_t M, Py_ssize_t N, Py_ssize_t K, real alpha,
                       const real* A, Py_ssize_t lda, const real* B, Py_ssize_t ldb, real beta,
                       real* C, Py_ssize_t ldc) noexcept nogil:
    """C (M x N) = alpha op(A) op(B) + beta C, row-major."""
    if real is float:
        _sgemm(RowMajor, Trans if ta else NoTrans, Trans if tb else NoTrans, M, N, K, alpha, A, lda,
               B, ldb, beta, C, ldc)
    else:
        _dgemm(RowMajor, Trans if ta else NoTrans, Trans if tb else NoTrans, M, N, K, alpha, A, lda,
               B, ldb, beta, C, ldc)


# The per-image products of the convolutions run in column chunks of at most _chunk(K)
# output positions: OpenBLAS's SkylakeX kernels fall off a cliff on wide products here (32 x 4096
# x 27: 45 GF/s, the same as four 32 x 1024 x 27 products: 100 GF/s; 64 x 1024 x 288: 82 GF/s,
# as two 64 x 512: 96).  Each chunk's columns are a whole GEMM of their own, so the bits depend
# on the chunking: the fused and the general paths chunk alike (_chunked_gemm_out / _cols below),
# and the chunk width is a function of the shape only (never of the thread count).

cdef inline Py_ssize_t _chunk(Py_ssize_t K) noexcept nogil:
    return 1024 if K < 64 else 256


cdef inline void _cols_gemm(Py_ssize_t O, Py_ssize_t K, Py_ssize_t L, const real* W, const real* cols,
                            Py_ssize_t ld, real* out, Py_ssize_t l0, Py_ssize_t l1) noexcept nogil:
    """out[:, l0:l1] (rows L apart) = W (O x K) @ cols[:, l0:l1] (rows ld apart), chunk by chunk."""
    cdef Py_ssize_t c = _chunk(K), a = l0, n
    while a < l1:
        n = c if a + c <= l1 else l1 - a
        _gemm(False, False, O, n, K, <real>1, W, K, cols + a, ld, <real>0, out + a, L)
        a = a + c


cdef inline void _grad_cols_gemm(Py_ssize_t O, Py_ssize_t K, Py_ssize_t L, const real* W, const real* g,
                                 real* cols, Py_ssize_t ld, Py_ssize_t l0, Py_ssize_t l1) noexcept nogil:
    """cols[:, l0:l1] (rows ld apart) = W.T (K x O) @ g[:, l0:l1] (rows L apart), chunk by chunk."""
    cdef Py_ssize_t c = _chunk(K), a = l0, n
    while a < l1:
        n = c if a + c <= l1 else l1 - a
        _gemm(True, False, K, n, O, <real>1, W, K, g + a, L, <real>0, cols + a, ld)
        a = a + c


def _check(cond, msg):
    if not cond:
        raise ValueError(msg)


def gemm(a, b, c, bint transA=False, bint transB=False, double alpha=1, double beta=0):
    """c = alpha op(a) @ op(b) + beta c for C-contiguous float/double 2-D arrays (op: transpose
    when asked), the rows of c split among the OpenMP threads, each a single-threaded GEMM of
    numpy's OpenBLAS: one fork/join, no fine-grained hand-offs between BLAS threads.  Returns
    False (nothing done) when numpy's OpenBLAS is not reachable or the arrays do not fit; the
    caller then uses numpy."""
    if not HAVE_CBLAS or a.dtype != c.dtype or b.dtype != c.dtype or c.dtype not in _FLOATS:
        return False
    if type(a) is not np.ndarray or type(b) is not np.ndarray or type(c) is not np.ndarray:
        return False   # CuPy arrays (Cuda tensors): the caller's numpy call dispatches to cuBLAS
    if a.ndim != 2 or b.ndim != 2 or c.ndim != 2 or not (a.flags.c_contiguous and b.flags.c_contiguous
                                                          and c.flags.c_contiguous):
        return False
    M, K = (a.shape[1], a.shape[0]) if transA else a.shape
    K2, N = (b.shape[1], b.shape[0]) if transB else b.shape
    if K != K2 or c.shape[0] != M or c.shape[1] != N or M == 0 or N == 0:
        return False
    if (transB and not transA and M < N and M * N * K >= SWAP_MIN_WORK
            and gemm_threads(M, N, K, openmp.omp_get_max_threads()) == 1):
        # c = a b^T (Linear's forward, few rows) as (b a^T)^T: single-threaded OpenBLAS packs the
        # long operand b much faster untransposed (16x128 by 128x512: 31 us instead of 52; split
        # among threads it is slower, 128x784 by 784x1024: 1.55 ms instead of 1.24); each element
        # is the same dot product over the same K blocks, so the bits are the same (tested)
        ct = np.empty((N, M), c.dtype)
        if beta != 0:
            ct[...] = c.T
        _pgemm(b, a, ct, False, True, alpha, beta)
        c[...] = ct.T
        return True
    _pgemm(a, b, c, transA, transB, alpha, beta)
    return True


SWAP_MIN_WORK = 1 << 16   # below: the two transposing copies cost more than the packing saves


def linear_forward(x, w, bias, out):
    """Linear's batch forward out = x w^T (+ bias over every row) for few rows, with the same bits
    as ``out[...] = bias; gemm(x, w, out, False, True, 1, 1)`` (gemm's swapped product): the
    bias goes straight into the transposed buffer and one transposing copy brings the result
    back, all in C, instead of three numpy copies around the product.  bias may be None (then
    beta 0, as gemm without it).  Returns False (nothing done) outside the swapped product's
    range or for arrays it does not take: the caller then uses gemm."""
    if not HAVE_CBLAS or type(x) is not np.ndarray or type(w) is not np.ndarray or type(out) is not np.ndarray:
        return False
    if x.dtype != out.dtype or w.dtype != out.dtype or out.dtype not in _FLOATS:
        return False
    if x.ndim != 2 or w.ndim != 2 or out.ndim != 2 or not (x.flags.c_contiguous and w.flags.c_contiguous
                                                           and out.flags.c_contiguous):
        return False
    cdef Py_ssize_t M = x.shape[0], K = x.shape[1], N = w.shape[0]
    if w.shape[1] != K or out.shape[0] != M or out.shape[1] != N or K == 0:
        return False
    if bias is not None and (type(bias) is not np.ndarray or bias.dtype != out.dtype or bias.ndim != 1
                             or bias.shape[0] != N or not bias.flags.c_contiguous):
        return False
    if not (M < N and M * N * K >= SWAP_MIN_WORK and gemm_threads(M, N, K, openmp.omp_get_max_threads()) == 1):
        return False
    if np.may_share_memory(out, x) or np.may_share_memory(out, w):
        return False
    if out.dtype == np.float32:
        _linear_fw[float](x, w, bias, out, M, N, K)
    else:
        _linear_fw[double](x, w, bias, out, M, N, K)
    return True


cdef void _linear_fw(cnp.ndarray x, cnp.ndarray w, object bias, cnp.ndarray out, Py_ssize_t M, Py_ssize_t N,
                     Py_ssize_t K, real tag=0) except *:
    cdef const real* X = <const real*>cnp.PyArray_DATA(x)
    cdef const real* W = <const real*>cnp.PyArray_DATA(w)
    cdef const real* B = NULL if bias is None else <const real*>cnp.PyArray_DATA(<cnp.ndarray>bias)
    cdef real* O = <real*>cnp.PyArray_DATA(out)
    cdef real* ct = <real*>malloc(N * M * sizeof(real))
    cdef Py_ssize_t m, n, n0, n1
    if ct == NULL:
        raise MemoryError()
    try:
        with _OneThreadBLAS():
            with nogil:
                if B != NULL:
                    for n in range(N):
                        for m in range(M):
                            ct[n * M + m] = B[n]
                _gemm(False, True, N, M, K, <real>1, W, K, X, K, <real>(1 if B != NULL else 0), ct, M)
                for n0 in range(0, N, 16):   # in blocks of 16 columns: both sides stay in cache lines
                    n1 = n0 + 16 if n0 + 16 < N else N
                    for m in range(M):
                        for n in range(n0, n1):
                            O[m * N + n] = ct[n * M + m]
    finally:
        free(ct)


def linear_acc_grad_bias(g, gb, double scale):
    """gb += scale * g.sum(0) for a C-contiguous 2-D g and 1-D gb of one float type, with numpy's
    bits: its sum over the outer axis adds the rows in order, scale is rounded to the type first.
    Returns False (nothing done) for arrays it does not take: the caller uses numpy."""
    if type(g) is not np.ndarray or type(gb) is not np.ndarray or g.dtype != gb.dtype or g.dtype not in _FLOATS:
        return False
    if g.ndim != 2 or gb.ndim != 1 or g.shape[1] != gb.shape[0] or g.shape[0] == 0:
        return False
    if not (g.flags.c_contiguous and gb.flags.c_contiguous) or np.may_share_memory(g, gb):
        return False
    if g.dtype == np.float32:
        _acc_bias[float](g, gb, scale)
    else:
        _acc_bias[double](g, gb, scale)
    return True


cdef void _acc_bias(cnp.ndarray g, cnp.ndarray gb, double scale, real tag=0) except *:
    cdef const real* G = <const real*>cnp.PyArray_DATA(g)
    cdef real* B = <real*>cnp.PyArray_DATA(gb)
    cdef Py_ssize_t R = g.shape[0], N = g.shape[1], i, j
    cdef real s = <real>scale
    cdef real* acc = <real*>malloc(N * sizeof(real))
    if acc == NULL:
        raise MemoryError()
    with nogil:
        for j in range(N):
            acc[j] = G[j]
        for i in range(1, R):      # row by row, as numpy's reduction over the outer axis
            for j in range(N):
                acc[j] = acc[j] + G[i * N + j]
        for j in range(N):
            B[j] = B[j] + s * acc[j]
    free(acc)


def mm(a, b, c):
    """c = a @ b for 2-D float/double arrays below gemm's threading size, single-threaded: the
    tensor API's mm/addmm on small matrices would otherwise wake numpy's OpenBLAS threads (its own
    rule threads anything over 262144 multiply-adds, and on a busy machine a 16x128 by 128x512
    product then takes 1 ms instead of 35 us).  The bits are numpy's matmul on one OpenBLAS
    thread (its threaded path blocks a long K differently, so numpy's own bits depend on its
    thread count).  Larger products stay with numpy's threaded OpenBLAS, as fast as our split.
    a and b may be transposed views of C-contiguous arrays; c must be C-contiguous.  Returns False
    (nothing done) otherwise: the caller uses numpy."""
    if a.ndim != 2 or b.ndim != 2 or a.shape[0] < 2 or b.shape[1] < 2:
        return False   # a row or column: numpy's matmul runs gemv/dot there (other roundings)
    if np.may_share_memory(c, a) or np.may_share_memory(c, b):
        return False   # x:mm(x, y): numpy's matmul works through a copy
    if gemm_threads(a.shape[0], b.shape[1], a.shape[1], openmp.omp_get_max_threads()) > 1:
        return False   # large: numpy's own threaded OpenBLAS is as fast, and keeps its bits
    ta = not a.flags.c_contiguous
    if ta:
        if not a.flags.f_contiguous:
            return False
        a = a.T
    tb = not b.flags.c_contiguous
    if tb:
        if not b.flags.f_contiguous:
            return False
        b = b.T
    return gemm(a, b, c, ta, tb)


_FLOATS = (np.dtype(np.float32), np.dtype(np.float64))


# Threads chosen by size, as PyTorch's parallel_for does with its grain size: every thread gets at
# least GEMM_GRAIN multiply-adds (0.5-0.8 ms of single-threaded OpenBLAS here), so the fork/join
# (a worker woken from OMP_WAIT_POLICY=PASSIVE sleep costs tens of microseconds, far more when the
# cores are shared) never outweighs the split.  The small products of an LSTM step (16x128 by
# 128x512) then run on the calling thread: 2 threads made them 1.6x slower than 1.
GEMM_GRAIN = 1 << 24


cpdef int gemm_threads(Py_ssize_t M, Py_ssize_t N, Py_ssize_t K, int max_threads) noexcept:
    """How many threads _pgemm uses for an M x N x K product (1: the calling thread alone)."""
    cdef double work = <double>M * <double>N * <double>K
    cdef double t = work / GEMM_GRAIN
    if t < 2:
        return 1
    return max_threads if t >= max_threads else <int>t


def _pgemm(const real[:, ::1] a, const real[:, ::1] b, real[:, ::1] c, bint transA, bint transB,
           double alpha, double beta):
    cdef Py_ssize_t M = c.shape[0], N = c.shape[1], K = a.shape[0] if transA else a.shape[1]
    cdef Py_ssize_t lda = a.shape[1], ldb = b.shape[1], T = openmp.omp_get_max_threads(), t, m0, m1, step
    cdef const real* A = &a[0, 0] if a.shape[0] * a.shape[1] else NULL
    if K == 0:
        if beta == 0:
            c[...] = 0
        else:
            for t in range(M):
                for m0 in range(N):
                    c[t, m0] *= <real>beta
        return
    # split the longer side of c: the other operand is packed by every thread, keep it the small one
    cdef bint by_rows = M >= N
    cdef Py_ssize_t D = M if by_rows else N
    T = gemm_threads(M, N, K, T)
    if T > D:
        T = D
    if T <= 1:   # no parallel region at all: waking a passive OpenMP worker costs more than it saves
        with _OneThreadBLAS():
            with nogil:
                _gemm(transA, transB, M, N, K, <real>alpha, A, lda, &b[0, 0], ldb, <real>beta, &c[0, 0], N)
        return
    step = (D + T - 1) // T
    with _OneThreadBLAS():
        with nogil:
            for t in prange(T, schedule="static", num_threads=T):
                m0 = t * step
                m1 = m0 + step if m0 + step < D else D
                if m1 <= m0:
                    continue
                if by_rows:
                    _gemm(transA, transB, m1 - m0, N, K, <real>alpha, A + (m0 if transA else m0 * lda), lda,
                          &b[0, 0], ldb, <real>beta, &c[m0, 0], N)
                else:
                    _gemm(transA, transB, M, m1 - m0, K, <real>alpha, A, lda,
                          &b[0, 0] + (m0 * ldb if transB else m0), ldb, <real>beta, &c[0, m0], N)


from _rowsum cimport row_sum as _row_sum   # four partial sums in double (csrc/_rowsum.pxd)


# ---------------------------------------------------------------- 2-D im2col / col2im

cdef inline void _im2col_row(const real* img, real* dst, Py_ssize_t rem, Py_ssize_t H, Py_ssize_t W,
                             Py_ssize_t oH, Py_ssize_t oW, int kH, int kW, int padH, int padW, int dH,
                             int dW, int dilH, int dilW) noexcept nogil:
    """Column row rem = (c*kH+i)*kW+j of one image (img: its C x H x W pixels) into dst[0:oH*oW]."""
    cdef Py_ssize_t c = rem // (kH * kW), i = (rem // kW) % kH, j = rem % kW
    cdef Py_ssize_t oh, ow, ih, iw, ow0, ow1, base
    cdef const real* plane = img + c * H * W
    cdef const real* src
    # the output columns whose input pixel lies inside the row: ow0 <= ow < ow1
    ow0 = 0
    while ow0 < oW and ow0 * dW - padW + j * dilW < 0:
        ow0 = ow0 + 1
    ow1 = oW
    while ow1 > ow0 and (ow1 - 1) * dW - padW + j * dilW >= W:
        ow1 = ow1 - 1
    for oh in range(oH):
        ih = oh * dH - padH + i * dilH
        base = oh * oW
        if ih < 0 or ih >= H:
            for ow in range(oW):
                dst[base + ow] = 0
        else:
            for ow in range(ow0):
                dst[base + ow] = 0
            iw = ow0 * dW - padW + j * dilW
            if dW == 1:   # a plain copy the compiler vectorizes (the strided form it cannot)
                src = plane + ih * W + iw - ow0
                for ow in range(ow0, ow1):
                    dst[base + ow] = src[ow]
            else:
                for ow in range(ow0, ow1):
                    dst[base + ow] = plane[ih * W + iw]
                    iw = iw + dW
            for ow in range(ow1, oW):
                dst[base + ow] = 0


cdef inline void _col2im_plane(const real* col, Py_ssize_t ld, real* plane, Py_ssize_t c, Py_ssize_t H,
                               Py_ssize_t W, Py_ssize_t oH, Py_ssize_t oW, int kH, int kW, int padH,
                               int padW, int dH, int dW, int dilH, int dilW) noexcept nogil:
    """Plane c of one image (H x W at plane) = the sum of its column entries; col points at the
    image's first column row, rows ld apart."""
    cdef Py_ssize_t i, j, oh, ow, ih, iw, ow0, ow1
    cdef const real* src
    cdef real* dst
    for ih in range(H * W):
        plane[ih] = 0
    for i in range(kH):
        for j in range(kW):
            src = col + ((c * kH + i) * kW + j) * ld
            ow0 = 0
            while ow0 < oW and ow0 * dW - padW + j * dilW < 0:
                ow0 = ow0 + 1
            ow1 = oW
            while ow1 > ow0 and (ow1 - 1) * dW - padW + j * dilW >= W:
                ow1 = ow1 - 1
            for oh in range(oH):
                ih = oh * dH - padH + i * dilH
                if ih < 0 or ih >= H:
                    continue
                dst = plane + ih * W + (ow0 * dW - padW + j * dilW)
                if dW == 1:
                    for ow in range(ow0, ow1):
                        dst[ow - ow0] += src[oh * oW + ow]
                else:
                    for ow in range(ow0, ow1):
                        dst[(ow - ow0) * dW] += src[oh * oW + ow]


cdef Py_ssize_t _cols_ld(const real[:, :, :] col, name) except -1:
    """The row stride (elements) of a (K, N, L) column buffer: N*L, or more where the rows are
    padded apart (nn/_spatial.column_buffer); each row's (N, L) block must be C-contiguous."""
    _check(col.strides[2] == sizeof(real) and col.strides[1] == col.shape[2] * sizeof(real)
           and col.strides[0] >= col.shape[1] * col.strides[1] and col.strides[0] % sizeof(real) == 0,
           name + ": each row of the column buffer must be contiguous")
    return col.strides[0] // sizeof(real)


def _geometry(Py_ssize_t H, Py_ssize_t W, int kH, int kW, int padH, int padW, int dH, int dW,
              int dilH, int dilW, name):
    oH = (H + 2 * padH - (dilH * (kH - 1) + 1)) // dH + 1
    oW = (W + 2 * padW - (dilW * (kW - 1) + 1)) // dW + 1
    _check(oH >= 1 and oW >= 1 and kH >= 1 and kW >= 1 and dH >= 1 and dW >= 1 and dilH >= 1 and dilW >= 1,
           name + ": output would be empty")
    return oH, oW


def im2col(real[:, :, :, ::1] data, real[:, :, :] col, int kH, int kW, int padH, int padW,
           int dH, int dW, int dilH, int dilW):
    """col[(c*kH+i)*kW+j, n, oh*oW+ow] = data[n, c, oh*dH-padH+i*dilH, ow*dW-padW+j*dilW] (0 outside).

    The columns of the whole batch sit side by side (K x N*L), so one GEMM serves the batch."""
    cdef Py_ssize_t N = data.shape[0], C = data.shape[1], H = data.shape[2], W = data.shape[3], oH, oW
    oH, oW = _geometry(H, W, kH, kW, padH, padW, dH, dW, dilH, dilW, "im2col")
    _check(col.shape[0] == C * kH * kW and col.shape[1] == N and col.shape[2] == oH * oW,
           "im2col: column buffer has the wrong shape")
    cdef Py_ssize_t K = C * kH * kW, rows = N * K, r, n, rem
    _cols_ld(col, "im2col")
    with nogil:
        for r in prange(rows, schedule="static"):
            rem = r // N
            n = r % N
            _im2col_row(&data[n, 0, 0, 0], &col[rem, n, 0], rem, H, W, oH, oW, kH, kW, padH, padW,
                        dH, dW, dilH, dilW)


def col2im(real[:, :, :] col, real[:, :, :, ::1] data, int kH, int kW, int padH, int padW,
           int dH, int dW, int dilH, int dilW):
    """The adjoint of im2col: data is zeroed, then every column entry is added back to its pixel."""
    cdef Py_ssize_t N = data.shape[0], C = data.shape[1], H = data.shape[2], W = data.shape[3], oH, oW
    oH, oW = _geometry(H, W, kH, kW, padH, padW, dH, dW, dilH, dilW, "col2im")
    _check(col.shape[0] == C * kH * kW and col.shape[1] == N and col.shape[2] == oH * oW,
           "col2im: column buffer has the wrong shape")
    cdef Py_ssize_t planes = N * C, p, n, c, ld = _cols_ld(col, "col2im")
    with nogil:
        for p in prange(planes, schedule="static"):
            n = p // C
            c = p % C
            _col2im_plane(&col[0, n, 0], ld, &data[n, c, 0, 0], c, H, W, oH, oW, kH, kW,
                          padH, padW, dH, dW, dilH, dilW)


# ---------------------------------------------------------------- fused per-image convolution
# One parallel loop over the images; each thread runs single-threaded GEMMs (numpy's OpenBLAS
# with its thread counter at 1 for the loop, restored after).

cdef int _one_thread_depth = 0
cdef int _saved_cpu_number = 0


cdef class _OneThreadBLAS:
    """numpy's OpenBLAS single-threaded inside the block.  Entered and left with the GIL held; a
    depth count keeps nested or concurrent (other Python threads) blocks from restoring 1."""

    def __enter__(self):
        global _one_thread_depth, _saved_cpu_number
        if _one_thread_depth == 0:
            _saved_cpu_number = _blas_cpu_number[0]
            _blas_cpu_number[0] = 1
        _one_thread_depth += 1

    def __exit__(self, *exc):
        global _one_thread_depth
        _one_thread_depth -= 1
        if _one_thread_depth == 0:
            _blas_cpu_number[0] = _saved_cpu_number


def fused_ok(N):
    """Whether the fused per-image path applies: numpy's OpenBLAS found, two images per thread."""
    return HAVE_CBLAS and N >= 2 * openmp.omp_get_max_threads()


def fused_conv_forward(const real[:, :, :, ::1] input, real[:, :, ::1] output, const real[:, ::1] weight,
                       const real[::1] bias, real[:, :, :] finput, int kH, int kW, int padH, int padW,
                       int dH, int dW, int dilH, int dilW):
    """output[n] (O, L) = weight (O, K) @ im2col(input[n]) (+ bias); finput (K, N, L) is filled."""
    cdef Py_ssize_t N = input.shape[0], C = input.shape[1], H = input.shape[2], W = input.shape[3], oH, oW
    cdef Py_ssize_t O = weight.shape[0], K = weight.shape[1], L, n, r, o, l
    oH, oW = _geometry(H, W, kH, kW, padH, padW, dH, dW, dilH, dilW, "conv")
    L = oH * oW
    _check(HAVE_CBLAS, "fused_conv_forward: numpy's OpenBLAS was not found")
    cdef Py_ssize_t ld = _cols_ld(finput, "fused_conv_forward")
    _check(K == C * kH * kW and finput.shape[0] == K and finput.shape[1] == N and finput.shape[2] == L,
           "fused_conv_forward: column buffer or weight has the wrong shape")
    _check(output.shape[0] == N and output.shape[1] == O and output.shape[2] == L,
           "fused_conv_forward: output has the wrong shape")
    cdef bint has_bias = bias is not None
    _check(not has_bias or bias.shape[0] == O, "fused_conv_forward: bias has the wrong size")
    cdef real b
    with _OneThreadBLAS():
        with nogil:
            for n in prange(N, schedule="dynamic"):
                for r in range(K):
                    _im2col_row(&input[n, 0, 0, 0], &finput[r, n, 0], r, H, W, oH, oW, kH, kW, padH,
                                padW, dH, dW, dilH, dilW)
                _cols_gemm(O, K, L, &weight[0, 0], &finput[0, n, 0], ld, &output[n, 0, 0], 0, L)
                if has_bias:
                    for o in range(O):
                        b = bias[o]
                        for l in range(L):
                            output[n, o, l] += b


def fused_conv_grad_input(const real[:, :, ::1] gradOutput, real[:, :, :, ::1] gradInput,
                          const real[:, ::1] weight, real[:, :, :] fgradInput, int kH, int kW,
                          int padH, int padW, int dH, int dW, int dilH, int dilW,
                          real[:, :, ::1] scratch=None):
    """gradInput[n] = col2im(weight.T @ gradOutput[n]); fgradInput (K, N, L) holds the columns, or
    with scratch (one (K, L) slice per OpenMP thread) each thread's image columns go there instead."""
    cdef Py_ssize_t N = gradInput.shape[0], C = gradInput.shape[1], H = gradInput.shape[2]
    cdef Py_ssize_t W = gradInput.shape[3], oH, oW
    cdef Py_ssize_t O = weight.shape[0], K = weight.shape[1], L, n, c
    oH, oW = _geometry(H, W, kH, kW, padH, padW, dH, dW, dilH, dilW, "conv")
    L = oH * oW
    _check(HAVE_CBLAS, "fused_conv_grad_input: numpy's OpenBLAS was not found")
    cdef Py_ssize_t ld = _cols_ld(fgradInput, "fused_conv_grad_input")
    _check(K == C * kH * kW and fgradInput.shape[0] == K and fgradInput.shape[1] == N
           and fgradInput.shape[2] == L, "fused_conv_grad_input: column buffer or weight has the wrong shape")
    _check(gradOutput.shape[0] == N and gradOutput.shape[1] == O and gradOutput.shape[2] == L,
           "fused_conv_grad_input: gradOutput has the wrong shape")
    cdef bint own = scratch is not None
    cdef real* cols
    cdef Py_ssize_t cld = L if own else ld
    if own:
        _check(scratch.shape[0] >= openmp.omp_get_max_threads() and scratch.shape[1] == K
               and scratch.shape[2] == L, "fused_conv_grad_input: scratch has the wrong shape")
    with _OneThreadBLAS():
        with nogil:
            for n in prange(N, schedule="dynamic"):
                cols = &scratch[threadid(), 0, 0] if own else &fgradInput[0, n, 0]
                _grad_cols_gemm(O, K, L, &weight[0, 0], &gradOutput[n, 0, 0], cols, cld, 0, L)
                for c in range(C):
                    _col2im_plane(cols, cld, &gradInput[n, c, 0, 0], c, H, W, oH, oW,
                                  kH, kW, padH, padW, dH, dW, dilH, dilW)


def fused_conv_grad_weight(const real[:, :, ::1] gradOutput, const real[:, :, :] finput,
                           real[:, :, ::1] partial, double[:, ::1] partial_bias=None):
    """partial[t] (K, O) = sum over thread t's images n of finput[:, n, :] (K, L) @ gradOutput[n].T
    (L, O), i.e. the transposed gradient of the weight (the caller sums the partial products and
    transposes the sum; partial has one slice per OpenMP thread).  The transposed product runs
    10-25% faster in OpenBLAS than gradOutput[n] @ finput[:, n, :].T for every layer of
    bench_nn's VGG (64 x 288 x 1024: 0.41 ms instead of 0.52).  With partial_bias (T, O), also
    partial_bias[t, o] = the sum of thread t's gradOutput[n, o, :] (in double, while the image's
    gradient is in cache: a separate sum over the whole batch cost another pass)."""
    cdef Py_ssize_t N = gradOutput.shape[0], O = gradOutput.shape[1], L = gradOutput.shape[2]
    cdef Py_ssize_t K = finput.shape[0], T = partial.shape[0], n, t
    _check(HAVE_CBLAS, "fused_conv_grad_weight: numpy's OpenBLAS was not found")
    cdef Py_ssize_t ld = _cols_ld(finput, "fused_conv_grad_weight")
    _check(finput.shape[1] == N and finput.shape[2] == L and partial.shape[1] == K and partial.shape[2] == O
           and T >= openmp.omp_get_max_threads(), "fused_conv_grad_weight: buffers have the wrong shape")
    cdef bint has_bias = partial_bias is not None
    # the sum over positions in pieces only where the product is narrow (K < 64: 32 x 27 x 4096
    # took 0.154 ms, four 1024-wide pieces 0.07); wider ones gained nothing measurable
    cdef Py_ssize_t o, a, m, c = _chunk(K) if K < 64 else L
    if has_bias:
        _check(partial_bias.shape[0] == T and partial_bias.shape[1] == O,
               "fused_conv_grad_weight: bias buffer has the wrong shape")
        partial_bias[...] = 0
    partial[...] = 0
    with _OneThreadBLAS():
        with nogil:
            for n in prange(N, schedule="static"):
                t = threadid()
                a = 0
                while a < L:
                    m = c if a + c <= L else L - a
                    _gemm(False, True, K, O, m, <real>1, &finput[0, n, a], ld, &gradOutput[n, 0, a], L,
                          <real>1, &partial[t, 0, 0], O)
                    a = a + c
                if has_bias:
                    for o in range(O):
                        partial_bias[t, o] += _row_sum(&gradOutput[n, o, 0], L)


# ---------------------------------------------------------------- 3-D vol2col / col2vol

def _vol_geometry(Py_ssize_t N, Py_ssize_t C, Py_ssize_t T, Py_ssize_t H, Py_ssize_t W, col_shape,
                  int kT, int kH, int kW, int padT, int padH, int padW, int dT, int dH, int dW, name):
    """(oT, oH, oW) of a volume (N, C, T, H, W), checked along with its (K, N, L) column buffer."""
    cdef Py_ssize_t oT = (T + 2 * padT - kT) // dT + 1
    cdef Py_ssize_t oH = (H + 2 * padH - kH) // dH + 1
    cdef Py_ssize_t oW = (W + 2 * padW - kW) // dW + 1
    _check(oT >= 1 and oH >= 1 and oW >= 1, name + ": output would be empty")
    _check(col_shape[1] == N and col_shape[0] == C * kT * kH * kW and col_shape[2] == oT * oH * oW,
           name + ": column buffer has the wrong shape")
    return oT, oH, oW


def vol2col(real[:, :, :, :, ::1] data, real[:, :, ::1] col, int kT, int kH, int kW,
            int padT, int padH, int padW, int dT, int dH, int dW):
    cdef Py_ssize_t N = data.shape[0], C = data.shape[1], T = data.shape[2]
    cdef Py_ssize_t H = data.shape[3], W = data.shape[4], oT, oH, oW
    oT, oH, oW = _vol_geometry(N, C, T, H, W, col.shape, kT, kH, kW, padT, padH, padW, dT, dH, dW, "vol2col")
    cdef Py_ssize_t K = C * kT * kH * kW, rows = N * K, r, n, c, a, i, j, ot, oh, ow, it, ih, iw, rem, q
    with nogil:
        for r in prange(rows, schedule="static"):
            n = r // K
            rem = r % K
            c = rem // (kT * kH * kW)
            a = (rem // (kH * kW)) % kT
            i = (rem // kW) % kH
            j = rem % kW
            q = 0
            for ot in range(oT):
                it = ot * dT - padT + a
                for oh in range(oH):
                    ih = oh * dH - padH + i
                    for ow in range(oW):
                        iw = ow * dW - padW + j
                        if it >= 0 and it < T and ih >= 0 and ih < H and iw >= 0 and iw < W:
                            col[rem, n, q] = data[n, c, it, ih, iw]
                        else:
                            col[rem, n, q] = 0
                        q = q + 1


def col2vol(real[:, :, ::1] col, real[:, :, :, :, ::1] data, int kT, int kH, int kW,
            int padT, int padH, int padW, int dT, int dH, int dW):
    cdef Py_ssize_t N = data.shape[0], C = data.shape[1], T = data.shape[2]
    cdef Py_ssize_t H = data.shape[3], W = data.shape[4], oT, oH, oW
    oT, oH, oW = _vol_geometry(N, C, T, H, W, col.shape, kT, kH, kW, padT, padH, padW, dT, dH, dW, "col2vol")
    cdef Py_ssize_t planes = N * C, p, n, c, a, i, j, ot, oh, ow, it, ih, iw, row, q
    with nogil:
        for p in prange(planes, schedule="static"):
            n = p // C
            c = p % C
            for it in range(T):
                for ih in range(H):
                    for iw in range(W):
                        data[n, c, it, ih, iw] = 0
            for a in range(kT):
                for i in range(kH):
                    for j in range(kW):
                        row = ((c * kT + a) * kH + i) * kW + j
                        q = 0
                        for ot in range(oT):
                            it = ot * dT - padT + a
                            for oh in range(oH):
                                ih = oh * dH - padH + i
                                for ow in range(oW):
                                    iw = ow * dW - padW + j
                                    if it >= 0 and it < T and ih >= 0 and ih < H and iw >= 0 and iw < W:
                                        data[n, c, it, ih, iw] += col[row, n, q]
                                    q = q + 1


# ---------------------------------------------------------------- convolution via GEMM
# Columns are (K, N, L).  Column n, cols[:, n, :], is a (K, L) matrix with row stride N*L that
# BLAS takes as it is, so the per-image products (numpy's stacked matmul, one GEMM per image)
# write straight into the (N, O, L) output and the (K, N, L) gradient columns: no transposed
# copies of outputs or gradients.

def _to_channel_major(g3):
    """(N, O, L) -> (O, N*L)."""
    N, O = g3.shape[0], g3.shape[1]
    if N == 1:
        return g3[0]
    return np.ascontiguousarray(g3.transpose(1, 0, 2)).reshape(O, -1)


def add_bias(real[:, :, ::1] out3, const real[::1] bias):
    """out3[n, o, :] += bias[o]."""
    cdef Py_ssize_t N = out3.shape[0], O = out3.shape[1], L = out3.shape[2], p, n, o, l
    cdef real b
    _check(bias.shape[0] == O, "add_bias: bias has %d elements for %d planes" % (bias.shape[0], O))
    with nogil:
        for p in prange(N * O, schedule="static"):
            n = p // O
            o = p % O
            b = bias[o]
            for l in range(L):
                out3[n, o, l] += b


def _chunked_ok(*arrays):
    """Whether _chunked_gemm_out / _cols take these arrays (else numpy's matmul does the products:
    CuPy arrays, other types, numpy without its OpenBLAS reachable)."""
    return (HAVE_CBLAS and all(type(a) is np.ndarray for a in arrays) and arrays[0].dtype in _FLOATS
            and all(a.dtype == arrays[0].dtype for a in arrays))


def _rows_contiguous(cols):
    """Whether each row of a (K, N, L) column buffer is one C-contiguous (N, L) block."""
    return (cols.ndim == 3 and cols.strides[2] == cols.itemsize
            and cols.strides[1] == cols.shape[2] * cols.itemsize)


cdef inline int _task_threads(int T, Py_ssize_t tasks) noexcept nogil:
    """T threads, but no more than there are (image, chunk) tasks, and at least one."""
    if T > tasks:
        T = <int>tasks
    return T if T >= 1 else 1


def _chunked_gemm_out(const real[:, ::1] weight, const real[:, :, :] cols, real[:, :, ::1] out):
    """out[n] (O, L) = weight (O, K) @ cols[:, n, :] for every n, in the fused path's column chunks
    (the same bits), the (image, chunk) products split among the threads by size."""
    cdef Py_ssize_t N = out.shape[0], O = out.shape[1], L = out.shape[2], K = weight.shape[1]
    cdef Py_ssize_t ld = _cols_ld(cols, "_chunked_gemm_out"), c, nch, tasks, t, n, l0, l1
    _check(weight.shape[0] == O and cols.shape[0] == K and cols.shape[1] == N and cols.shape[2] == L,
           "_chunked_gemm_out: shapes disagree")
    if N == 0 or O == 0 or L == 0:
        return
    if K == 0:
        out[...] = 0
        return
    c = _chunk(K)
    nch = (L + c - 1) // c
    tasks = N * nch
    cdef int T = _task_threads(gemm_threads(O, N * L, K, openmp.omp_get_max_threads()), tasks)
    with _OneThreadBLAS():
        with nogil:
            for t in prange(tasks, schedule="dynamic", num_threads=T):   # (independent tasks)
                n = t // nch
                l0 = (t % nch) * c
                l1 = l0 + c if l0 + c < L else L
                _cols_gemm(O, K, L, &weight[0, 0], &cols[0, n, 0], ld, &out[n, 0, 0], l0, l1)


def _chunked_gemm_cols(const real[:, ::1] weight, const real[:, :, ::1] g3, real[:, :, :] cols):
    """cols[:, n, :] (K, L) = weight.T (K, O) @ g3[n] (O, L) for every n, chunked as gemm_out."""
    cdef Py_ssize_t N = g3.shape[0], O = g3.shape[1], L = g3.shape[2], K = weight.shape[1]
    cdef Py_ssize_t ld = _cols_ld(cols, "_chunked_gemm_cols"), c, nch, tasks, t, n, l0, l1
    _check(weight.shape[0] == O and cols.shape[0] == K and cols.shape[1] == N and cols.shape[2] == L,
           "_chunked_gemm_cols: shapes disagree")
    if N == 0 or K == 0 or L == 0:
        return
    if O == 0:
        cols[...] = 0
        return
    c = _chunk(K)
    nch = (L + c - 1) // c
    tasks = N * nch
    cdef int T = _task_threads(gemm_threads(K, N * L, O, openmp.omp_get_max_threads()), tasks)
    with _OneThreadBLAS():
        with nogil:
            for t in prange(tasks, schedule="dynamic", num_threads=T):   # (independent tasks)
                n = t // nch
                l0 = (t % nch) * c
                l1 = l0 + c if l0 + c < L else L
                _grad_cols_gemm(O, K, L, &weight[0, 0], &g3[n, 0, 0], &cols[0, n, 0], ld, l0, l1)


def _gemm_out(weight2d, cols, out3, bias):
    """out3 (N, O, L) = weight2d (O, K) @ cols[:, n, :] for every n (+ bias)."""
    if _chunked_ok(weight2d, cols, out3) and out3.flags.c_contiguous and _rows_contiguous(cols):
        _chunked_gemm_out(np.ascontiguousarray(weight2d), cols, out3)
    else:
        np.matmul(weight2d, cols.transpose(1, 0, 2), out=out3)
    if bias is not None:
        add_bias(out3, bias)


def _gemm_cols(weight2d, g3, cols):
    """cols[:, n, :] (K, L) = weight2d.T (K, O) @ g3[n] (O, L) for every n."""
    if _chunked_ok(weight2d, g3, cols) and _rows_contiguous(cols):
        _chunked_gemm_cols(np.ascontiguousarray(weight2d), np.ascontiguousarray(g3), cols)
    else:
        np.matmul(weight2d.T, g3, out=cols.transpose(1, 0, 2))


def conv_updateOutput(input, output, weight, bias, finput, int kH, int kW, int padH, int padW,
                      int dH, int dW, int dilH=1, int dilW=1):
    """output (N, O, oH, oW) = weight (O, K) @ im2col(input) + bias; finput (K, N, L) is filled."""
    N, O = output.shape[0], output.shape[1]
    if fused_ok(N):
        fused_conv_forward(input, output.reshape(N, O, -1), np.ascontiguousarray(weight.reshape(O, -1)), bias,
                           finput, kH, kW, padH, padW, dH, dW, dilH, dilW)
        return
    im2col(input, finput, kH, kW, padH, padW, dH, dW, dilH, dilW)
    _gemm_out(weight.reshape(O, -1), finput, output.reshape(N, O, -1), bias)


_scratch = threading.local()   # per Python thread: two threads' backward passes never share one


def _thread_scratch(shape, dtype):
    """An uninitialised C-contiguous array of this shape, kept per Python thread and dtype (grown
    as needed) so that the fused kernels' per-thread columns cost no allocation or page faults."""
    bufs = _scratch.__dict__.setdefault("bufs", {})
    n = int(np.prod(shape))
    a = bufs.get(dtype)
    if a is None or a.size < n:
        a = bufs[dtype] = np.empty(n, dtype)
    return a[:n].reshape(shape)


def conv_updateGradInput(gradOutput, gradInput, weight, fgradInput, int kH, int kW, int padH,
                         int padW, int dH, int dW, int dilH=1, int dilW=1):
    """gradInput = col2im(weight.T @ gradOutput); fgradInput (K, N, L) holds the columns."""
    N, O = gradOutput.shape[0], gradOutput.shape[1]
    if fused_ok(N):
        # each thread's image columns in a (K, L) slice of its own, reused image after image and
        # from call to call, so they stay in cache instead of streaming the whole (K, N, L) buffer
        # through memory (VGG's 32 -> 64 layer: 17.5 -> 15.7 ms single-threaded; the same bits)
        scratch = _thread_scratch((openmp.omp_get_max_threads(), fgradInput.shape[0], fgradInput.shape[2]),
                                  fgradInput.dtype)
        fused_conv_grad_input(np.ascontiguousarray(gradOutput.reshape(N, O, -1)), gradInput,
                              np.ascontiguousarray(weight.reshape(O, -1)), fgradInput, kH, kW, padH, padW,
                              dH, dW, dilH, dilW, scratch)
        return
    _gemm_cols(weight.reshape(O, -1), gradOutput.reshape(N, O, -1), fgradInput)
    col2im(fgradInput, gradInput, kH, kW, padH, padW, dH, dW, dilH, dilW)


def conv_accGradParameters(gradOutput, gradWeight, gradBias, finput, double scale):
    """gradWeight += scale * sum_n gradOutput[n] (O, L) @ finput[:, n, :].T;  gradBias += scale * sum gradOutput.

    Works for any kernel rank: gradWeight is (O, ...) with K = prod(...) = finput.shape[0]."""
    N, O = gradOutput.shape[0], gradOutput.shape[1]
    K = finput.shape[0]
    g3 = gradOutput.reshape(N, O, -1)
    if fused_ok(N):
        g3 = np.ascontiguousarray(g3)
        T = openmp.omp_get_max_threads()
        partial = np.empty((T, K, O), dtype=finput.dtype)
        pb = np.empty((T, O)) if gradBias is not None else None
        fused_conv_grad_weight(g3, finput, partial, pb)
        acc = partial.sum(axis=0).T
        gb = pb.sum(axis=0).astype(finput.dtype) if gradBias is not None else None
    elif K < 128 and N > 1:
        # few columns (the first layer's K = 27): OpenBLAS is slow on one (K x N*L) @ (N*L x O)
        # product with a tiny result, the per-image products and their sum are twice as fast
        acc = np.matmul(g3, finput.transpose(1, 2, 0)).sum(axis=0)
        gb = g3.sum(axis=(0, 2)) if gradBias is not None else None
    else:
        g2 = _to_channel_major(g3)
        # (finput @ g2.T).T: OpenBLAS is several times faster with the long N*L axis in this order
        acc = (finput.reshape(K, -1) @ g2.T).T
        gb = g2.sum(axis=1) if gradBias is not None else None
    if scale != 1:
        acc *= scale
    gradWeight += acc.reshape(gradWeight.shape)
    if gb is not None:
        if scale != 1:
            gb *= scale
        gradBias += gb


# ---------------------------------------------------------------- transposed ("full") convolution

def full_conv_updateOutput(input, output, weight, bias, columns, int kH, int kW, int padH, int padW,
                           int dH, int dW):
    """output = col2im(weight(nIn, nOut*kH*kW).T @ input) + bias; columns is (nOut*kH*kW, N, H*W)."""
    N, nIn = input.shape[0], input.shape[1]
    K = columns.shape[0]
    _gemm_cols(weight.reshape(nIn, -1), input.reshape(N, nIn, -1), columns)
    col2im(columns, output, kH, kW, padH, padW, dH, dW, 1, 1)
    if bias is not None:
        output += bias[None, :, None, None]


def full_conv_updateGradInput(gradOutput, gradInput, weight, columns, int kH, int kW, int padH,
                              int padW, int dH, int dW):
    """gradInput = weight(nIn, nOut*kH*kW) @ im2col(gradOutput)."""
    N, nIn = gradInput.shape[0], gradInput.shape[1]
    im2col(gradOutput, columns, kH, kW, padH, padW, dH, dW, 1, 1)
    _gemm_out(weight.reshape(nIn, -1), columns, gradInput.reshape(N, nIn, -1), None)


def full_conv_accGradParameters(input, gradOutput, gradWeight, gradBias, columns, int kH, int kW,
                                int padH, int padW, int dH, int dW, double scale):
    N, nIn = input.shape[0], input.shape[1]
    K = columns.shape[0]
    im2col(gradOutput, columns, kH, kW, padH, padW, dH, dW, 1, 1)
    x2 = _to_channel_major(input.reshape(N, nIn, -1))
    acc = (columns.reshape(K, -1) @ x2.T).T
    if scale != 1:
        acc *= scale
    gradWeight += acc.reshape(gradWeight.shape)
    if gradBias is not None:
        gb = gradOutput.sum(axis=(0, 2, 3))
        if scale != 1:
            gb *= scale
        gradBias += gb


# ---------------------------------------------------------------- volumetric convolution

def vol_conv_updateOutput(input, output, weight, bias, finput, int kT, int kH, int kW,
                          int padT, int padH, int padW, int dT, int dH, int dW):
    vol2col(input, finput, kT, kH, kW, padT, padH, padW, dT, dH, dW)
    N, O = output.shape[0], output.shape[1]
    _gemm_out(weight.reshape(O, -1), finput, output.reshape(N, O, -1), bias)


def vol_conv_updateGradInput(gradOutput, gradInput, weight, fgradInput, int kT, int kH, int kW,
                             int padT, int padH, int padW, int dT, int dH, int dW):
    N, O = gradOutput.shape[0], gradOutput.shape[1]
    K = fgradInput.shape[0]
    _gemm_cols(weight.reshape(O, -1), gradOutput.reshape(N, O, -1), fgradInput)
    col2vol(fgradInput, gradInput, kT, kH, kW, padT, padH, padW, dT, dH, dW)
