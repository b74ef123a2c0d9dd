# Reading and writing a Python class's __slots__ at their byte offsets: for the compiled tensor
# fast paths, where the attribute machinery (about 25 ns a read) costs more than the work.
# An offset is taken from the class's member descriptor once; it is only valid for instances of
# that class (and its subclasses), which callers check first.
from cpython.object cimport PyObject

cdef extern from *:
    """
    #include <structmember.h>
    /* the byte offset of an object slot (a __slots__ member descriptor), or -1 */
    static inline Py_ssize_t plite_slot_offset(PyObject *descr) {
        PyMemberDef *m;
        if (Py_TYPE(descr) != &PyMemberDescr_Type) return -1;
        m = ((PyMemberDescrObject *)descr)->d_member;
        return m->type == T_OBJECT_EX ? m->offset : -1;
    }
    static inline PyObject *plite_slot_get(PyObject *obj, Py_ssize_t off) {   /* borrowed; NULL when unset */
        return *(PyObject **)((char *)obj + off);
    }
    static inline void plite_slot_set(PyObject *obj, Py_ssize_t off, PyObject *v) {   /* v may be NULL */
        PyObject **p = (PyObject **)((char *)obj + off);
        PyObject *old = *p;
        Py_XINCREF(v);
        *p = v;
        Py_XDECREF(old);
    }
    """
    Py_ssize_t plite_slot_offset(object descr)
    PyObject* plite_slot_get(object obj, Py_ssize_t off)
    void plite_slot_set(object obj, Py_ssize_t off, PyObject* v)


cdef inline Py_ssize_t slot_offset(cls, str name) except -1:
    off = plite_slot_offset(cls.__dict__[name])
    if off < 0:
        raise TypeError("%r is not an object slot of %s" % (name, cls.__name__))
    return off
