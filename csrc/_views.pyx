# The numpy array of a CPU tensor (Tensor._a), built straight from its storage's buffer.
#
# Every new view tensor (narrow, select, view, a module's output slices) needs a numpy array
# before a kernel can read it.  np.ndarray(shape, dtype, buffer=, offset=, strides=) spends
# about a microsecond parsing its arguments and the buffer protocol, registering the tensor with
# its storage through a WeakSet as much again, and a missing slot attribute raising into
# __getattr__ another half; here `_a` is a data descriptor over a hidden slot, read and written
# at the slot's offset, and the array is built with a few numpy C calls.
cimport numpy as cnp
from cpython.list cimport PyList_GET_ITEM, PyList_GET_SIZE
from cpython.object cimport PyObject, PyTypeObject
from cpython.ref cimport Py_INCREF
from cpython.tuple cimport PyTuple_GET_ITEM, PyTuple_GET_SIZE
from cpython.weakref cimport PyWeakref_GET_OBJECT, PyWeakref_NewRef

from pytorch_lite.errors import TorchValueError

from _slots cimport plite_slot_get, plite_slot_set, slot_offset

cnp.import_array()

from plite_meta cimport plite_meta, int64_t, PLITE_MAXDIM, PLITE_FLOAT, PLITE_DOUBLE, PLITE_UINT8, PLITE_INT8, PLITE_INT16, PLITE_INT32, PLITE_INT64

cdef extern from *:
    """
    #include <stddef.h>
    static const Py_ssize_t plite_meta_offsets[] = {
        offsetof(plite_meta, data), offsetof(plite_meta, size), offsetof(plite_meta, stride),
        offsetof(plite_meta, nelem), offsetof(plite_meta, run_n), offsetof(plite_meta, run_step),
        offsetof(plite_meta, ndim), offsetof(plite_meta, valid), offsetof(plite_meta, kind),
        offsetof(plite_meta, writable)};
    """
    const Py_ssize_t* plite_meta_offsets

cdef extern from "numpy/arrayobject.h":
    ctypedef struct Descr "PyArray_Descr":
        pass
    # steals the reference to descr
    object PyArray_NewFromDescr(PyTypeObject* subtype, Descr* descr, int nd, cnp.npy_intp* dims,
                                cnp.npy_intp* strides, void* data, int flags, PyObject* obj)

DEF MAXDIM = 32

cdef object _ndarray = cnp.ndarray


cdef class ArrayAttr:
    """Tensor._a: the tensor's array, kept in the slot `slot` (a member descriptor of the tensor
    class).  Built on first read (numpy storages here, others by the class's __getattr__('_a')),
    assigned by it, and deleted (never an error) when the geometry or the storage changes.  A
    tensor that has a TensorMeta in the slot `meta_slot` has it refilled or invalidated with
    every change of the array."""
    cdef Py_ssize_t offset, meta_offset
    cdef object base

    def __init__(self, cls, slot, meta_slot):
        global META_BASE, META_OFFSET, ARRAY_OFFSET
        self.base = cls
        self.offset = slot_offset(cls, slot)
        self.meta_offset = slot_offset(cls, meta_slot)
        META_BASE, META_OFFSET, ARRAY_OFFSET = cls, self.meta_offset, self.offset

    def __get__(self, t, cls):
        if t is None:
            return self
        self._check(t)
        cdef PyObject* p = plite_slot_get(t, self.offset)
        if p is not NULL:
            return <object>p
        arr = None
        st = t._storage
        if st is not None:
            data = st._data
            size, stride = t._size, t._stride
            if type(data) is _ndarray and type(size) is tuple and type(stride) is tuple:
                arr = build(data, t._offset, size, stride)
        if arr is None:     # the class's own way (Tensor._build_array, another array module's)
            return type(t).__getattr__(t, "_a")
        add_viewer(st, t)
        plite_slot_set(t, self.offset, <PyObject*>arr)
        sync_meta(t, self.meta_offset, arr)
        return arr

    def __set__(self, t, value):
        self._check(t)
        plite_slot_set(t, self.offset, <PyObject*>value)
        sync_meta(t, self.meta_offset, value)

    def __delete__(self, t):
        self._check(t)
        plite_slot_set(t, self.offset, NULL)
        cdef PyObject* p = plite_slot_get(t, self.meta_offset)
        if p is not NULL:
            (<TensorMeta>p).m.valid = 0

    cdef inline _check(self, t):
        # the slot offset is only meaningful inside instances of the class it was read from
        if not isinstance(t, self.base):
            raise TypeError("ArrayAttr: expected a %s, got %s" % (self.base.__name__, type(t).__name__))


# -- the C view of a tensor (plite_meta.h) -------------------------------------------------------------

cdef object META_BASE = None        # the tensor base class, the offsets of its meta and array slots
cdef Py_ssize_t META_OFFSET = -1, ARRAY_OFFSET = -1


cdef class TensorMeta:
    """One tensor's plite_meta (at a fixed address while this object lives: the tensor keeps it in
    a slot, and the Lua side keeps the tensor alive while it holds the address)."""
    cdef plite_meta m
    cdef void* owner        # the tensor this mirrors (a copied slot must not mirror another one)

    @property
    def address(self):
        return <size_t>&self.m

    @property
    def valid(self):
        return self.m.valid


cdef inline void sync_meta(t, Py_ssize_t meta_offset, arr):
    cdef PyObject* p = plite_slot_get(t, meta_offset)
    if p is not NULL and (<TensorMeta>p).owner == <void*>t:
        mirror(<TensorMeta>p, t, arr)


cdef int kind_of(int tn, Py_ssize_t itemsize):
    if tn == cnp.NPY_FLOAT:
        return PLITE_FLOAT
    if tn == cnp.NPY_DOUBLE:
        return PLITE_DOUBLE
    if tn == cnp.NPY_UINT8:
        return PLITE_UINT8
    if tn == cnp.NPY_INT8:
        return PLITE_INT8
    if tn == cnp.NPY_INT16:
        return PLITE_INT16
    if tn == cnp.NPY_INT32 or (tn == cnp.NPY_LONG and itemsize == 4):
        return PLITE_INT32
    if tn == cnp.NPY_INT64 or (tn == cnp.NPY_LONG and itemsize == 8) or (tn == cnp.NPY_LONGLONG and itemsize == 8):
        return PLITE_INT64
    return 0


cdef void mirror(TensorMeta tm, t, arr):
    """Fill tm from t's geometry and its numpy view arr (invalid when arr is not a numpy array of
    t's dimensions)."""
    tm.m.valid = 0
    if type(arr) is not _ndarray:
        return
    cdef cnp.ndarray a = <cnp.ndarray>arr
    size = t._size
    if type(size) is not tuple or (PyTuple_GET_SIZE(<tuple>size) and cnp.PyArray_NDIM(a) != PyTuple_GET_SIZE(<tuple>size)):
        return
    fill(tm, size, t._stride, <char*>cnp.PyArray_DATA(a), kind_of(cnp.PyArray_TYPE(a), cnp.PyArray_ITEMSIZE(a)),
         cnp.PyArray_ISWRITEABLE(a))


cdef void mirror_storage(TensorMeta tm, t) except *:
    """Fill tm from t's geometry over its storage's buffer, without building the numpy view (t is
    registered as a viewer of the storage, which drops tm when it reallocates).  Left invalid
    where only the numpy view's own path applies."""
    tm.m.valid = 0
    st = t._storage
    size, stride, offset = t._size, t._stride, t._offset
    if type(size) is not tuple or type(stride) is not tuple or type(offset) is not int:
        return
    if st is None:
        if PyTuple_GET_SIZE(<tuple>size) == 0:
            fill(tm, size, stride, NULL, 0, 0)
        return
    d = st._data
    if type(d) is not _ndarray or cnp.PyArray_NDIM(<cnp.ndarray>d) != 1 \
            or not cnp.PyArray_IS_C_CONTIGUOUS(<cnp.ndarray>d):
        return
    cdef cnp.ndarray a = <cnp.ndarray>d
    cdef Py_ssize_t nd = PyTuple_GET_SIZE(<tuple>size), i, n, k
    if PyTuple_GET_SIZE(<tuple>stride) != nd:
        return
    cdef Py_ssize_t off = offset, need = off + 1
    for i in range(nd):
        n = <object>PyTuple_GET_ITEM(<tuple>size, i)
        k = <object>PyTuple_GET_ITEM(<tuple>stride, i)
        if n <= 0 or k < 0:
            return
        need += (n - 1) * k
    if nd and (off < 0 or need > cnp.PyArray_DIM(a, 0)):
        return              # outside the storage: the numpy view's path reports it
    add_viewer(st, t)
    fill(tm, size, stride, <char*>cnp.PyArray_DATA(a) + off * cnp.PyArray_ITEMSIZE(a),
         kind_of(cnp.PyArray_TYPE(a), cnp.PyArray_ITEMSIZE(a)), cnp.PyArray_ISWRITEABLE(a))


cdef void fill(TensorMeta tm, size, stride, char* data, int kind, bint writable):
    cdef plite_meta* m = &tm.m
    cdef Py_ssize_t nd = PyTuple_GET_SIZE(<tuple>size), i, n, s, expect = 1
    m.valid = 0
    if nd > PLITE_MAXDIM or type(stride) is not tuple or PyTuple_GET_SIZE(<tuple>stride) != nd:
        return
    m.kind = kind
    m.writable = writable
    m.ndim = <int>nd
    cdef double total = 1 if nd else 0
    cdef bint contiguous = True
    for i in range(nd - 1, -1, -1):
        n = <object>PyTuple_GET_ITEM(<tuple>size, i)
        s = <object>PyTuple_GET_ITEM(<tuple>stride, i)
        m.size[i] = <double>n
        m.stride[i] = <double>s
        total *= <double>n
        if n != 1 and s != expect:
            contiguous = False
        expect *= n
    m.nelem = total
    m.data = data if total > 0 else NULL
    m.run_n = 0
    m.run_step = 1
    if total > 0:
        if contiguous:
            m.run_n = <int64_t>total
        elif nd == 1 and m.stride[0] > 1:
            m.run_n = <int64_t>total
            m.run_step = <int64_t>m.stride[0]
    m.valid = 1


def meta_address(t):
    """The address of t's plite_meta, made on first use and filled from its numpy view (built now
    if need be); 0 for an object that is not a tensor, or a tensor the struct cannot describe
    (a device array, more than PLITE_MAXDIM dimensions, a view outside its storage): the Lua
    side then keeps to the Python methods for it."""
    if META_BASE is None or not isinstance(t, META_BASE):
        return 0
    cdef PyObject* p = plite_slot_get(t, META_OFFSET)
    cdef TensorMeta tm
    if p is not NULL and (<TensorMeta>p).owner == <void*>t:
        tm = <TensorMeta>p
    else:
        tm = TensorMeta()
        tm.owner = <void*>t
        plite_slot_set(t, META_OFFSET, <PyObject*>tm)
    if not tm.m.valid:
        p = plite_slot_get(t, ARRAY_OFFSET)
        if p is not NULL:
            mirror(tm, t, <object>p)
        else:
            mirror_storage(tm, t)           # a fresh view: no numpy array needed
            if not tm.m.valid:
                try:
                    arr = t._a              # the general path (fills tm when it builds the array)
                except Exception:
                    return 0
                mirror(tm, t, arr)
        if not tm.m.valid:      # a device array, more than PLITE_MAXDIM dimensions
            return 0
    return <size_t>&tm.m


def meta_layout():
    """{field: byte offset, "sizeof": size} of plite_meta as this compiler laid it out."""
    names = ("data", "size", "stride", "nelem", "run_n", "run_step", "ndim", "valid", "kind", "writable")
    out = {name: plite_meta_offsets[i] for i, name in enumerate(names)}
    out["sizeof"] = sizeof(plite_meta)
    return out


cdef object build(cnp.ndarray d, Py_ssize_t offset, tuple size, tuple stride):
    """The array (offset, size, stride in elements) over the 1-D C-contiguous ndarray d, its base;
    None for a shape this builder does not take (the general path then does)."""
    cdef Py_ssize_t nd = PyTuple_GET_SIZE(size), i, n, s
    cdef cnp.npy_intp dims[MAXDIM]
    cdef cnp.npy_intp strides[MAXDIM]
    if nd == 0 or nd > MAXDIM or PyTuple_GET_SIZE(stride) != nd or cnp.PyArray_NDIM(d) != 1 \
            or not cnp.PyArray_IS_C_CONTIGUOUS(d):
        return None
    cdef Py_ssize_t length = cnp.PyArray_DIM(d, 0)
    cdef Py_ssize_t isz = cnp.PyArray_ITEMSIZE(d)
    cdef Py_ssize_t need = offset + 1
    for i in range(nd):
        n = <object>PyTuple_GET_ITEM(size, i)
        s = <object>PyTuple_GET_ITEM(stride, i)
        dims[i] = n
        strides[i] = s * isz
        need += (n - 1) * s
    if need > length or offset < 0:
        raise TorchValueError("tensor (size %s, stride %s, offset %d) lies outside its storage of size %d"
                              % (size, stride, offset, length))
    descr = <object>cnp.PyArray_DESCR(d)
    Py_INCREF(descr)
    cdef int flags = cnp.PyArray_FLAGS(d) & cnp.NPY_ARRAY_WRITEABLE
    arr = PyArray_NewFromDescr(<PyTypeObject*>_ndarray, <Descr*>descr, <int>nd, dims, strides,
                               <char*>cnp.PyArray_DATA(d) + offset * isz, flags, NULL)
    cnp.set_array_base(<cnp.ndarray>arr, d)
    return arr


def add_viewer(st, t):
    """Remember t (weakly) in the storage's list of tensors holding an array of its buffer
    (Storage._set_data drops their arrays).  The list is compacted when it reaches st._vlimit,
    which is then set to twice the live count (at least 16): a storage viewed by many short-lived
    tensors keeps a list at most about twice as long as its live viewers, at a constant cost per
    view."""
    cdef list viewers = st._viewers
    if viewers is None:
        st._viewers = viewers = []
    cdef Py_ssize_t n = PyList_GET_SIZE(viewers), i, k
    cdef Py_ssize_t limit = st._vlimit
    if n >= limit:
        # drop dead references and repeats (a long-lived tensor whose array is rebuilt after
        # each resize registers again)
        k = 0
        seen = set()
        for i in range(n):
            r = <object>PyList_GET_ITEM(viewers, i)
            o = <object>PyWeakref_GET_OBJECT(r)
            if o is not None and id(o) not in seen:
                seen.add(id(o))
                viewers[k] = r
                k += 1
        del viewers[k:]
        st._vlimit = max(16, 2 * k)
    viewers.append(PyWeakref_NewRef(t, None))


# -- geometry ----------------------------------------------------------------------------------------

def contig_strides(size):
    """The strides of a contiguous tensor of this size (a sequence of ints): 1 for the last
    dimension, each other the product of the sizes after it."""
    cdef tuple sz = size if type(size) is tuple else tuple(size)
    cdef Py_ssize_t nd = PyTuple_GET_SIZE(sz), i
    cdef list out = [1] * nd
    acc = 1
    for i in range(nd - 1, -1, -1):
        out[i] = acc
        acc = acc * <object>PyTuple_GET_ITEM(sz, i)
    return tuple(out)


def positive_sizes(tuple args):
    """args as a tuple of sizes when every one is a positive int (bools excepted), else None."""
    cdef Py_ssize_t i, n = PyTuple_GET_SIZE(args)
    if n == 0 or n > MAXDIM:
        return None
    for i in range(n):
        a = <object>PyTuple_GET_ITEM(args, i)
        if type(a) is not int or a <= 0:
            return None
    return args


def is_contiguous(size, stride):
    """TH's isContiguous: each dimension's stride is the product of the sizes after it, size-1
    dimensions excepted (their stride never matters)."""
    cdef tuple sz = size if type(size) is tuple else tuple(size)
    cdef tuple st = stride if type(stride) is tuple else tuple(stride)
    cdef Py_ssize_t nd = PyTuple_GET_SIZE(sz), i
    if PyTuple_GET_SIZE(st) != nd:
        return False
    acc = 1
    for i in range(nd - 1, -1, -1):
        n = <object>PyTuple_GET_ITEM(sz, i)
        if n != 1 and <object>PyTuple_GET_ITEM(st, i) != acc:
            return False
        acc = acc * n
    return True
