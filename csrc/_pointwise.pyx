# distutils: extra_compile_args = -ffp-contract=off
"""Fused elementwise kernels for the small tensors of a recurrent step (THNN style: stateless, the
caller's buffers, nothing returned but whether it was done).

Each replaces a short chain of numpy calls with one pass in C and gives the same bits: the same
operations in the same order, each rounded to the array's type (float or double; no fused
multiply-add: -ffp-contract=off).  On a 16 x 128 LSTM gate a numpy call costs about as much as
its arithmetic, so the chain's length, not the work, set the time.

Every function takes numpy arrays of one float type and one shape, any strides that fold into
rows and columns, and returns False (nothing done) for anything else: different types or
shapes, other array kinds (CuPy), an output that overlaps an input other than element for
element, a read-only output.  The caller then runs its numpy chain.
"""
import numpy as np
cimport numpy as cnp

cnp.import_array()

ctypedef fused real:
    float
    double

cdef enum:
    SIGMOID_GRAD = 0   # out = g * ((1 - y) * y)       (Sigmoid.bw: np.multiply(g, (1 - y) * y))
    TANH_GRAD = 1      # out = g * (1 - y * y)         (Tanh.bw: np.multiply(g, 1 - y * y))
    MUL = 2            # out = a * b
    ADD = 3            # out = a + b
    RECIP_1P = 4       # out = 1 / (1 + a)              (the end of Sigmoid.fw, a = exp(-x))


cdef struct Geo:
    char* p
    Py_ssize_t rs     # row stride, elements
    Py_ssize_t cs     # column stride, elements
    char* lo          # the bytes the array spans: [lo, hi)
    char* hi


cdef bint _geo(cnp.ndarray a, Geo* g, Py_ssize_t* R, Py_ssize_t* C) noexcept:
    """a as R rows of C elements (strides in elements); False when its leading dimensions do not
    fold into one."""
    cdef int nd = cnp.PyArray_NDIM(a), i
    cdef cnp.npy_intp* sh = cnp.PyArray_DIMS(a)
    cdef cnp.npy_intp* st = cnp.PyArray_STRIDES(a)
    cdef Py_ssize_t item = cnp.PyArray_ITEMSIZE(a), rows = 1, span_lo = 0, span_hi = item
    for i in range(nd):
        if st[i] % item != 0:
            return False
        if sh[i] == 0:
            span_hi = 0
        elif st[i] >= 0:
            span_hi += (sh[i] - 1) * st[i]
        else:
            span_lo += (sh[i] - 1) * st[i]
    g.p = <char*>cnp.PyArray_DATA(a)
    g.lo = g.p + span_lo
    g.hi = g.p + span_hi
    if nd == 0:
        R[0], C[0], g.rs, g.cs = 1, 1, 0, 0
        return True
    C[0] = sh[nd - 1]
    g.cs = st[nd - 1] // item
    g.rs = st[nd - 2] // item if nd >= 2 else 0
    for i in range(nd - 1):
        rows *= sh[i]
        if i < nd - 2 and sh[i] != 1 and st[i] != st[i + 1] * sh[i + 1]:
            return False
    R[0] = rows
    return True


cdef bint _clash(Geo* o, Geo* a) noexcept:
    """The output overlaps input a other than element for element (then a pass could read what
    it already wrote)."""
    if o.hi <= a.lo or a.hi <= o.lo:
        return False
    return not (o.p == a.p and o.rs == a.rs and o.cs == a.cs)


cdef void _apply(int op, Geo* o, Geo* a, Geo* b, Py_ssize_t R, Py_ssize_t C, real tag) noexcept nogil:
    cdef real* O
    cdef const real* A
    cdef const real* B
    cdef Py_ssize_t r, c
    cdef real y, one = 1   # typed: a literal 1 would make Cython compute in double
    for r in range(R):
        O = <real*>o.p + r * o.rs
        A = <const real*>a.p + r * a.rs
        B = <const real*>b.p + r * b.rs
        if o.cs == 1 and a.cs == 1 and b.cs == 1:
            if op == SIGMOID_GRAD:
                for c in range(C):
                    y = A[c]
                    O[c] = B[c] * ((one - y) * y)
            elif op == TANH_GRAD:
                for c in range(C):
                    y = A[c]
                    O[c] = B[c] * (one - y * y)
            elif op == MUL:
                for c in range(C):
                    O[c] = A[c] * B[c]
            elif op == RECIP_1P:
                for c in range(C):
                    O[c] = one / (one + A[c])
            else:
                for c in range(C):
                    O[c] = A[c] + B[c]
        else:
            for c in range(C):
                y = A[c * a.cs]
                if op == SIGMOID_GRAD:
                    O[c * o.cs] = B[c * b.cs] * ((one - y) * y)
                elif op == TANH_GRAD:
                    O[c * o.cs] = B[c * b.cs] * (one - y * y)
                elif op == MUL:
                    O[c * o.cs] = y * B[c * b.cs]
                elif op == RECIP_1P:
                    O[c * o.cs] = one / (one + y)
                else:
                    O[c * o.cs] = y + B[c * b.cs]


cdef object _run(int op, out, a, b):
    if type(out) is not np.ndarray or type(a) is not np.ndarray or type(b) is not np.ndarray:
        return False
    cdef cnp.ndarray O = out, A = a, B = b
    cdef int t = cnp.PyArray_TYPE(O), nd = cnp.PyArray_NDIM(O), i
    if (t != cnp.NPY_FLOAT and t != cnp.NPY_DOUBLE) or cnp.PyArray_TYPE(A) != t or cnp.PyArray_TYPE(B) != t:
        return False
    if cnp.PyArray_NDIM(A) != nd or cnp.PyArray_NDIM(B) != nd or not cnp.PyArray_ISWRITEABLE(O):
        return False
    for i in range(nd):
        if cnp.PyArray_DIMS(A)[i] != cnp.PyArray_DIMS(O)[i] or cnp.PyArray_DIMS(B)[i] != cnp.PyArray_DIMS(O)[i]:
            return False
    cdef Geo go, ga, gb
    cdef Py_ssize_t R, C
    if not (_geo(O, &go, &R, &C) and _geo(A, &ga, &R, &C) and _geo(B, &gb, &R, &C)):
        return False
    if _clash(&go, &ga) or _clash(&go, &gb):
        return False
    if R == 0 or C == 0:
        return True
    with nogil:
        if t == cnp.NPY_FLOAT:
            _apply[float](op, &go, &ga, &gb, R, C, 0)
        else:
            _apply[double](op, &go, &ga, &gb, R, C, 0)
    return True


def sigmoid_grad(y, g, gi):
    """gi = g * ((one - y) * y): Sigmoid's gradInput from its output y and gradOutput g."""
    return _run(SIGMOID_GRAD, gi, y, g)


def tanh_grad(y, g, gi):
    """gi = g * (one - y * y): Tanh's gradInput from its output y and gradOutput g."""
    return _run(TANH_GRAD, gi, y, g)


def mul(a, b, out):
    """out = a * b."""
    return _run(MUL, out, a, b)


def add(a, b, out):
    """out = a + b."""
    return _run(ADD, out, a, b)


def recip_1p(a, out):
    """out = 1 / (1 + a) (out may be a itself)."""
    return _run(RECIP_1P, out, a, a)
