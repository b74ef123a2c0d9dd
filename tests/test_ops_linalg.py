"""BLAS-style products and the LAPACK family: Torch7's recorded values (fixtures topic
'linalg'), then numpy / PyTorch CPU as oracles on random data, in every calling form."""
import numpy as np
import pytest

import pytorch_lite as lite
from pytorch_lite.errors import TorchRuntimeError, TorchTypeError, TorchValueError

import t7index

ref = pytest.importorskip("torch")   # PyTorch CPU, a test-only oracle

TYPES = {np.float32: lite.FloatTensor, np.float64: lite.DoubleTensor}


# -- Torch7's recorded values (tests/t7index.py reads INDEX.txt) ---------------------------------

def build_inputs(topic):
    return {name: t7index.tensor(triple) for name, triple in t7index.load()[topic]["inputs"].items()}


def assert_matches(got, want, where):
    """t7index.check, plus Torch7's list results ({1=..., 2=...}) given as Python lists."""
    if isinstance(want, dict) and set(want) != {"values", "indices"}:
        assert isinstance(got, list) and len(got) == len(want), where
        for i, part in enumerate(got):
            t7index.check(part, want[str(i + 1)])
        return
    t7index.check(got, want)


# Lua expression (as recorded) -> the same call in Python (dims and indices 0-based)
LINALG = {
    "A:t()": lambda I: I["A"].t(),
    "b1:transpose(2, 3)": lambda I: I["b1"].transpose(1, 2),
    "torch.addbmm(0.5, bM[1], 2, b1, b2)": lambda I: lite.addbmm(0.5, I["bM"][0], 2, I["b1"], I["b2"]),
    "torch.addbmm(bM[1], b1, b2)": lambda I: lite.addbmm(I["bM"][0], I["b1"], I["b2"]),
    "torch.addmm(0.5, M, 2, A, B)": lambda I: lite.addmm(0.5, I["M"], 2, I["A"], I["B"]),
    "torch.addmm(M, A, B)": lambda I: lite.addmm(I["M"], I["A"], I["B"]),
    "torch.addmv(2, v2, -1, A, v3)": lambda I: lite.addmv(2, I["v2"], -1, I["A"], I["v3"]),
    "torch.addmv(v2, A, v3)": lambda I: lite.addmv(I["v2"], I["A"], I["v3"]),
    "torch.addr(0.5, M, 2, v2, v4)": lambda I: lite.addr(0.5, I["M"], 2, I["v2"], I["v4"]),
    "torch.addr(M, v2, v4)": lambda I: lite.addr(I["M"], I["v2"], I["v4"]),
    "torch.baddbmm(0.5, bM, 2, b1, b2)": lambda I: lite.baddbmm(0.5, I["bM"], 2, I["b1"], I["b2"]),
    "torch.baddbmm(bM, b1, b2)": lambda I: lite.baddbmm(I["bM"], I["b1"], I["b2"]),
    "torch.bmm(b1, b2)": lambda I: lite.bmm(I["b1"], I["b2"]),
    "torch.cross(c1, c2)": lambda I: lite.cross(I["c1"], I["c2"]),
    "torch.cross(c1, c2, 1)": lambda I: lite.cross(I["c1"], I["c2"], 0),
    "torch.cross(c1, c2, 2)": lambda I: lite.cross(I["c1"], I["c2"], 1),
    "torch.diag(B, -1)": lambda I: lite.diag(I["B"], -1),
    "torch.diag(B, 1)": lambda I: lite.diag(I["B"], 1),
    "torch.diag(S)": lambda I: lite.diag(I["S"]),
    "torch.diag(v3)": lambda I: lite.diag(I["v3"]),
    "torch.diag(v3, -2)": lambda I: lite.diag(I["v3"], -2),
    "torch.diag(v3, 1)": lambda I: lite.diag(I["v3"], 1),
    "torch.dot(B[1], v4)": lambda I: lite.dot(I["B"][0], I["v4"]),
    "torch.dot(v3, v3)": lambda I: lite.dot(I["v3"], I["v3"]),
    "torch.eye(2, 4)": lambda I: lite.eye(2, 4),
    "torch.eye(3)": lambda I: lite.eye(3),
    "torch.ger(v2, v4)": lambda I: lite.ger(I["v2"], I["v4"]),
    "torch.gesv(D({{1}, {2}, {3}}), S)": lambda I: lite.gesv(lite.DoubleTensor([[1], [2], [3]]), I["S"]),
    "torch.inverse(S)": lambda I: lite.inverse(I["S"]),
    "torch.mm(A, B)": lambda I: lite.mm(I["A"], I["B"]),
    "torch.mv(A, v3)": lambda I: lite.mv(I["A"], I["v3"]),
    "torch.mv(B, v4)": lambda I: lite.mv(I["B"], I["v4"]),
    "torch.potrf(SPD)": lambda I: lite.potrf(I["SPD"]),
    'torch.potrf(SPD, "L")': lambda I: lite.potrf(I["SPD"], "L"),
    "torch.trace(B)": lambda I: lite.trace(I["B"]),
    "torch.trace(S)": lambda I: lite.trace(I["S"]),
    "torch.tril(B, -1)": lambda I: lite.tril(I["B"], -1),
    "torch.tril(B, 1)": lambda I: lite.tril(I["B"], 1),
    "torch.tril(S)": lambda I: lite.tril(I["S"]),
    "torch.triu(B, -1)": lambda I: lite.triu(I["B"], -1),
    "torch.triu(B, 1)": lambda I: lite.triu(I["B"], 1),
    "torch.triu(S)": lambda I: lite.triu(I["S"]),
}


def test_fixture_linalg_covers_every_result():
    assert set(t7index.load()["linalg"]["results"]) == set(LINALG)


@pytest.mark.parametrize("expr", sorted(LINALG))
def test_fixture_linalg(expr):
    inputs = build_inputs("linalg")
    before = {k: v.clone() for k, v in inputs.items()}
    assert_matches(LINALG[expr](inputs), t7index.load()["linalg"]["results"][expr], expr)
    for k, v in inputs.items():   # function forms leave their inputs alone
        np.testing.assert_array_equal(v.numpy(), before[k].numpy())


def test_fixture_lapack_results_are_column_major():
    inputs = build_inputs("linalg")
    x, lu = lite.gesv(lite.DoubleTensor([[1], [2], [3]]), inputs["S"])
    assert tuple(lu.stride()) == (1, 3) and tuple(x.stride()) == (1, 3)
    assert tuple(lite.inverse(inputs["S"]).stride()) == (1, 3)
    assert tuple(lite.potrf(inputs["SPD"]).stride()) == (1, 3)


# -- random data -------------------------------------------------------------------------------------

RNG = np.random.default_rng(7)
DTYPES = [np.float32, np.float64]


def tol(dtype):
    return dict(rtol=2e-5, atol=2e-5) if dtype == np.float32 else dict(rtol=1e-11, atol=1e-11)


def approx(v, dtype):
    t = tol(dtype)
    return pytest.approx(v, rel=t["rtol"], abs=t["atol"])


def rand(dtype, *shape, noncontig=False):
    """A tensor with random values; noncontig gives a transposed / strided view."""
    cls = TYPES[dtype]
    if not noncontig:
        return cls(RNG.standard_normal(shape).astype(dtype))
    big = cls(RNG.standard_normal(tuple(reversed(shape)) + (2,)).astype(dtype))
    t = big.select(len(shape), 1)          # stride 2 in the last dim
    if len(shape) >= 2:
        t = t.transpose(0, len(shape) - 1)
    else:
        t = t
    assert tuple(t.size()) == shape and not t.isContiguous()
    return t


def npa(t):
    return np.array(t.numpy())


def pt(t):
    return ref.from_numpy(npa(t))


PRODUCTS = {
    # name: (arg shapes, PyTorch reference taking (beta, M, alpha, *args) or args)
    "mm": ([(4, 5), (5, 3)], lambda a, b: a @ b),
    "mv": ([(4, 5), (5,)], lambda a, b: a @ b),
    "ger": ([(4,), (3,)], lambda a, b: ref.outer(a, b)),
    "bmm": ([(2, 4, 5), (2, 5, 3)], lambda a, b: ref.bmm(a, b)),
}
ADDERS = {
    "addmm": ((4, 3), [(4, 5), (5, 3)], lambda M, a, b, beta, alpha: ref.addmm(M, a, b, beta=beta, alpha=alpha)),
    "addmv": ((4,), [(4, 5), (5,)], lambda M, a, b, beta, alpha: ref.addmv(M, a, b, beta=beta, alpha=alpha)),
    "addr": ((4, 3), [(4,), (3,)], lambda M, a, b, beta, alpha: ref.addr(M, a, b, beta=beta, alpha=alpha)),
    "baddbmm": ((2, 4, 3), [(2, 4, 5), (2, 5, 3)],
                lambda M, a, b, beta, alpha: ref.baddbmm(M, a, b, beta=beta, alpha=alpha)),
    "addbmm": ((4, 3), [(3, 4, 5), (3, 5, 3)],
               lambda M, a, b, beta, alpha: ref.addbmm(M, a, b, beta=beta, alpha=alpha)),
}


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("noncontig", [False, True])
@pytest.mark.parametrize("name", sorted(PRODUCTS))
def test_products_all_forms(name, noncontig, dtype):
    shapes, oracle = PRODUCTS[name]
    args = [rand(dtype, *s, noncontig=noncontig) for s in shapes]
    want = oracle(*[pt(a) for a in args]).numpy()
    fn = getattr(lite, name)
    got = fn(*args)                                   # function: a new tensor
    assert type(got) is TYPES[dtype] and got.isContiguous()
    np.testing.assert_allclose(npa(got), want, **tol(dtype))
    res = TYPES[dtype](7)                             # result form: resized and filled
    assert fn(res, *args) is res
    np.testing.assert_allclose(npa(res), want, **tol(dtype))
    x = TYPES[dtype]()                                # method form writes into x
    assert getattr(x, name)(*args) is x
    np.testing.assert_allclose(npa(x), want, **tol(dtype))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("noncontig", [False, True])
@pytest.mark.parametrize("name", sorted(ADDERS))
def test_adders_all_forms(name, noncontig, dtype):
    mshape, shapes, oracle = ADDERS[name]
    M = rand(dtype, *mshape, noncontig=noncontig and len(mshape) > 1)
    args = [rand(dtype, *s, noncontig=noncontig) for s in shapes]
    targs = [pt(a) for a in args]
    fn = getattr(lite, name)
    m0 = npa(M)
    for call, beta, alpha in [((M,), 1, 1), ((0.5, M), 0.5, 1), ((M, 2), 1, 2), ((0.5, M, -2), 0.5, -2),
                              ((0, M, 3), 0, 3)]:
        want = oracle(ref.from_numpy(m0), *targs, beta, alpha).numpy()
        got = fn(*(call + tuple(args)))
        assert type(got) is TYPES[dtype]
        np.testing.assert_allclose(npa(got), want, **tol(dtype))
        res = TYPES[dtype]()
        assert fn(*((res,) + call + tuple(args))) is res
        np.testing.assert_allclose(npa(res), want, **tol(dtype))
        np.testing.assert_array_equal(npa(M), m0)     # M itself untouched
    # method forms: x is the result; alone it is also M (Torch7's x:addmm(...))
    for call, beta, alpha in [((), 1, 1), ((3,), 1, 3), ((0.5, 2), 0.5, 2)]:
        x = M.clone()
        want = oracle(ref.from_numpy(m0), *targs, beta, alpha).numpy()
        assert getattr(x, name)(*(call + tuple(args))) is x
        np.testing.assert_allclose(npa(x), want, **tol(dtype))
    x = TYPES[dtype]()
    assert getattr(x, name)(0.5, M, 2, *args) is x
    np.testing.assert_allclose(npa(x), oracle(ref.from_numpy(m0), *targs, 0.5, 2).numpy(), **tol(dtype))


def test_beta_zero_ignores_nan_like_blas():
    M = lite.DoubleTensor(2, 2).fill(float("nan"))
    a, b = rand(np.float64, 2, 3), rand(np.float64, 3, 2)
    got = lite.addmm(0, M, 1, a, b)
    np.testing.assert_allclose(npa(got), npa(a) @ npa(b), rtol=1e-12)


def test_products_integer_types():
    a = lite.LongTensor([[1, 2], [3, 4]])
    b = lite.LongTensor([[5, 6], [7, 8]])
    got = lite.mm(a, b)
    assert type(got) is lite.LongTensor
    assert got.tolist() == [[19, 22], [43, 50]]
    assert lite.dot(a, b) == 70 and isinstance(lite.dot(a, b), int)


def test_product_errors():
    a, b = rand(np.float64, 2, 3), rand(np.float64, 2, 3)
    with pytest.raises(TorchValueError):
        lite.mm(a, b)
    with pytest.raises(TorchValueError):
        lite.mv(a, rand(np.float64, 2))
    with pytest.raises(TorchValueError):
        lite.addmm(rand(np.float64, 3, 3), a, a.t())
    with pytest.raises(TorchTypeError):
        lite.mm(a, lite.FloatTensor(3, 2))
    with pytest.raises(TorchValueError):
        lite.bmm(rand(np.float64, 2, 2, 3), rand(np.float64, 3, 3, 2))
    with pytest.raises(TorchValueError):
        lite.dot(rand(np.float64, 3), rand(np.float64, 4))
    with pytest.raises(TorchValueError):
        lite.cross(rand(np.float64, 2, 4), rand(np.float64, 2, 4))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("noncontig", [False, True])
def test_dot_trace_cross(dtype, noncontig):
    x, y = rand(dtype, 3, 5, noncontig=noncontig), rand(dtype, 3, 5, noncontig=noncontig)
    want = float(np.sum(npa(x).astype(np.float64) * npa(y)))
    assert lite.dot(x, y) == approx(want, dtype)
    assert x.dot(y) == approx(want, dtype)
    assert lite.trace(x) == approx(float(np.trace(npa(x).astype(np.float64))), dtype)
    for dim in (None, 0):
        args = () if dim is None else (dim,)
        want = ref.linalg.cross(pt(x), pt(y), dim=0).numpy()
        np.testing.assert_allclose(npa(lite.cross(x, y, *args)), want, **tol(dtype))
        np.testing.assert_allclose(npa(x.cross(y, *args)), want, **tol(dtype))
        r = TYPES[dtype]()
        assert lite.cross(r, x, y, *args) is r
        np.testing.assert_allclose(npa(r), want, **tol(dtype))
    a, b = rand(dtype, 4, 3, noncontig=noncontig), rand(dtype, 4, 3, noncontig=noncontig)
    np.testing.assert_allclose(npa(lite.cross(a, b, 1)), np.cross(npa(a), npa(b), axis=1), **tol(dtype))


def test_mm_overlapping_result():
    a = rand(np.float64, 3, 3)
    a0 = npa(a)
    lite.mm(a, a, a)
    np.testing.assert_allclose(npa(a), a0 @ a0, rtol=1e-12)


# -- LAPACK --------------------------------------------------------------------------------------------

def spd(dtype, n):
    a = RNG.standard_normal((n, n))
    return TYPES[dtype]((a @ a.T + n * np.eye(n)).astype(dtype))


def colmajor(t):
    return t.stride(0) == 1 and t.stride(1) == t.size(0)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("noncontig", [False, True])
def test_gesv(dtype, noncontig):
    a = rand(dtype, 6, 6, noncontig=noncontig)
    b = rand(dtype, 6, 2, noncontig=noncontig)
    x, lu = lite.gesv(b, a)
    assert type(x) is TYPES[dtype] and colmajor(x) and colmajor(lu)
    np.testing.assert_allclose(npa(x), np.linalg.solve(npa(a).astype(np.float64), npa(b)),
                               rtol=1e-3 if dtype == np.float32 else 1e-10, atol=1e-4 if dtype == np.float32 else 1e-10)
    want_lu, _ = ref.linalg.lu_factor(pt(a).double())
    np.testing.assert_allclose(npa(lu), want_lu.numpy(), rtol=1e-3 if dtype == np.float32 else 1e-10,
                               atol=1e-4 if dtype == np.float32 else 1e-10)
    # vector right-hand side gives an n x 1 result; result tensors are filled
    v = rand(dtype, 6)
    rb, ra = TYPES[dtype](), TYPES[dtype]()
    xb, la = lite.gesv(rb, ra, v, a)
    assert xb is rb and la is ra and tuple(rb.size()) == (6, 1)
    np.testing.assert_allclose(npa(rb)[:, 0], npa(lite.gesv(v.view(6, 1), a)[0])[:, 0], rtol=1e-6)
    # method form: x.gesv(A) solves A X = x
    np.testing.assert_allclose(npa(b.gesv(a)[0]), npa(x), rtol=1e-6)


def test_gesv_lu_matches_lapack_on_larger_matrices():
    a = rand(np.float64, 150, 150)          # more than one panel of the blocked LU
    _, lu = lite.gesv(rand(np.float64, 150, 1), a)
    want, _ = ref.linalg.lu_factor(pt(a))
    np.testing.assert_allclose(npa(lu), want.numpy(), rtol=1e-9, atol=1e-9)


def test_singular_matrices_raise():
    s = lite.DoubleTensor([[1, 2], [2, 4]])
    with pytest.raises(TorchRuntimeError):
        lite.gesv(lite.DoubleTensor([[1], [1]]), s)
    with pytest.raises(TorchRuntimeError):
        lite.inverse(s)
    with pytest.raises(TorchRuntimeError):
        lite.trtrs(lite.DoubleTensor([[1], [1]]), lite.DoubleTensor([[1, 2], [0, 0]]))
    with pytest.raises(TorchRuntimeError):
        lite.potrf(lite.DoubleTensor([[1, 2], [2, 1]]))
    with pytest.raises(TorchRuntimeError):
        lite.gels(lite.DoubleTensor([[1], [1], [1]]), lite.DoubleTensor([[1, 0], [2, 0], [3, 0]]))
    with pytest.raises(TorchTypeError):
        lite.inverse(lite.LongTensor([[1, 0], [0, 1]]))
    with pytest.raises(TorchValueError):
        lite.inverse(rand(np.float64, 2, 3))
    with pytest.raises(TorchValueError):
        lite.potrf(spd(np.float64, 3), "X")


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("uplo", ["U", "L"])
@pytest.mark.parametrize("trans", ["N", "T"])
@pytest.mark.parametrize("diag", ["N", "U"])
def test_trtrs(dtype, uplo, trans, diag):
    a = TYPES[dtype]((RNG.standard_normal((5, 5)) + 4 * np.eye(5)).astype(dtype))   # full: only one triangle is read
    b = rand(dtype, 5, 3)
    x, acopy = lite.trtrs(b, a, uplo, trans, diag)
    want = ref.linalg.solve_triangular(pt(a).double().mT if trans == "T" else pt(a).double(),
                                       pt(b).double(), upper=(uplo == "U") != (trans == "T"),
                                       unitriangular=diag == "U")
    np.testing.assert_allclose(npa(x), want.numpy(), rtol=1e-4 if dtype == np.float32 else 1e-10,
                               atol=1e-5 if dtype == np.float32 else 1e-12)
    np.testing.assert_array_equal(npa(acopy), npa(a))
    assert colmajor(x)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("uplo", ["U", "L"])
def test_potrf_potri_potrs(dtype, uplo):
    a = spd(dtype, 5)
    c = lite.potrf(a, uplo) if uplo == "L" else lite.potrf(a)
    assert colmajor(c) and type(c) is TYPES[dtype]
    want = ref.linalg.cholesky(pt(a).double(), upper=(uplo == "U")).numpy()
    t = dict(rtol=1e-4, atol=1e-5) if dtype == np.float32 else dict(rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(npa(c), want, **t)
    np.testing.assert_array_equal(npa(a.potrf(uplo)), npa(c))
    inv = lite.potri(c, uplo)
    np.testing.assert_allclose(npa(inv), np.linalg.inv(npa(a).astype(np.float64)), **t)
    b = rand(dtype, 5, 2)
    x = lite.potrs(b, c, uplo)
    np.testing.assert_allclose(npa(x), ref.cholesky_solve(pt(b).double(), ref.from_numpy(want),
                                                          upper=(uplo == "U")).numpy(), **t)
    # only the uplo triangle of A is read
    junk = a.clone()
    if uplo == "U":
        junk.numpy()[np.tril_indices(5, -1)] = 99
    else:
        junk.numpy()[np.triu_indices(5, 1)] = 99
    np.testing.assert_allclose(npa(lite.potrf(junk, uplo)), npa(c), rtol=1e-6)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(6, 4), (3, 5)])
def test_gels(dtype, shape):
    a = rand(dtype, *shape)
    b = rand(dtype, shape[0], 2)
    x, fac = lite.gels(b, a)
    assert tuple(x.size()) == (shape[1], 2) and colmajor(fac)
    want = np.linalg.lstsq(npa(a).astype(np.float64), npa(b).astype(np.float64), rcond=None)[0]
    t = dict(rtol=1e-3, atol=1e-4) if dtype == np.float32 else dict(rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(npa(x), want, **t)
    if shape[0] >= shape[1]:
        np.testing.assert_allclose(npa(fac), ref.geqrf(pt(a).double())[0].numpy(), **t)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("uplo", ["U", "L"])
def test_symeig(dtype, uplo):
    s = RNG.standard_normal((5, 5))
    full = (s + s.T).astype(dtype)
    junk = full.copy()
    junk[np.tril_indices(5, -1) if uplo == "U" else np.triu_indices(5, 1)] = 42   # ignored triangle
    a = TYPES[dtype](junk)
    e, v = lite.symeig(a, "V", uplo)
    t = dict(rtol=1e-4, atol=1e-4) if dtype == np.float32 else dict(rtol=1e-10, atol=1e-10)
    want = np.linalg.eigvalsh(full.astype(np.float64))
    np.testing.assert_allclose(npa(e), want, **t)
    assert np.all(np.diff(npa(e)) > 0)                               # ascending
    V = npa(v).astype(np.float64)
    np.testing.assert_allclose(full @ V, V * npa(e), **t)
    np.testing.assert_allclose(V.T @ V, np.eye(5), **t)
    assert colmajor(v)
    e2, _ = lite.symeig(a) if uplo == "U" else lite.symeig(a, "N", "L")
    np.testing.assert_allclose(npa(e2), want, **t)
    re, rv = TYPES[dtype](), TYPES[dtype]()
    assert lite.symeig(re, rv, a, "V", uplo)[0] is re
    np.testing.assert_allclose(npa(re), want, **t)


@pytest.mark.parametrize("dtype", DTYPES)
def test_eig(dtype):
    a = np.array([[0, -2, 0.5], [2, 0, 1], [0.25, 0, 3]], dtype=dtype)   # a complex pair and a real value
    e, v = lite.eig(TYPES[dtype](a), "V")
    w = np.linalg.eigvals(a.astype(np.float64))
    assert tuple(e.size()) == (3, 2)
    t = dict(rtol=1e-4, atol=1e-4) if dtype == np.float32 else dict(rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(np.sort_complex(npa(e)[:, 0] + 1j * npa(e)[:, 1]), np.sort_complex(w), **t)
    E, V = npa(e).astype(np.float64), npa(v).astype(np.float64)
    j = 0
    while j < 3:   # LAPACK packing: a conjugate pair stores real and imaginary parts in two columns
        if E[j, 1] != 0:
            vec = V[:, j] + 1j * V[:, j + 1]
            np.testing.assert_allclose(a @ vec, (E[j, 0] + 1j * E[j, 1]) * vec, **t)
            j += 2
        else:
            np.testing.assert_allclose(a @ V[:, j], E[j, 0] * V[:, j], **t)
            j += 1
    e_only, v_none = lite.eig(TYPES[dtype](a))
    np.testing.assert_allclose(npa(e_only), npa(e), **t)
    assert v_none.nElement() == 0


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(6, 4), (3, 5)])
@pytest.mark.parametrize("job", ["S", "A"])
def test_svd(dtype, shape, job):
    a = rand(dtype, *shape)
    u, s, v = lite.svd(a, job)
    m, n = shape
    k = min(m, n)
    assert tuple(u.size()) == ((m, k) if job == "S" else (m, m))
    assert tuple(v.size()) == ((n, k) if job == "S" else (n, n))
    assert tuple(s.size()) == (k,) and colmajor(u) and v.isContiguous()
    t = dict(rtol=1e-4, atol=1e-4) if dtype == np.float32 else dict(rtol=1e-10, atol=1e-10)
    np.testing.assert_allclose(npa(s), ref.linalg.svdvals(pt(a).double()).numpy(), **t)
    U, V = npa(u).astype(np.float64), npa(v).astype(np.float64)
    np.testing.assert_allclose(U[:, :k] * npa(s) @ V[:, :k].T, npa(a), **t)   # A = U S V'
    np.testing.assert_allclose(V.T @ V, np.eye(V.shape[1]), **t)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("noncontig", [False, True])
def test_inverse(dtype, noncontig):
    a = rand(dtype, 5, 5, noncontig=noncontig)
    inv = lite.inverse(a)
    assert colmajor(inv) and type(inv) is TYPES[dtype]
    t = dict(rtol=1e-3, atol=1e-3) if dtype == np.float32 else dict(rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(npa(inv), ref.linalg.inv(pt(a).double()).numpy(), **t)
    r = TYPES[dtype](5, 5)
    assert lite.inverse(r, a) is r and colmajor(r)
    np.testing.assert_allclose(npa(r), npa(inv), rtol=1e-6)
    a0 = npa(a)
    np.testing.assert_allclose(npa(a.inverse()), npa(inv), rtol=1e-6)   # a new tensor, as in Torch7
    np.testing.assert_array_equal(npa(a), a0)


def test_qr_doc_example():
    # torch7 doc/maths.md, torch.qr
    q, r = lite.qr(lite.DoubleTensor([[12, -51, 4], [6, 167, -68], [-4, 24, -41]]))
    np.testing.assert_allclose(npa(q), [[-0.8571, 0.3943, 0.3314], [-0.4286, -0.9029, -0.0343],
                                        [0.2857, -0.1714, 0.9429]], atol=1e-4)
    np.testing.assert_allclose(npa(r), [[-14, -21, 14], [0, -175, 70], [0, 0, -35]], atol=1e-9)
    assert colmajor(q)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(6, 4), (3, 5), (4, 4)])
def test_qr_geqrf_orgqr(dtype, shape):
    a = rand(dtype, *shape)
    t = dict(rtol=1e-4, atol=1e-4) if dtype == np.float32 else dict(rtol=1e-10, atol=1e-10)
    q, r = lite.qr(a)
    wq, wr = ref.linalg.qr(pt(a).double())
    np.testing.assert_allclose(npa(q), wq.numpy(), **t)
    np.testing.assert_allclose(npa(r), wr.numpy(), **t)
    m, tau = lite.geqrf(a)
    wm, wtau = ref.geqrf(pt(a).double())
    np.testing.assert_allclose(npa(m), wm.numpy(), **t)
    np.testing.assert_allclose(npa(tau), wtau.numpy(), **t)
    k = min(shape)
    Q = lite.orgqr(m, tau)
    np.testing.assert_allclose(npa(Q)[:, :k], ref.linalg.householder_product(wm[:, :k], wtau).numpy(), **t)


@pytest.mark.parametrize("side", ["L", "R"])
@pytest.mark.parametrize("trans", ["N", "T"])
def test_ormqr(side, trans):
    a = rand(np.float64, 5, 3)
    m, tau = lite.geqrf(a)
    c = rand(np.float64, 5, 4) if side == "L" else rand(np.float64, 4, 5)
    got = lite.ormqr(m, tau, c, side, trans)
    want = ref.ormqr(pt(m), pt(tau), pt(c), left=side == "L", transpose=trans == "T")
    np.testing.assert_allclose(npa(got), want.numpy(), rtol=1e-10, atol=1e-10)


def test_mm_is_one_matmul_into_the_result(monkeypatch):
    """mm is one BLAS product on views of the operands, writing into the result's own buffer: no
    copies.  Small products go through _nn_conv.mm (single-threaded OpenBLAS from C), large ones
    through numpy's matmul (2048x2048 float32: same median time as np.matmul)."""
    from pytorch_lite.ops import linalg
    calls = []
    real_matmul, real_mm = np.matmul, linalg.mm

    def spy(x, y, out=None):
        calls.append(("matmul", x, y, out))
        return real_matmul(x, y, out=out)

    def spy_mm(x, y, out):
        done = real_mm(x, y, out)
        calls.append(("mm", x, y, out) if done else ("mm not done",))
        return done

    for n, expect in ((64, "mm"), (2048, "matmul")):
        a, b = rand(np.float32, n, 32), rand(np.float32, 48, 32).t()     # b transposed: still no copy
        if n > 64:
            a, b = rand(np.float32, n, n), rand(np.float32, n, n).t()
        r = lite.FloatTensor(a.size(0), b.size(1))
        calls.clear()
        monkeypatch.setattr(np, "matmul", spy)
        monkeypatch.setattr(linalg, "mm", spy_mm)
        assert lite.mm(r, a, b) is r
        monkeypatch.undo()
        products = [c for c in calls if c[0] != "mm not done"]
        assert [c[0] for c in products] == [expect]
        _, x, y, out = products[0]
        assert out is r.numpy() or (out.ctypes.data == r.numpy().ctypes.data and out.strides == r.numpy().strides)
        assert x.ctypes.data == a.numpy().ctypes.data and y.ctypes.data == b.numpy().ctypes.data
        assert out.dtype == np.float32
        np.testing.assert_allclose(npa(r), npa(a).astype(np.float64) @ npa(b), rtol=1e-4, atol=1e-3)


def test_mm_large_float32_equals_numpy_matmul():
    # (its speed is measured in bench/bench_tensor.py; the spy test above checks there is no copy)
    n = 1024
    A = RNG.standard_normal((n, n)).astype(np.float32)
    B = RNG.standard_normal((n, n)).astype(np.float32)
    r = lite.FloatTensor(n, n)
    lite.mm(r, lite.from_numpy(A), lite.from_numpy(B))
    np.testing.assert_array_equal(npa(r), np.matmul(A, B))
