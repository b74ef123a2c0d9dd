"""Index and order kernels: sort, quickselect (kthvalue/median/topk), mode, indexAdd.

The sort and select routines follow the algorithms TH used (Sedgewick's 1978 quicksort,
"Program 2": median-of-three pivot, an explicit stack, subfiles of at most M_SMALL elements
left for one final insertion pass; and Devillard's quickselect).  Following the same steps
matters: it decides which index Torch7 reports among equal values, and the order of an
unsorted topk.  Rows are C-contiguous 2-D buffers (one row per slice along the sorted
dimension); the values are sorted in place and the int64 indices move with them.
Callers check every index before the GIL is released.
"""
cimport openmp
from cython.parallel cimport prange
from libc.stdint cimport int64_t

ctypedef fused real:
    unsigned char
    signed char
    short
    int
    int64_t
    float
    double

cdef enum:
    M_SMALL = 10      # subfiles this small are left to the insertion pass
    MAX_LEVELS = 300  # stack depth; the larger subfile is pushed, so log2(n) suffices


cdef inline void _swap(real* a, int64_t* ix, Py_ssize_t i, Py_ssize_t j) noexcept nogil:
    cdef real t = a[i]
    cdef int64_t u = ix[i]
    a[i] = a[j]
    a[j] = t
    ix[i] = ix[j]
    ix[j] = u


cdef inline bint _after(real a, real b, bint desc) noexcept nogil:
    # a belongs after b in the requested order (never true when a NaN is involved)
    return a < b if desc else a > b


cdef inline bint _before(real a, real b, bint desc) noexcept nogil:
    return a > b if desc else a < b


cdef void _quicksort(real* a, int64_t* ix, Py_ssize_t n, bint desc) noexcept nogil:
    cdef Py_ssize_t beg[MAX_LEVELS]
    cdef Py_ssize_t end[MAX_LEVELS]
    cdef Py_ssize_t stack = 0, lo = 0, hi = n - 1, mid, i, j, nleft, nright
    cdef real piv
    cdef int64_t pid
    cdef bint done = n - 1 <= M_SMALL

    while not done:
        # median of three: a[lo+1] <= a[lo] <= a[hi] (in the requested order)
        mid = (lo + hi) >> 1
        _swap(a, ix, mid, lo + 1)
        if _after(a[lo + 1], a[hi], desc):
            _swap(a, ix, lo + 1, hi)
        if _after(a[lo], a[hi], desc):
            _swap(a, ix, lo, hi)
        if _after(a[lo + 1], a[lo], desc):
            _swap(a, ix, lo + 1, lo)
        i = lo + 1
        j = hi
        piv = a[lo]
        while True:
            i += 1
            while _before(a[i], piv, desc):
                i += 1
            j -= 1
            while _after(a[j], piv, desc):
                j -= 1
            if j < i:
                break
            _swap(a, ix, i, j)
        _swap(a, ix, lo, j)
        nleft = j - lo            # subfile [lo, j-1]
        nright = hi - i + 1       # subfile [i, hi]
        if nleft <= M_SMALL and nright <= M_SMALL:
            if stack == 0:
                done = True
            else:
                stack -= 1
                lo = beg[stack]
                hi = end[stack]
        elif nleft <= M_SMALL or nright <= M_SMALL:
            if nleft > nright:
                hi = j - 1
            else:
                lo = i
        else:
            if nleft > nright:
                beg[stack] = lo
                end[stack] = j - 1
                stack += 1
                lo = i
            else:
                beg[stack] = i
                end[stack] = hi
                stack += 1
                hi = j - 1

    # insertion pass over the whole row, from the right end
    i = n - 2
    while i >= 0:
        if _after(a[i], a[i + 1], desc):
            piv = a[i]
            pid = ix[i]
            j = i + 1
            while True:
                a[j - 1] = a[j]
                ix[j - 1] = ix[j]
                j += 1
                if not (j < n and _before(a[j], piv, desc)):
                    break
            a[j - 1] = piv
            ix[j - 1] = pid
        i -= 1


cdef void _quickselect(real* a, int64_t* ix, Py_ssize_t k, Py_ssize_t n) noexcept nogil:
    """Ascending partial order: a[k] ends up the k-th smallest (0-based), smaller ones before it."""
    cdef Py_ssize_t lo = 0, hi = n - 1, mid, i, j
    cdef real piv
    while True:
        if hi <= lo:
            return
        if hi == lo + 1:
            if a[lo] > a[hi]:
                _swap(a, ix, lo, hi)
            return
        mid = (lo + hi) >> 1
        _swap(a, ix, mid, lo + 1)
        if a[lo + 1] > a[hi]:
            _swap(a, ix, lo + 1, hi)
        if a[lo] > a[hi]:
            _swap(a, ix, lo, hi)
        if a[lo + 1] > a[lo]:
            _swap(a, ix, lo + 1, lo)
        i = lo + 1
        j = hi
        piv = a[lo]
        while True:
            i += 1
            while a[i] < piv:
                i += 1
            j -= 1
            while a[j] > piv:
                j -= 1
            if j < i:
                break
            _swap(a, ix, i, j)
        _swap(a, ix, lo, j)
        if j <= k:
            lo = i
        if j >= k:
            hi = j - 1


cdef inline void _iota(int64_t* ix, Py_ssize_t n) noexcept nogil:
    cdef Py_ssize_t i
    for i in range(n):
        ix[i] = i


cdef inline int _threads(Py_ssize_t rows, Py_ssize_t n) noexcept nogil:
    return openmp.omp_get_max_threads() if rows > 1 and rows * n > 100000 else 1


def sort_rows(real[:, ::1] v, int64_t[:, ::1] ix, bint descending):
    """Sort every row of v in place; ix receives the original positions (0-based)."""
    cdef Py_ssize_t rows = v.shape[0], n = v.shape[1], r
    if ix.shape[0] != rows or ix.shape[1] != n:
        raise ValueError("sort_rows: index buffer has the wrong shape")
    if n == 0:
        return
    for r in prange(rows, nogil=True, schedule="static", num_threads=_threads(rows, n)):
        _iota(&ix[r, 0], n)
        _quicksort(&v[r, 0], &ix[r, 0], n, descending)


def kth_rows(real[:, ::1] v, int64_t[:, ::1] ix, Py_ssize_t k, real[::1] out_v, int64_t[::1] out_i):
    """The k-th smallest (0-based k) of every row; v and ix are scratch."""
    cdef Py_ssize_t rows = v.shape[0], n = v.shape[1], r
    if not (0 <= k < n) or ix.shape[0] != rows or ix.shape[1] != n \
            or out_v.shape[0] != rows or out_i.shape[0] != rows:
        raise ValueError("kth_rows: bad arguments")
    for r in prange(rows, nogil=True, schedule="static", num_threads=_threads(rows, n)):
        _iota(&ix[r, 0], n)
        _quickselect(&v[r, 0], &ix[r, 0], k, n)
        out_v[r] = v[r, k]
        out_i[r] = ix[r, k]


def topk_rows(real[:, ::1] v, int64_t[:, ::1] ix, Py_ssize_t k, bint largest, bint sorted_,
              real[:, ::1] out_v, int64_t[:, ::1] out_i):
    """k smallest (or largest) of every row, TH's way: quickselect, then optionally sort them."""
    cdef Py_ssize_t rows = v.shape[0], n = v.shape[1], r, i, base
    if not (0 < k <= n) or ix.shape[0] != rows or ix.shape[1] != n \
            or out_v.shape[0] != rows or out_v.shape[1] != k \
            or out_i.shape[0] != rows or out_i.shape[1] != k:
        raise ValueError("topk_rows: bad arguments")
    base = n - k if largest else 0
    for r in prange(rows, nogil=True, schedule="static", num_threads=_threads(rows, n)):
        _iota(&ix[r, 0], n)
        if largest:
            if base > 0:
                _quickselect(&v[r, 0], &ix[r, 0], base - 1, n)
            if sorted_:
                _quicksort(&v[r, base], &ix[r, base], k, True)
        else:
            _quickselect(&v[r, 0], &ix[r, 0], k - 1, n)
            if sorted_:
                # the k-th is already in place; sorting the k-1 before it is enough
                _quicksort(&v[r, 0], &ix[r, 0], k - 1, False)
        for i in range(k):
            out_v[r, i] = v[r, base + i]
            out_i[r, i] = ix[r, base + i]


def mode_rows(real[:, ::1] v, int64_t[:, ::1] ix, real[::1] out_v, int64_t[::1] out_i):
    """Most frequent value of every row (the smallest such value on a tie of counts) and the
    position of its last occurrence in sorted order; v and ix are scratch."""
    cdef Py_ssize_t rows = v.shape[0], n = v.shape[1], r, i, freq, best
    cdef real m
    cdef int64_t mi
    if ix.shape[0] != rows or ix.shape[1] != n or out_v.shape[0] != rows or out_i.shape[0] != rows:
        raise ValueError("mode_rows: bad arguments")
    for r in prange(rows, nogil=True, schedule="static", num_threads=_threads(rows, n)):
        _iota(&ix[r, 0], n)
        _quicksort(&v[r, 0], &ix[r, 0], n, False)
        m = 0
        mi = 0
        freq = 0
        best = 0
        for i in range(n):
            freq = freq + 1
            if i == n - 1 or v[r, i] != v[r, i + 1]:
                if freq > best:
                    m = v[r, i]
                    mi = ix[r, i]
                    best = freq
                freq = 0
        out_v[r] = m
        out_i[r] = mi


def index_add(real[:, :, :] dst, const real[:, :, :] src, const int64_t[::1] idx):
    """dst[:, idx[i], :] += src[:, i, :] for i in order (repeated indices accumulate).
    Indices must already be checked to lie in [0, dst.shape[1])."""
    cdef Py_ssize_t outer = dst.shape[0], inner = dst.shape[2], n = idx.shape[0]
    cdef Py_ssize_t i, o, q
    cdef int64_t j
    if src.shape[0] != outer or src.shape[2] != inner or src.shape[1] != n:
        raise ValueError("index_add: source and destination shapes disagree")
    with nogil:
        for i in range(n):
            j = idx[i]
            for o in range(outer):
                for q in range(inner):
                    dst[o, j, q] = dst[o, j, q] + src[o, i, q]
