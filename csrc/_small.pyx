# Small float/double tensors computed straight from their storage's buffer.
#
# On a tensor of a few thousand elements a numpy call is mostly overhead (argument parsing, the
# iterator, casting checks: about a microsecond), and a fresh view first needs its numpy array.
# These kernels read a tensor's geometry (storage, offset, size, stride) and loop over the buffer
# themselves.  They are fast paths of the declared ops (ops/arith.py, ops/reduce.py,
# Tensor.copy/fill), not second definitions: each returns False / None when it does not apply
# (another element type, a non-numpy storage, a non-contiguous or partly overlapping operand,
# a view outside its storage, a large tensor) and the op's numpy path then runs, raising its own
# errors.  Results are the numpy path's bit for bit (tests/test_tensor_fast_paths.py): pointwise
# IEEE operations are exact, and the sum reproduces numpy's pairwise summation order.
cimport numpy as cnp
from libc.string cimport memmove
from cpython.tuple cimport PyTuple_GET_ITEM, PyTuple_GET_SIZE

from cpython.object cimport PyObject
from _slots cimport plite_slot_get, slot_offset

cnp.import_array()

cdef object _ndarray = cnp.ndarray

# above these sizes numpy's own (SIMD, threaded) loops win and its overhead no longer matters;
# the sum limit also stays below numpy's casting buffer (8192), inside which its order is one
# pairwise sum over the whole run
DEF MAX_POINTWISE = 16384
DEF MAX_SUM = 8192

# pointwise operation codes (ops/arith.py maps its ufuncs to them)
ADD = 0
SUB = 1
MUL = 2
DIV = 3


cdef struct Run:
    char* data        # first element
    Py_ssize_t n      # elements
    Py_ssize_t step   # elements between consecutive ones (1: contiguous)
    int typenum       # NPY_FLOAT or NPY_DOUBLE


# the tensor and storage classes and their slots' offsets, set by bind() (tensor.py)
cdef object TENSOR = None, STORAGE = None
cdef Py_ssize_t OFF_STORAGE, OFF_OFFSET, OFF_SIZE, OFF_STRIDE, OFF_DATA


def bind(tensor_cls, storage_cls):
    """Read tensors' geometry (_storage, _offset, _size, _stride) and storages' _data from their
    slots; until called every fast path answers "not applicable"."""
    global TENSOR, STORAGE, OFF_STORAGE, OFF_OFFSET, OFF_SIZE, OFF_STRIDE, OFF_DATA
    OFF_STORAGE = slot_offset(tensor_cls, "_storage")
    OFF_OFFSET = slot_offset(tensor_cls, "_offset")
    OFF_SIZE = slot_offset(tensor_cls, "_size")
    OFF_STRIDE = slot_offset(tensor_cls, "_stride")
    OFF_DATA = slot_offset(storage_cls, "_data")
    TENSOR, STORAGE = tensor_cls, storage_cls


cdef bint as_run(t, Run* r, bint strided_ok, bint write=False):
    """t as one run of float/double elements over a numpy storage: contiguous (size-1 dims
    ignored), or 1-D with any positive stride when strided_ok; a writable storage when write
    (a result: numpy's path raises on a read-only one)."""
    if TENSOR is None or not isinstance(t, TENSOR):
        return False
    cdef PyObject* p = plite_slot_get(t, OFF_STORAGE)
    if p is NULL or not isinstance(<object>p, STORAGE):
        return False
    p = plite_slot_get(<object>p, OFF_DATA)
    if p is NULL or type(<object>p) is not _ndarray:
        return False
    cdef cnp.ndarray a = <cnp.ndarray>p
    cdef int tn = cnp.PyArray_TYPE(a)
    if (tn != cnp.NPY_FLOAT and tn != cnp.NPY_DOUBLE) or cnp.PyArray_NDIM(a) != 1 \
            or not cnp.PyArray_IS_C_CONTIGUOUS(a):
        return False
    if write and not cnp.PyArray_ISWRITEABLE(a):
        return False
    cdef PyObject* ps = plite_slot_get(t, OFF_SIZE)
    cdef PyObject* pt = plite_slot_get(t, OFF_STRIDE)
    cdef PyObject* po = plite_slot_get(t, OFF_OFFSET)
    if ps is NULL or pt is NULL or po is NULL or type(<object>ps) is not tuple \
            or type(<object>pt) is not tuple or type(<object>po) is not int:
        return False
    cdef tuple size = <tuple>ps, stride = <tuple>pt
    cdef Py_ssize_t nd = PyTuple_GET_SIZE(size), i, n = 1, s, k, expect = 1, step = 1
    if nd == 0 or PyTuple_GET_SIZE(stride) != nd:
        return False
    if nd == 1:
        n = <object>PyTuple_GET_ITEM(size, 0)
        step = <object>PyTuple_GET_ITEM(stride, 0)
        if step != 1 and not (strided_ok and step > 1):
            return False
    else:
        for i in range(nd - 1, -1, -1):
            k = <object>PyTuple_GET_ITEM(size, i)
            s = <object>PyTuple_GET_ITEM(stride, i)
            if k != 1 and s != expect:
                return False
            expect *= k
        n = expect
    cdef Py_ssize_t offset = <object>po
    if n <= 0 or offset < 0 or offset + (n - 1) * step >= cnp.PyArray_DIM(a, 0):
        return False      # the numpy path reports the bad view
    r.data = <char*>cnp.PyArray_DATA(a) + offset * cnp.PyArray_ITEMSIZE(a)
    r.n = n
    r.step = step
    r.typenum = tn
    return True


cdef inline bint disjoint_or_same(Run* out, Run* src, Py_ssize_t isz) noexcept nogil:
    """Elementwise out[i] = f(src[i]) is safe: the same elements, or no element shared."""
    if out.data == src.data:
        return True
    return out.data + out.n * isz <= src.data or src.data + src.n * isz <= out.data


# -- pointwise --------------------------------------------------------------------------------------

ctypedef fused real_t:
    float
    double


cdef void binary_loop(int op, real_t* r, real_t* x, real_t* y, Py_ssize_t n) noexcept nogil:
    cdef Py_ssize_t i
    if op == 0:
        for i in range(n):
            r[i] = x[i] + y[i]
    elif op == 1:
        for i in range(n):
            r[i] = x[i] - y[i]
    elif op == 2:
        for i in range(n):
            r[i] = x[i] * y[i]
    else:
        for i in range(n):
            r[i] = x[i] / y[i]


cdef void scalar_loop(int op, real_t* r, real_t* x, real_t v, Py_ssize_t n) noexcept nogil:
    cdef Py_ssize_t i
    if op == 0:
        for i in range(n):
            r[i] = x[i] + v
    elif op == 1:
        for i in range(n):
            r[i] = x[i] - v
    elif op == 2:
        for i in range(n):
            r[i] = x[i] * v
    else:
        for i in range(n):
            r[i] = x[i] / v


def binary(int op, r, x, y):
    """r = x (op) y elementwise over the flat runs of three tensors of one float type with the
    same element count (numpy's path: y shaped as x, in C order).  False when not applicable."""
    cdef Run rr, rx, ry
    if not (as_run(r, &rr, False, True) and as_run(x, &rx, False) and as_run(y, &ry, False)):
        return False
    return binary_runs(op, &rr, &rx, &ry)


cdef bint binary_runs(int op, Run* rr, Run* rx, Run* ry) noexcept nogil:
    if rr.typenum != rx.typenum or rr.typenum != ry.typenum or rr.n != rx.n or rr.n != ry.n \
            or rr.n > MAX_POINTWISE or op < 0 or op > 3:
        return False
    cdef Py_ssize_t isz = 4 if rr.typenum == cnp.NPY_FLOAT else 8
    if not (disjoint_or_same(rr, rx, isz) and disjoint_or_same(rr, ry, isz)):
        return False
    if rr.typenum == cnp.NPY_FLOAT:
        binary_loop(op, <float*>rr.data, <float*>rx.data, <float*>ry.data, rr.n)
    else:
        binary_loop(op, <double*>rr.data, <double*>rx.data, <double*>ry.data, rr.n)
    return True


def scalar(int op, r, x, value):
    """r = x (op) value elementwise; value a Python float or an int a double holds exactly,
    converted to the tensor's type first (as numpy does with a Python number).  False when not
    applicable."""
    cdef Run rr, rx
    tv = type(value)
    if tv is int:
        if not -9007199254740992 <= value <= 9007199254740992:
            return False
    elif tv is not float:
        return False
    if not (as_run(r, &rr, False, True) and as_run(x, &rx, False)):
        return False
    return scalar_runs(op, &rr, &rx, value)


cdef bint scalar_runs(int op, Run* rr, Run* rx, double v) noexcept nogil:
    if rr.typenum != rx.typenum or rr.n != rx.n or rr.n > MAX_POINTWISE or op < 0 or op > 3:
        return False
    cdef Py_ssize_t isz = 4 if rr.typenum == cnp.NPY_FLOAT else 8
    if not disjoint_or_same(rr, rx, isz):
        return False
    if rr.typenum == cnp.NPY_FLOAT:
        scalar_loop(op, <float*>rr.data, <float*>rx.data, <float>v, rr.n)
    else:
        scalar_loop(op, <double*>rr.data, <double*>rx.data, v, rr.n)
    return True


def copy(r, x):
    """r[...] = x for two contiguous tensors of one float type and element count (numpy's path
    reshapes x to r's shape in C order).  False when not applicable."""
    cdef Run rr, rx
    if not (as_run(r, &rr, False, True) and as_run(x, &rx, False)):
        return False
    return copy_runs(&rr, &rx)


cdef bint copy_runs(Run* rr, Run* rx) noexcept nogil:
    if rr.typenum != rx.typenum or rr.n != rx.n or rr.n > MAX_POINTWISE:
        return False
    cdef Py_ssize_t isz = 4 if rr.typenum == cnp.NPY_FLOAT else 8
    memmove(rr.data, rx.data, rr.n * isz)     # numpy's copy of an overlapping source is a memmove too
    return True


def fill(r, value):
    """r[...] = value (a Python float, or an int a double holds exactly).  False when not
    applicable."""
    cdef Run rr
    tv = type(value)
    if tv is int:
        if not -9007199254740992 <= value <= 9007199254740992:
            return False
    elif tv is not float:
        return False
    if not as_run(r, &rr, False, True):
        return False
    return fill_run(&rr, value)


cdef bint fill_run(Run* rr, double v) noexcept nogil:
    if rr.n > MAX_POINTWISE:
        return False
    cdef Py_ssize_t i
    cdef float vf = <float>v
    cdef float* pf
    cdef double* pd
    if rr.typenum == cnp.NPY_FLOAT:
        pf = <float*>rr.data
        for i in range(rr.n):
            pf[i] = vf
    else:
        pd = <double*>rr.data
        for i in range(rr.n):
            pd[i] = v
    return True


# -- sum ------------------------------------------------------------------------------------------

cdef double pairwise(real_t* a, Py_ssize_t n, Py_ssize_t step) noexcept nogil:
    """numpy's pairwise summation (in double): runs under 8 added in order from -0.0; up to 128,
    eight interleaved partial sums combined as a tree, then the remainder in order; above,
    split in two at a multiple of 8 below the middle."""
    cdef double res, r0, r1, r2, r3, r4, r5, r6, r7
    cdef Py_ssize_t i, n2
    if n < 8:
        res = -0.0
        for i in range(n):
            res += <double>a[i * step]
        return res
    if n <= 128:
        r0 = a[0]
        r1 = a[step]
        r2 = a[2 * step]
        r3 = a[3 * step]
        r4 = a[4 * step]
        r5 = a[5 * step]
        r6 = a[6 * step]
        r7 = a[7 * step]
        i = 8
        while i < n - (n % 8):
            r0 += <double>a[i * step]
            r1 += <double>a[(i + 1) * step]
            r2 += <double>a[(i + 2) * step]
            r3 += <double>a[(i + 3) * step]
            r4 += <double>a[(i + 4) * step]
            r5 += <double>a[(i + 5) * step]
            r6 += <double>a[(i + 6) * step]
            r7 += <double>a[(i + 7) * step]
            i += 8
        res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7))
        while i < n:
            res += <double>a[i * step]
            i += 1
        return res
    n2 = n // 2
    n2 -= n2 % 8
    return pairwise(a, n2, step) + pairwise(a + n2 * step, n - n2, step)


def sum_all(t):
    """The sum of a float/double tensor's elements in double, as np.add.reduce(a, dtype=float64)
    computes it (0.0 plus the pairwise sum); None when not applicable."""
    cdef Run rt
    cdef double res
    if not as_run(t, &rt, True) or not sum_run(&rt, &res):
        return None
    return res


cdef bint sum_run(Run* rt, double* res) noexcept nogil:
    if rt.n > MAX_SUM:
        return False
    if rt.typenum == cnp.NPY_FLOAT:
        res[0] = 0.0 + pairwise(<float*>rt.data, rt.n, rt.step)
    else:
        res[0] = 0.0 + pairwise(<double*>rt.data, rt.n, rt.step)
    return True


# -- max, min -----------------------------------------------------------------------------------------

cdef double extreme(real_t* a, Py_ssize_t n, Py_ssize_t step, bint want_max, bint* unclear) noexcept nogil:
    """The largest (smallest) element; unclear when numpy's answer could differ in its bits:
    a NaN among the elements (which NaN numpy returns) or a zero result (which signed zero)."""
    cdef double m = a[0], v
    cdef Py_ssize_t i
    cdef bint nan = m != m
    for i in range(1, n):
        v = a[i * step]
        if v != v:
            nan = True
        elif (v > m) if want_max else (v < m):
            m = v
    unclear[0] = nan or m == 0
    return m


def extreme_all(t, bint want_max):
    """The maximum (minimum) of a float/double tensor's elements as a Python float, as
    np.maximum.reduce gives it; None when not applicable (or when the answer holds a NaN or is
    zero: numpy decides those)."""
    cdef Run rt
    cdef double m
    if not as_run(t, &rt, True) or not extreme_run(&rt, want_max, &m):
        return None
    return m


cdef bint extreme_run(Run* rt, bint want_max, double* res) noexcept nogil:
    cdef bint unclear = False
    if rt.n > MAX_SUM:
        return False
    if rt.typenum == cnp.NPY_FLOAT:
        res[0] = extreme(<float*>rt.data, rt.n, rt.step, want_max, &unclear)
    else:
        res[0] = extreme(<double*>rt.data, rt.n, rt.step, want_max, &unclear)
    return not unclear


# -- the same paths for LuaJIT's FFI ---------------------------------------------------------------
# lua_compat's prelude calls these through function pointers (ffi_functions) with the tensors'
# plite_meta structs (csrc/_views.pyx keeps them in step with the tensors), so that x:add(y),
# x:mul(v), x:sum(), ... on small float tensors never cross into Python.  Each answers 0 ("not
# applicable": an invalid or non-float view, a read-only result, any case the Python path would
# not take here) or 1 (done); the caller then takes the Python method, which raises the errors.

from plite_meta cimport plite_meta, PLITE_FLOAT, PLITE_DOUBLE


cdef size_t ffi_done = 0     # calls the FFI entry points carried out (tests check the path is taken)


def ffi_count():
    """How many calls the FFI entry points below have carried out (not declined) so far."""
    return ffi_done


cdef inline int done(bint ok) noexcept nogil:
    global ffi_done
    if ok:
        ffi_done += 1
        return 1
    return 0


cdef inline bint meta_run(plite_meta* m, Run* r, bint strided_ok) noexcept nogil:
    """The run of m's elements, as as_run() reads it from a tensor."""
    if m == NULL or m.valid != 1 or m.run_n <= 0 or (m.kind != PLITE_FLOAT and m.kind != PLITE_DOUBLE):
        return False
    if m.run_step != 1 and not strided_ok:
        return False
    r.data = m.data
    r.n = m.run_n
    r.step = m.run_step
    r.typenum = cnp.NPY_FLOAT if m.kind == PLITE_FLOAT else cnp.NPY_DOUBLE
    return True


cdef int ffi_binary(int op, plite_meta* r, plite_meta* x, plite_meta* y) noexcept nogil:
    cdef Run rr, rx, ry
    if not (meta_run(r, &rr, False) and r.writable and meta_run(x, &rx, False) and meta_run(y, &ry, False)):
        return 0
    return done(binary_runs(op, &rr, &rx, &ry))


cdef int ffi_scalar(int op, plite_meta* r, plite_meta* x, double v) noexcept nogil:
    cdef Run rr, rx
    if not (meta_run(r, &rr, False) and r.writable and meta_run(x, &rx, False)):
        return 0
    return done(scalar_runs(op, &rr, &rx, v))


cdef int ffi_copy(plite_meta* r, plite_meta* x) noexcept nogil:
    cdef Run rr, rx
    if not (meta_run(r, &rr, False) and r.writable and meta_run(x, &rx, False)):
        return 0
    return done(copy_runs(&rr, &rx))


cdef int ffi_fill(plite_meta* r, double v) noexcept nogil:
    cdef Run rr
    if not (meta_run(r, &rr, False) and r.writable):
        return 0
    return done(fill_run(&rr, v))


cdef int ffi_sum(plite_meta* t, double* res) noexcept nogil:
    cdef Run rt
    if not meta_run(t, &rt, True):
        return 0
    return done(sum_run(&rt, res))


cdef int ffi_extreme(plite_meta* t, int want_max, double* res) noexcept nogil:
    cdef Run rt
    if not meta_run(t, &rt, True):
        return 0
    return done(extreme_run(&rt, want_max, res))


def ffi_functions():
    """{name: (C signature, address)} of the FFI entry points."""
    return {
        "binary": ("int (*)(int, plite_meta*, plite_meta*, plite_meta*)", <size_t>&ffi_binary),
        "scalar": ("int (*)(int, plite_meta*, plite_meta*, double)", <size_t>&ffi_scalar),
        "copy": ("int (*)(plite_meta*, plite_meta*)", <size_t>&ffi_copy),
        "fill": ("int (*)(plite_meta*, double)", <size_t>&ffi_fill),
        "sum": ("int (*)(plite_meta*, double*)", <size_t>&ffi_sum),
        "extreme": ("int (*)(plite_meta*, int, double*)", <size_t>&ffi_extreme),
    }
