# The per-call part of the declaration table's method dispatch, compiled: a method call on a small
# tensor is mostly overhead, so the plan lookup (keyed by the argument types) is done in C.
from cpython.dict cimport PyDict_GetItem
from cpython.object cimport PyObject
from cpython.ref cimport Py_INCREF
from cpython.tuple cimport PyTuple_GET_ITEM, PyTuple_GET_SIZE, PyTuple_New, PyTuple_SET_ITEM


cdef inline tuple _type_key(object first, tuple args):
    cdef Py_ssize_t n = PyTuple_GET_SIZE(args), i
    cdef tuple key = PyTuple_New(n + 1)
    cdef object t = type(first)
    Py_INCREF(t)
    PyTuple_SET_ITEM(key, 0, t)
    for i in range(n):
        t = type(<object>PyTuple_GET_ITEM(args, i))
        Py_INCREF(t)
        PyTuple_SET_ITEM(key, i + 1, t)
    return key


def make_method(dict fast, slow, str name, str doc):
    """A Tensor method: looks up (impl, mode) in `fast` by argument types, else calls slow(self, args).

    mode 0: impl(self, *args) (self is the result); 1: impl(self, self, *args) (self is result and
    source); 2: impl(None, self, *args) (a new result).
    """
    def method(self, *args):
        cdef PyObject* p = PyDict_GetItem(fast, _type_key(self, args))
        if p is NULL:
            return slow(self, args)
        cdef tuple plan = <tuple>p
        impl = plan[0]
        cdef int mode = plan[1]
        cdef Py_ssize_t n = PyTuple_GET_SIZE(args)
        if mode == 1:
            if n == 1:
                return impl(self, self, <object>PyTuple_GET_ITEM(args, 0))
            return impl(self, self, *args)
        if mode == 0:
            return impl(self, *args)
        if n == 0:
            return impl(None, self)
        return impl(None, self, *args)
    method.__name__ = name
    method.__qualname__ = "Tensor." + name
    method.__doc__ = doc
    return method
