"""BLAS-style products and the LAPACK family (torch7 doc/maths.md, 'BLAS operations' and
'Basic linear algebra operations').

Products go through numpy's matmul (BLAS for float and double), writing straight into the
result's buffer where the layout allows; float32 stays float32.  Matrix-matrix products (mm,
addmm) below BLAS-threading size call numpy's OpenBLAS from C, single-threaded (_nn_conv.mm).
Argument orders are Torch7's: ``torch.addmm([res,] [beta,] M, [alpha,] mat1, mat2)``.

LAPACK routines come from numpy.linalg (gesv, getri, potrf, syev, geev, gesdd, geqrf/orgqr
through qr, gelsd through lstsq).  What numpy does not expose is done here in numpy: the LU
factor returned by gesv (a blocked right-looking getrf with partial pivoting), triangular solves
(trtrs, potrs, potri), and applying elementary reflectors (orgqr, ormqr).  Note that numpy's svd
is gesdd where Torch7 called gesvd: the factors agree up to the signs of singular-vector pairs.

As in Torch7, matrix results of LAPACK calls are column-major ("transposed", strides 1, m), a
right-hand side given as a vector gives an n x 1 result, and failures (singular or not positive
definite matrices) raise TorchRuntimeError.
"""
import numpy as np

from .._decl import over, wrap
from ..errors import TorchRuntimeError, TorchTypeError, TorchValueError
from ._util import real, result_sized
from .._nn_conv import mm
from ..cuda.device import array_module as _xp


def _fmt(t):
    return "x".join(map(str, t._size)) if t._size else "empty"


def _need_dim(t, nd, name, what):
    if t.dim() != nd:
        raise TorchValueError("%s: %s must be a %dD tensor, got %s (%dD)" % (name, what, nd, _fmt(t), t.dim()))


def _acc(x, v):
    return real(x, v)


# -- products ---------------------------------------------------------------------------------------

def _matmul(a, b, out=None):
    """a @ b of two matrices: _nn_conv.mm (small products on one BLAS thread, not numpy's
    OpenBLAS waking its threads) where it applies, numpy's matmul otherwise (CuPy's on a device)."""
    if type(a) is not np.ndarray:   # a Cuda tensor's CuPy array: no host buffer for the kernel
        return np.matmul(a, b, out=out)
    if out is None:
        out = np.empty((a.shape[0], b.shape[1]), np.result_type(a, b))
    if out.flags.c_contiguous and a.dtype == b.dtype == out.dtype and mm(a, b, out):
        return out
    return np.matmul(a, b, out=out)


def _check_mm(name, m1, m2):
    _need_dim(m1, 2, name, "mat1")
    _need_dim(m2, 2, name, "mat2")
    if m1._size[1] != m2._size[0]:
        raise TorchValueError("%s: size mismatch, m1: [%d x %d], m2: [%d x %d]"
                              % ((name,) + m1._size + m2._size))


def _axpby(r, beta, M, alpha, prod):
    """r = beta*M + alpha*prod, as BLAS does it (beta == 0 ignores M, even its NaNs)."""
    ra = r._a
    if alpha != 1:
        prod *= alpha
    if beta == 0:
        ra[...] = prod
        return r
    if M is not r:
        if beta == 1:
            ra[...] = M._a
        else:
            np.multiply(M._a, beta, out=ra, casting="unsafe")
    elif beta != 1:
        ra *= beta
    np.add(ra, prod, out=ra, casting="unsafe")
    return r


def _addmm(out, beta, M, alpha, m1, m2):
    _check_mm("addmm", m1, m2)
    size = (m1._size[0], m2._size[1])
    _need_dim(M, 2, "addmm", "M")
    if M._size != size:
        raise TorchValueError("addmm: M is %s, expected %s" % (_fmt(M), "x".join(map(str, size))))
    beta, alpha = _acc(M, beta), _acc(M, alpha)
    prod = _matmul(m1._a, m2._a)
    r = result_sized(out, type(M), size) if out is not M else M
    return _axpby(r, beta, M, alpha, prod)


def _mm(out, m1, m2):
    _check_mm("mm", m1, m2)
    r = result_sized(out, type(m1), (m1._size[0], m2._size[1]))
    _matmul(m1._a, m2._a, r._a)
    return r


def _self_only(fn, name):
    """Method-only overloads (x.addmm(beta, alpha, m1, m2)): the result tensor is also M."""
    def impl(out, *args):
        if out is None:
            raise TorchTypeError("%s: the source tensor M is missing" % name)
        return fn(out, *args)
    return impl


def _five(fn):
    """Expand Torch7's optional beta / alpha into one implementation taking all five."""
    return (over("T M, T a, T b", lambda out, M, a, b: fn(out, 1, M, 1, a, b)),
            over("N beta, T M, T a, T b", lambda out, be, M, a, b: fn(out, be, M, 1, a, b)),
            over("T M, N alpha, T a, T b", lambda out, M, al, a, b: fn(out, 1, M, al, a, b)),
            over("N beta, T M, N alpha, T a, T b", fn),
            over("N beta, N alpha, T a, T b",
                 _self_only(lambda out, be, al, a, b: fn(out, be, out, al, a, b), fn.__name__)))


wrap("mm", over("T mat1, T mat2", _mm))
wrap("addmm", *_five(_addmm))


def _check_mv(name, mat, vec):
    _need_dim(mat, 2, name, "mat")
    _need_dim(vec, 1, name, "vec")
    if mat._size[1] != vec._size[0]:
        raise TorchValueError("%s: size mismatch, mat: [%d x %d], vec: [%d]" % ((name,) + mat._size + vec._size))


def _mv(out, mat, vec):
    _check_mv("mv", mat, vec)
    r = result_sized(out, type(mat), (mat._size[0],))
    np.matmul(mat._a, vec._a, out=r._a)
    return r


def _addmv(out, beta, M, alpha, mat, vec):
    _check_mv("addmv", mat, vec)
    _need_dim(M, 1, "addmv", "vector M")
    if M._size[0] != mat._size[0]:
        raise TorchValueError("addmv: size mismatch, M: [%d], mat: [%d x %d]" % (M._size + mat._size))
    beta, alpha = _acc(M, beta), _acc(M, alpha)
    prod = np.matmul(mat._a, vec._a)
    r = result_sized(out, type(M), M._size) if out is not M else M
    return _axpby(r, beta, M, alpha, prod)


wrap("mv", over("T mat, T vec", _mv))
wrap("addmv", *_five(_addmv))


def _check_r(name, v1, v2):
    _need_dim(v1, 1, name, "vec1")
    _need_dim(v2, 1, name, "vec2")


def _ger(out, v1, v2):
    _check_r("ger", v1, v2)
    r = result_sized(out, type(v1), (v1._size[0], v2._size[0]))
    np.multiply(v1._a[:, None], v2._a[None, :], out=r._a)
    return r


def _addr(out, beta, M, alpha, v1, v2):
    _check_r("addr", v1, v2)
    size = (v1._size[0], v2._size[0])
    _need_dim(M, 2, "addr", "M")
    if M._size != size:
        raise TorchValueError("addr: size mismatch, M: %s, vec1: [%d], vec2: [%d]" % ((_fmt(M),) + size))
    beta, alpha = _acc(M, beta), _acc(M, alpha)
    # BLAS ger adds x(i) * (alpha * y(j))
    y = v2._a * alpha if alpha != 1 else v2._a
    prod = v1._a[:, None] * y[None, :]
    r = result_sized(out, type(M), size) if out is not M else M
    return _axpby(r, beta, M, 1, prod)


wrap("ger", over("T vec1, T vec2", _ger))
wrap("addr", *_five(_addr))


def _check_bmm(name, b1, b2):
    _need_dim(b1, 3, name, "batch1")
    _need_dim(b2, 3, name, "batch2")
    if b1._size[0] != b2._size[0]:
        raise TorchValueError("%s: batch1 and batch2 must have the same number of matrices, got %d and %d"
                              % (name, b1._size[0], b2._size[0]))
    if b1._size[2] != b2._size[1]:
        raise TorchValueError("%s: size mismatch, batch1: %s, batch2: %s" % (name, _fmt(b1), _fmt(b2)))


def _bmm(out, b1, b2):
    _check_bmm("bmm", b1, b2)
    r = result_sized(out, type(b1), (b1._size[0], b1._size[1], b2._size[2]))
    np.matmul(b1._a, b2._a, out=r._a)
    return r


def _baddbmm(out, beta, M, alpha, b1, b2):
    _check_bmm("baddbmm", b1, b2)
    size = (b1._size[0], b1._size[1], b2._size[2])
    _need_dim(M, 3, "baddbmm", "M")
    if M._size != size:
        raise TorchValueError("baddbmm: M is %s, expected %s" % (_fmt(M), "x".join(map(str, size))))
    beta, alpha = _acc(M, beta), _acc(M, alpha)
    prod = np.matmul(b1._a, b2._a)
    r = result_sized(out, type(M), size) if out is not M else M
    return _axpby(r, beta, M, alpha, prod)


def _addbmm(out, beta, M, alpha, b1, b2):
    _check_bmm("addbmm", b1, b2)
    size = (b1._size[1], b2._size[2])
    _need_dim(M, 2, "addbmm", "M")
    if M._size != size:
        raise TorchValueError("addbmm: M is %s, expected %s" % (_fmt(M), "x".join(map(str, size))))
    beta, alpha = _acc(M, beta), _acc(M, alpha)
    a1, a2 = b1._a, b2._a
    prods = np.matmul(a1, a2)
    r = result_sized(out, type(M), size) if out is not M else M
    # Torch7 accumulates batch by batch: r = beta*M + alpha*P0, then r += alpha*P_i
    _axpby(r, beta, M, alpha, prods[0])
    ra = r._a
    for i in range(1, prods.shape[0]):
        p = prods[i]
        if alpha != 1:
            p *= alpha
        np.add(ra, p, out=ra, casting="unsafe")
    return r


wrap("bmm", over("T batch1, T batch2", _bmm))
wrap("baddbmm", *_five(_baddbmm))
wrap("addbmm", *_five(_addbmm))


def _dot(out, x, y):
    if x.nElement() != y.nElement():
        raise TorchValueError("dot: inconsistent tensor size (%d vs %d elements)" % (x.nElement(), y.nElement()))
    if x.nElement() == 0:
        return 0.0 if x.dtype.kind == "f" else 0
    a, b = x._a.reshape(-1), y._a.reshape(-1)
    return np.dot(a, b).item()


wrap("dot", over("T x, T y", _dot, returns="N"), form="new")


def _trace(out, x):
    _need_dim(x, 2, "trace", "the argument")
    acc = np.float64 if x.dtype.kind == "f" else np.int64
    return np.trace(x._a, dtype=acc).item()


wrap("trace", over("T x", _trace, returns="N"), form="new")


def _cross(out, x, y, dim):
    if x._size != y._size:
        raise TorchValueError("cross: inconsistent tensor sizes %s and %s" % (_fmt(x), _fmt(y)))
    if dim is None:
        d = next((i for i, s in enumerate(x._size) if s == 3), None)
        if d is None:
            raise TorchValueError("cross: no dimension of size 3 in a %s tensor" % _fmt(x))
    else:
        d = x._checkdim(dim)
        if x._size[d] != 3:
            raise TorchValueError("cross: dimension %d does not have size 3 (size %s)" % (d, _fmt(x)))
    a, b = np.moveaxis(x._a, d, 0), np.moveaxis(y._a, d, 0)
    res = _xp(a).empty(a.shape, x.dtype)
    res[0] = a[1] * b[2] - a[2] * b[1]
    res[1] = a[2] * b[0] - a[0] * b[2]
    res[2] = a[0] * b[1] - a[1] * b[0]
    r = result_sized(out, type(x), x._size)
    r._a[...] = np.moveaxis(res, 0, d)
    return r


wrap("cross", over("T x, T y, D dim=None", _cross), form="new")


# -- LAPACK: helpers -----------------------------------------------------------------------------

def _float_only(name, *ts):
    for t in ts:
        if t.dtype.kind != "f":
            raise TorchTypeError("%s is only defined for FloatTensor and DoubleTensor, not %s" % (name, t.typename))


def _square(name, a, what="A"):
    if a.dim() != 2:
        raise TorchValueError("%s: %s should have 2 dimensions, but has %d" % (name, what, a.dim()))
    if a._size[0] != a._size[1]:
        raise TorchValueError("%s: %s should be square, but is %dx%d" % ((name, what) + a._size))


def _rhs(name, b, a):
    if b.dim() not in (1, 2):
        raise TorchValueError("%s: B should have 1 or 2 dimensions, but has %d" % (name, b.dim()))
    if a._size[0] != b._size[0]:
        raise TorchValueError("%s: A,B size incompatible - A has %d rows, B has %d" % (name, a._size[0], b._size[0]))
    arr = b._a
    return arr.reshape(-1, 1) if b.dim() == 1 else arr


def _option(name, value, allowed):
    if not isinstance(value, str) or value.upper() not in allowed:
        raise TorchValueError("%s: invalid option %r (expected one of %s)" % (name, value, ", ".join(allowed)))
    return value.upper()


def _put_matrix(out, cls, arr, inputs=()):
    """Store a 2D result column-major, as Torch7's LAPACK wrappers do.

    A given result tensor is restructured to strides (1, m) over its own storage, unless it is
    one of the inputs already of the right size, which keeps its layout (Torch7 copies back).
    """
    m, n = arr.shape
    if out is None:
        buf = np.empty(m * n, cls.dtype)
        r = cls._make(cls.storage_class._wrap(buf), 0, (m, n), (1, m))
    elif any(out is t for t in inputs) and out._size == (m, n):
        r = out
    else:
        if type(out) is not cls:
            raise TorchTypeError("expected a %s result, got a %s" % (cls.typename, out.typename))
        out.resize(n, m)
        out.set(out.storage(), out.storageOffset(), (m, n), (1, m))
        r = out
    r._a[...] = arr
    return r


def _put_vector(out, cls, arr):
    r = result_sized(out, cls, arr.shape)
    r._a[...] = arr
    return r


def _outs(out, k):
    if out is None:
        return (None,) * k
    return out if isinstance(out, tuple) else (out,)


def _getrf(a):
    """LU with partial pivoting in place on a square array (LAPACK getrf's result).

    Blocked right-looking: each panel is factored column by column (scaling by the pivot's
    reciprocal as dgetf2 does), then the trailing matrix is updated with one matmul.
    Returns LAPACK's info: 0, or the 1-based index of the first exactly zero pivot.
    """
    n = a.shape[0]
    info = 0
    nb = 32
    for j0 in range(0, n, nb):
        j1 = min(j0 + nb, n)
        for j in range(j0, j1):
            col = a[j:, j]
            p = j + int(np.argmax(np.abs(col)))
            if a[p, j] != 0:
                if p != j:
                    a[[j, p], :] = a[[p, j], :]
                piv = a[j, j]
                if abs(piv) >= np.finfo(a.dtype).tiny:
                    a[j + 1:, j] *= a.dtype.type(1) / piv
                else:
                    a[j + 1:, j] /= piv
            elif info == 0:
                info = j + 1
            if j + 1 < j1:
                a[j + 1:, j + 1:j1] -= np.multiply.outer(a[j + 1:, j], a[j, j + 1:j1])
        if j1 < n:
            L11 = np.tril(a[j0:j1, j0:j1], -1)
            L11[np.diag_indices(j1 - j0)] = 1
            a[j0:j1, j1:] = _solve_upper(L11[::-1, ::-1], a[j0:j1, j1:][::-1])[::-1]
            a[j1:, j1:] -= a[j1:, j0:j1] @ a[j0:j1, j1:]
    return info


def _solve_upper(U, B):
    """Back substitution with an upper triangular U (through LAPACK gesv: with an upper
    triangular matrix partial pivoting never swaps, so this is exactly back substitution)."""
    return np.linalg.solve(U, B)


def _tri_solve(T, B, upper, trans=False, unit=False):
    """Solve op(T) X = B where T's `upper` (or lower) triangle holds the matrix."""
    M = np.triu(T) if upper else np.tril(T)
    if unit:
        M[np.diag_indices(M.shape[0])] = 1
    if trans:
        M, upper = M.T, not upper
    if upper:
        return _solve_upper(M, B)
    return _solve_upper(M[::-1, ::-1], B[::-1])[::-1]


def _check_diag(name, T, msg):
    d = np.diagonal(T)
    zero = np.flatnonzero(d == 0)
    if zero.size:
        i = int(zero[0])
        raise TorchRuntimeError("%s: %s" % (name, msg % (i, i)))


def _lin(name, fn, *args):
    try:
        return fn(*args)
    except np.linalg.LinAlgError as e:
        raise TorchRuntimeError("%s: %s" % (name, e)) from None


# -- LAPACK: solvers -------------------------------------------------------------------------------

def _gesv(out, b, a):
    _float_only("gesv", b, a)
    _square("gesv", a)
    B = _rhs("gesv", b, a)
    rb, ra = _outs(out, 2)
    lu = np.array(a._a, order="C")
    info = _getrf(lu)
    if info:
        raise TorchRuntimeError("gesv: U(%d,%d) is zero, singular U (0-based)" % (info - 1, info - 1))
    X = _lin("gesv", np.linalg.solve, a._a, B)
    return (_put_matrix(rb, type(a), X, (b,)), _put_matrix(ra, type(a), lu, (a,)))


wrap("gesv", over("T B, T A", _gesv, returns="T,T"), form="new")


def _trtrs(out, b, a, uplo, trans, diag):
    _float_only("trtrs", b, a)
    _square("trtrs", a)
    B = _rhs("trtrs", b, a)
    uplo = _option("trtrs", uplo, ("U", "L"))
    trans = _option("trtrs", trans, ("N", "T"))
    diag = _option("trtrs", diag, ("N", "U"))
    A = a._a
    if diag == "N":
        _check_diag("trtrs", A, "A(%d,%d) is zero, singular A (0-based)")
    X = _tri_solve(A, B, uplo == "U", trans == "T", diag == "U")
    rb, ra = _outs(out, 2)
    return (_put_matrix(rb, type(a), X, (b,)), _put_matrix(ra, type(a), A.copy(), (a,)))


wrap("trtrs", over("T B, T A, S uplo='U', S trans='N', S diag='N'", _trtrs, returns="T,T"), form="new")


def _inverse(out, a):
    _float_only("inverse", a)
    _square("inverse", a, "the matrix")
    A = a._a
    try:
        inv = np.linalg.inv(A)
    except np.linalg.LinAlgError:
        info = _getrf(np.array(A))
        raise TorchRuntimeError("inverse: U(%d,%d) is 0, U is singular (0-based)"
                                % (max(info, 1) - 1, max(info, 1) - 1)) from None
    return _put_matrix(out, type(a), inv, (a,))


wrap("inverse", over("T A", _inverse), form="new")


def _potrf(out, a, uplo):
    _float_only("potrf", a)
    _square("potrf", a)
    uplo = _option("potrf", uplo, ("U", "L"))
    A = a._a
    # only the `uplo` triangle of A is read, as LAPACK does
    T = np.triu(A) if uplo == "U" else np.tril(A)
    S = T + np.triu(T, 1).T if uplo == "U" else T + np.tril(T, -1).T
    try:
        L = np.linalg.cholesky(S)
    except np.linalg.LinAlgError:
        raise TorchRuntimeError("potrf: the matrix is not positive definite") from None
    return _put_matrix(out, type(a), L.T if uplo == "U" else L, (a,))


wrap("potrf", over("T A, S uplo='U'", _potrf), form="new")


def _pstrf(out, a, uplo, tol):
    """Cholesky with complete pivoting of a positive semidefinite A (LAPACK's pstrf):
    A[piv][:, piv] = U'U ('U') or L L' ('L'); piv holds 0-based row numbers.  The pivot is the
    largest remaining diagonal entry; the factorisation stops once it is <= tol (default, tol < 0:
    n * eps * max(diag(A))), leaving the rest of the factor zero."""
    _float_only("pstrf", a)
    _square("pstrf", a)
    uplo = _option("pstrf", uplo, ("U", "L"))
    A = a._a.astype(np.float64)
    T = np.triu(A) if uplo == "U" else np.tril(A)   # only the `uplo` triangle is read
    work = T + np.triu(T, 1).T if uplo == "U" else T + np.tril(T, -1).T
    n = work.shape[0]
    if tol < 0:
        tol = n * np.finfo(a.dtype).eps * (work.diagonal().max() if n else 0)
    U = np.zeros_like(work)
    piv = np.arange(n)
    for j in range(n):
        p = j + int(np.argmax(work.diagonal()[j:]))
        if work[p, p] <= tol:
            break
        if p != j:
            work[[j, p]] = work[[p, j]]
            work[:, [j, p]] = work[:, [p, j]]
            U[:j, [j, p]] = U[:j, [p, j]]
            piv[[j, p]] = piv[[p, j]]
        U[j, j] = np.sqrt(work[j, j])
        U[j, j + 1:] = work[j, j + 1:] / U[j, j]
        work[j + 1:, j + 1:] -= np.outer(U[j, j + 1:], U[j, j + 1:])
    outs = out if isinstance(out, tuple) else (out, None)
    r = _put_matrix(outs[0], type(a), (U if uplo == "U" else U.T).astype(a.dtype), (a,))
    pv = outs[1]
    if pv is None:
        from ..tensor import IntTensor
        pv = IntTensor(n)
    elif pv._size != (n,):
        pv.resize(n)
    pv._a[...] = piv
    return r, pv


wrap("pstrf", over("T A, S uplo='U', N tol=-1", _pstrf, "T,P"), form="new")


def _potri(out, a, uplo):
    _float_only("potri", a)
    _square("potri", a)
    uplo = _option("potri", uplo, ("U", "L"))
    C = a._a
    _check_diag("potri", C, "A(%d,%d) is 0, A cannot be factorized (0-based)")
    n = C.shape[0]
    Cinv = _tri_solve(C, np.eye(n, dtype=C.dtype), uplo == "U")
    inv = Cinv @ Cinv.T if uplo == "U" else Cinv.T @ Cinv
    return _put_matrix(out, type(a), inv, (a,))


wrap("potri", over("T A, S uplo='U'", _potri), form="new")


def _potrs(out, b, a, uplo):
    _float_only("potrs", b, a)
    _square("potrs", a)
    B = _rhs("potrs", b, a)
    uplo = _option("potrs", uplo, ("U", "L"))
    C = a._a
    _check_diag("potrs", C, "A(%d,%d) is zero, singular A (0-based)")
    if uplo == "U":    # A = U'U
        X = _tri_solve(C, _tri_solve(C, B, True, trans=True), True)
    else:              # A = LL'
        X = _tri_solve(C, _tri_solve(C, B, False), False, trans=True)
    return _put_matrix(out, type(a), X, (b,))


wrap("potrs", over("T B, T A, S uplo='U'", _potrs), form="new")


def _gels(out, b, a):
    _float_only("gels", b, a)
    if a.dim() != 2:
        raise TorchValueError("gels: A should have 2 dimensions, but has %d" % a.dim())
    B = _rhs("gels", b, a)
    A = a._a
    m, n = A.shape
    # A's factorization, as dgels leaves it: QR (geqrf) when m >= n, else LQ (gelqf)
    if m >= n:
        h, tau = np.linalg.qr(A, mode="raw")
        fac = h.T
    else:
        h, tau = np.linalg.qr(A.T, mode="raw")
        fac = h
    d = np.diagonal(fac)
    zero = np.flatnonzero(d == 0)
    if zero.size:
        raise TorchRuntimeError("gels: the %d-th diagonal element of the triangular factor of A is zero "
                                "(0-based)" % int(zero[0]))
    X = _lin("gels", np.linalg.lstsq, A, B, None)[0]
    rb, ra = _outs(out, 2)
    return (_put_matrix(rb, type(a), X, (b,)), _put_matrix(ra, type(a), fac, (a,)))


wrap("gels", over("T B, T A", _gels, returns="T,T"), form="new")


# -- LAPACK: eigen and singular values ---------------------------------------------------------

def _symeig(out, a, jobz, uplo):
    _float_only("symeig", a)
    _square("symeig", a)
    jobz = _option("symeig", jobz, ("N", "V"))
    uplo = _option("symeig", uplo, ("U", "L"))
    re, rv = _outs(out, 2)
    if jobz == "V":
        e, V = _lin("symeig", np.linalg.eigh, a._a, uplo)
    else:
        # LAPACK leaves the input's triangle destroyed in the vectors' place: we return a copy
        e, V = _lin("symeig", np.linalg.eigvalsh, a._a, uplo), a._a.copy()
    return (_put_vector(re, type(a), e), _put_matrix(rv, type(a), V, (a,)))


wrap("symeig", over("T A, S jobz='N', S uplo='U'", _symeig, returns="T,T"), form="new")


def _eig(out, a, jobvr):
    _float_only("eig", a)
    _square("eig", a)
    jobvr = _option("eig", jobvr, ("N", "V"))
    re, rv = _outs(out, 2)
    if jobvr == "V":
        w, v = _lin("eig", np.linalg.eig, a._a)
    else:
        w, v = _lin("eig", np.linalg.eigvals, a._a), None
    e = np.stack([np.real(w), np.imag(w)], axis=1)
    re = _put_vector(re, type(a), e)
    if v is None:
        return (re, rv if rv is not None else type(a)())
    if np.iscomplexobj(v):
        # back to LAPACK's packing: a conjugate pair (j, j+1) stores real and imaginary parts
        vr = np.real(v).copy()
        wi = np.imag(w)
        j = 0
        n = w.shape[0]
        while j < n:
            if wi[j] != 0 and j + 1 < n:
                vr[:, j + 1] = np.imag(v[:, j])
                j += 2
            else:
                j += 1
        v = vr
    return (re, _put_matrix(rv, type(a), v, (a,)))


wrap("eig", over("T A, S jobvr='N'", _eig, returns="T,T"), form="new")


def _svd(out, a, jobu):
    _float_only("svd", a)
    if a.dim() != 2:
        raise TorchValueError("svd: A should be 2 dimensional, got %dD" % a.dim())
    jobu = _option("svd", jobu, ("S", "A"))
    u, s, vt = _lin("svd", np.linalg.svd, a._a, jobu == "A")
    ru, rs, rv = _outs(out, 3)
    V = result_sized(rv, type(a), (vt.shape[1], vt.shape[0]))
    V._a[...] = vt.T
    return (_put_matrix(ru, type(a), u), _put_vector(rs, type(a), s), V)


wrap("svd", over("T A, S jobu='S'", _svd, returns="T,T,T"), form="new")


# -- LAPACK: QR ----------------------------------------------------------------------------------

def _need_matrix(name, a):
    if a.dim() != 2:
        raise TorchValueError("%s: A should be 2 dimensional, got %dD" % (name, a.dim()))


def _qr(out, a):
    _float_only("qr", a)
    _need_matrix("qr", a)
    q, r = np.linalg.qr(a._a, mode="reduced")
    rq, rr = _outs(out, 2)
    R = result_sized(rr, type(a), r.shape)
    R._a[...] = r
    return (_put_matrix(rq, type(a), q), R)


wrap("qr", over("T A", _qr, returns="T,T"), form="new")


def _geqrf(out, a):
    _float_only("geqrf", a)
    _need_matrix("geqrf", a)
    h, tau = np.linalg.qr(a._a, mode="raw")
    rm, rtau = _outs(out, 2)
    return (_put_matrix(rm, type(a), h.T, (a,)), _put_vector(rtau, type(a), tau))


wrap("geqrf", over("T A", _geqrf, returns="T,T"), form="new")


def _reflect(F, tau, C, side, trans):
    """Apply Q = H(0) H(1) ... H(k-1), H(i) = I - tau_i v_i v_i' (v_i from F's column i below
    the diagonal, with a unit i-th entry) to C in place: op(Q) C ('L') or C op(Q) ('R')."""
    k = tau.shape[0]
    forward = (side == "L") == (trans == "T")
    order = range(k) if forward else range(k - 1, -1, -1)
    one = F.dtype.type(1)
    for i in order:
        t = tau[i]
        if t == 0:
            continue
        v = np.concatenate(([one], F[i + 1:, i]))
        if side == "L":
            blk = C[i:, :]
            blk -= np.multiply.outer(v, t * (v @ blk))
        else:
            blk = C[:, i:]
            blk -= np.multiply.outer(t * (blk @ v), v)
    return C


def _orgqr(out, a, tau):
    _float_only("orgqr", a, tau)
    _need_matrix("orgqr", a)
    m, n = a._size
    T = tau._a.reshape(-1)
    k = T.shape[0]
    if k > min(m, n):
        raise TorchValueError("orgqr: tau has %d elements, more than A (%s) has reflectors" % (k, _fmt(a)))
    F = a._a
    Q = np.array(F)
    # as Torch7 (orgqr(m, k, k)): the first k columns become Q's, the rest keep A's values
    E = np.zeros((m, k), F.dtype)
    E[np.arange(k), np.arange(k)] = 1
    Q[:, :k] = _reflect(F, T, E, "L", "N")
    return _put_matrix(out, type(a), Q, (a,))


wrap("orgqr", over("T A, T tau", _orgqr), form="new")


def _ormqr(out, a, tau, c, side, trans):
    _float_only("ormqr", a, tau, c)
    _need_matrix("ormqr", a)
    _need_matrix("ormqr", c)
    side = _option("ormqr", side, ("L", "R"))
    trans = _option("ormqr", trans, ("N", "T"))
    T = tau._a.reshape(-1)
    m, n = c._size
    need = m if side == "L" else n
    if a._size[0] != need or T.shape[0] > min(a._size[1], need):
        raise TorchValueError("ormqr: A (%s) and tau (%d) do not fit C (%s) on side %s"
                              % (_fmt(a), T.shape[0], _fmt(c), side))
    C = np.array(c._a)
    _reflect(a._a, T, C, side, trans)
    return _put_matrix(out, type(c), C, (c,))


wrap("ormqr", over("T A, T tau, T C, S side='L', S trans='N'", _ormqr), form="new")
