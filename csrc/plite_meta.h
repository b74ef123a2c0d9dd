/* The geometry of a CPU tensor in one C struct, read by the compiled fast paths and by LuaJIT's
 * FFI (lua_compat/lua/prelude.lua declares the same layout; tests/test_lua_ffi_fast.py checks it
 * field by field against the offsets reported here).
 *
 * A tensor gets one on demand (csrc/_views.pyx: meta_address).  It mirrors the tensor's numpy
 * view (Tensor._a): it is filled whenever that array is built or assigned and marked invalid
 * whenever the array is dropped, which the tensor does on every change of geometry and its
 * storage on every reallocation.  Sizes, strides and the element count are doubles (exact up to
 * 2^53): LuaJIT reads a double field as a plain number, a 64-bit integer only as a boxed cdata. */
#ifndef PLITE_META_H
#define PLITE_META_H

#include <stdint.h>

#define PLITE_MAXDIM 8

typedef struct plite_meta {
    char *data;                    /* the first element of the view (NULL: no elements) */
    double size[PLITE_MAXDIM];
    double stride[PLITE_MAXDIM];   /* in elements */
    double nelem;                  /* 0 for an empty tensor (no dimensions) */
    int64_t run_n;                 /* > 0: the elements are one run of run_n, run_step apart */
    int64_t run_step;              /*      (contiguous: 1; a 1-D view: its stride) */
    int32_t ndim;
    int32_t valid;                 /* 1 while it mirrors the tensor's current view */
    int32_t kind;                  /* PLITE_FLOAT, PLITE_DOUBLE, ... below; 0 any other */
    int32_t writable;
} plite_meta;

/* element types (only float and double take the arithmetic fast paths) */
#define PLITE_FLOAT 1
#define PLITE_DOUBLE 2
#define PLITE_UINT8 3
#define PLITE_INT8 4
#define PLITE_INT16 5
#define PLITE_INT32 6
#define PLITE_INT64 7

#endif
