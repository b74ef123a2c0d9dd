# The per-call Python half of a tensor method called from Lua (lua_compat's bridge), compiled:
# lupa hands x:f(a, b) to fast(x, a, b); it calls the Tensor method and answers "no results" when
# the method returned x itself (the Lua side then hands back the caller's own userdata instead of
# looking the wrapper up again), plain values and tensors as they are, anything else converted.
from cpython.tuple cimport PyTuple_GET_ITEM, PyTuple_GET_SIZE


def make_fast(pm, result, frozenset plain, onerr):
    """fast(x, *a): pm(x, *a), with x -> () and results whose type is not in plain -> result(r);
    an exception e raised by pm becomes onerr(x, a, e) (the error as the Lua caller sees it)."""
    def fast(x, *a):
        try:
            return _call(pm, result, plain, x, a)
        except Exception as e:
            raise onerr(x, a, e)
    fast.__name__ = getattr(pm, "__name__", "fast")
    return fast


cdef inline object _call(pm, result, frozenset plain, x, tuple a):
    cdef Py_ssize_t n = PyTuple_GET_SIZE(a)
    if n == 0:
        r = pm(x)
    elif n == 1:
        r = pm(x, <object>PyTuple_GET_ITEM(a, 0))
    elif n == 2:
        r = pm(x, <object>PyTuple_GET_ITEM(a, 0), <object>PyTuple_GET_ITEM(a, 1))
    elif n == 3:
        r = pm(x, <object>PyTuple_GET_ITEM(a, 0), <object>PyTuple_GET_ITEM(a, 1),
               <object>PyTuple_GET_ITEM(a, 2))
    else:
        r = pm(x, *a)
    if r is x:
        return ()
    if type(r) in plain:
        return r
    return result(r)
