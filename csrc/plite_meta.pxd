# csrc/plite_meta.h for Cython: a tensor's C view (csrc/_views.pyx fills it, csrc/_small.pyx's FFI
# entry points read it).
cdef extern from "plite_meta.h":
    enum: PLITE_MAXDIM
    enum: PLITE_FLOAT
    enum: PLITE_DOUBLE
    enum: PLITE_UINT8
    enum: PLITE_INT8
    enum: PLITE_INT16
    enum: PLITE_INT32
    enum: PLITE_INT64
    ctypedef long long int64_t
    ctypedef struct plite_meta:
        char* data
        double size[PLITE_MAXDIM]
        double stride[PLITE_MAXDIM]
        double nelem
        int64_t run_n
        int64_t run_step
        int ndim
        int valid
        int kind
        int writable
