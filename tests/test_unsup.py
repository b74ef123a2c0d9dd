"""pytorch_lite.unsup (koraykv/unsup) against independent references: sparse codes against a
plain numpy ISTA run to convergence, energies against their formulas, gradients against central
finite differences, k-means against a numpy Lloyd iteration from the same start, PCA and
whitening against numpy's eigendecomposition, and t7 round trips."""
import numpy as np
import pytest

import pytorch_lite as torch
from pytorch_lite import nn, unsup
from pytorch_lite.errors import TorchError

RNG = np.random.RandomState(7)


def T(a):
    return torch.Tensor(np.ascontiguousarray(a, dtype=np.float64).tolist()) if np.ndim(a) else None


def arr(t):
    return np.array(t._a, dtype=np.float64)


def soft(v, t):
    return np.sign(v) * np.maximum(np.abs(v) - t, 0)


def ista(A, b, lam, scale, w=None, iters=40000):
    """argmin_z scale * sum(w * (A z - b)^2) + lam * |z|_1 by plain ISTA (fixed 1/Lipschitz step)."""
    w = np.ones(len(b)) if w is None else w
    lip = 2 * scale * np.linalg.norm(A.T @ (w[:, None] * A), 2)
    z = np.zeros(A.shape[1])
    for _ in range(iters):
        z = soft(z - 2 * scale * A.T @ (w * (A @ z - b)) / lip, lam / lip)
    return z, scale * np.sum(w * (A @ z - b) ** 2) + lam * np.abs(z).sum()


def fd_grad(fn, x, eps=1e-6):
    """Central differences of the scalar fn() with respect to every element of tensor x."""
    a = x._a
    g = np.zeros(a.shape)
    for idx in np.ndindex(*a.shape):
        old = a[idx]
        a[idx] = old + eps
        fp = fn()
        a[idx] = old - eps
        fm = fn()
        a[idx] = old
        g[idx] = (fp - fm) / (2 * eps)
    return g


# -- shrinkage -------------------------------------------------------------------------------------

def test_shrinkage_is_soft_thresholding_in_place():
    v = np.array([-3.0, -1.0, -0.25, 0.0, 0.5, 0.75, 2.0, np.nan])
    x = torch.Tensor(v.tolist())
    assert unsup.shrinkage(x, 0.75) is x
    want = np.array([-2.25, -0.25, 0, 0, 0, 0, 1.25, 0])   # NaN falls in the middle branch: 0
    np.testing.assert_array_equal(arr(x), want)
    f = torch.FloatTensor([1.5, -0.2])
    unsup.shrinkage(f, 0)
    np.testing.assert_allclose(arr(f), [1.5, -0.2], rtol=1e-7)
    with pytest.raises(TorchError, match="non-negative"):
        unsup.shrinkage(x, -1)
    with pytest.raises(TorchError):
        unsup.shrinkage(v, 1)


# -- sparse coding ---------------------------------------------------------------------------------

def test_linear_fista_reaches_the_lasso_optimum_of_an_independent_ista():
    torch.manualSeed(3)
    ni, no, lam = 8, 12, 0.2
    fista = unsup.LinearFistaL1(ni, no, lam, {"maxiter": 3000, "errthres": 1e-13})
    A = RNG.randn(ni, no)
    fista.D.weight.copy(T(A))
    b = RNG.randn(ni)
    x = T(b)
    energy, history = fista.forward(x)
    z_ref, e_ref = ista(A, b, lam, 1.0)
    code = arr(fista.code)
    # the energy unsup reports: |D z - x|^2 (summed, not halved) + lambda |z|_1 at the code
    assert energy == pytest.approx(np.sum((A @ code - b) ** 2) + lam * np.abs(code).sum(), rel=1e-10)
    assert energy == pytest.approx(e_ref, rel=1e-7)
    np.testing.assert_allclose(code, z_ref, atol=1e-5)
    np.testing.assert_allclose(arr(fista.D.output), A @ code, atol=1e-10)   # the reconstruction
    assert history[-1]["F"] == energy and history[0]["F"] > energy + 0.1
    assert fista.params["doFistaUpdate"] is True
    assert (code == 0).any() and (code != 0).any()


def test_linear_fista_defaults_and_the_step_relaxation():
    torch.manualSeed(4)
    fista = unsup.LinearFistaL1(5, 7, 0.1)
    p = fista.params
    assert (p["L"], p["Lstep"], p["maxiter"], p["maxline"], p["errthres"]) == (0.1, 1.5, 50, 20, 1e-4)
    np.testing.assert_array_equal(arr(fista.D.bias), 0)
    # a dictionary so small that L = 0.1 never needs raising: L halves after each inference
    fista.D.weight.copy(T(RNG.randn(5, 7) * 0.05))
    fista.forward(T(RNG.randn(5)))
    assert p["L"] == pytest.approx(0.05)
    # a large one: the line search raises L, which then stays
    fista.D.weight.copy(T(RNG.randn(5, 7) * 3))
    fista.forward(T(RNG.randn(5)))
    assert p["L"] > 0.1 and p["L"] == pytest.approx(0.05 * 1.5 ** round(np.log(p["L"] / 0.05) / np.log(1.5)))


def test_linear_fista_dictionary_gradient_and_updates():
    torch.manualSeed(5)
    fista = unsup.LinearFistaL1(6, 9, 0.1)
    x = T(RNG.randn(6))
    fista.forward(x)
    z = arr(fista.code)
    fista.zeroGradParameters()
    fista.accGradParameters(x)
    W = fista.D.weight

    def recon_error():
        return float(np.sum((arr(W) @ z + arr(fista.D.bias) - arr(x)) ** 2))
    np.testing.assert_allclose(arr(fista.D.gradWeight), fd_grad(recon_error, W), atol=1e-6)
    np.testing.assert_array_equal(arr(fista.D.gradBias), 0)
    before = arr(W)
    fista.updateParameters(0.01)
    np.testing.assert_allclose(arr(W), before - 0.01 * arr(fista.D.gradWeight), atol=1e-14)
    np.testing.assert_array_equal(arr(fista.D.bias), 0)
    fista.normalize()
    np.testing.assert_allclose(np.linalg.norm(arr(W), axis=0), 1, atol=1e-10)
    # parameters: the dictionary's weight and (zero) bias
    params, grads = fista.parameters()
    assert params[0] is W and grads[0] is fista.D.gradWeight and len(params) == 2


def test_fista_l1_halves_its_cost_and_starts_from_the_given_code():
    torch.manualSeed(6)
    D = nn.Linear(10, 6)
    cost = nn.MSECriterion()
    cost.sizeAverage = False
    fista = unsup.FistaL1(D, cost, 0.3, {"maxiter": 3000, "errthres": 1e-13})
    A, c = arr(D.weight), arr(D.bias)
    b = RNG.randn(6) * 2
    energy, _ = fista.updateOutput(T(b), T(np.zeros(10)))
    z_ref, e_ref = ista(A, b - c, 0.3, 0.5)
    assert energy == pytest.approx(e_ref, rel=1e-7)
    np.testing.assert_allclose(arr(fista.code), z_ref, atol=1e-5)
    assert fista.gradInput is None and fista.updateGradInput(T(b)) is None
    with pytest.raises(TorchError, match="initial code"):
        fista.forward(T(b))
    # the dictionary gradient of the halved cost at the code
    z = arr(fista.code)
    fista.zeroGradParameters()
    fista.accGradParameters(T(b))
    half_err = lambda: 0.5 * float(np.sum((arr(D.weight) @ z + arr(D.bias) - b) ** 2))
    np.testing.assert_allclose(arr(D.gradWeight), fd_grad(half_err, D.weight), atol=1e-6)
    np.testing.assert_allclose(arr(D.gradBias), fd_grad(half_err, D.bias), atol=1e-6)


def _coverage_weights(ih, iw, kh, kw):
    w = np.zeros((ih, iw))
    for r in range(ih - kh + 1):
        for s in range(iw - kw + 1):
            w[r:r + kh, s:s + kw] += 1
    return w / w.max()


def test_spatial_conv_fista_weighting_code_size_and_optimum():
    torch.manualSeed(8)
    conn = nn.tables.full(2, 3)           # (code plane, input plane) rows: 2 code maps, 3 inputs
    ih, iw, kh, kw, lam = 6, 7, 3, 2, 0.4
    fista = unsup.SpatialConvFistaL1(conn, kw, kh, iw, ih, lam, {"maxiter": 4000, "errthres": 1e-14})
    assert list(fista.code.size()) == [2, ih - kh + 1, iw - kw + 1]
    wts = _coverage_weights(ih, iw, kh, kw)
    for p in range(3):
        np.testing.assert_allclose(arr(fista.Fcost.weight)[p], wts, atol=1e-15)
    assert fista.Fcost.sizeAverage is False
    x = T(RNG.randn(3, ih, iw))
    # the decoder as an explicit affine map z -> A z + c, by probing it
    n = fista.code.nElement()
    zero = torch.Tensor(*fista.code.size()).zero()
    c = arr(fista.D.forward(zero)).ravel().copy()
    A = np.zeros((c.size, n))
    for j in range(n):
        e = torch.Tensor(*fista.code.size()).zero()
        e.view(n)[j] = 1
        A[:, j] = arr(fista.D.forward(e)).ravel() - c
    energy, _ = fista.updateOutput(x, zero)
    # nn.WeightedMSECriterion weighs the target: the cost is 0.5 * |D z - w .* x|^2
    z_ref, e_ref = ista(A, np.tile(wts.ravel(), 3) * arr(x).ravel() - c, lam, 0.5, iters=60000)
    assert energy == pytest.approx(e_ref, rel=1e-6)
    np.testing.assert_allclose(arr(fista.code).ravel(), z_ref, atol=1e-4)
    # the default relaxation floor: L never goes below 0.1
    assert fista.params["L"] >= 0.1
    fista.normalize()
    np.testing.assert_allclose(np.sqrt((arr(fista.D.weight) ** 2).sum(axis=(1, 2))), 1, atol=1e-10)
    with pytest.raises(TorchError, match="does not fit"):
        unsup.SpatialConvFistaL1(conn, 5, 5, 4, 4, 0.1)


# -- nn.Diag ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("shape", [(5,), (4, 3, 2)])
def test_diag_scales_features_with_finite_difference_gradients(shape):
    torch.manualSeed(9)
    d = unsup.Diag(shape[0])
    np.testing.assert_array_equal(arr(d.weight), 1)
    d.weight.copy(T(RNG.randn(shape[0])))
    x = T(RNG.randn(*shape))
    y = arr(d.forward(x))
    np.testing.assert_allclose(y, arr(x) * arr(d.weight).reshape((-1,) + (1,) * (len(shape) - 1)))
    assert nn.Jacobian.testJacobian(d, x) < 1e-6
    assert nn.Jacobian.testJacobianParameters(d, x, d.weight, d.gradWeight) < 1e-6


def test_diag_hessian_comes_with_nn_hessian_enable():
    nn.hessian.enable()
    d = unsup.Diag(3)
    d.weight.copy(T([2.0, -1.0, 0.5]))
    d.initDiagHessianParameters()
    x, h = T([1.0, 2.0, -3.0]), T([0.5, 1.0, 2.0])
    np.testing.assert_allclose(arr(d.updateDiagHessianInput(x, h)), [2.0, 1.0, 0.5])   # w^2 h
    d.forward(x)
    d.diagHessianWeight.zero()
    d.accDiagHessianParameters(x, h)
    np.testing.assert_allclose(arr(d.diagHessianWeight), [0.5, 4.0, 18.0])              # x^2 h


# -- auto-encoders -------------------------------------------------------------------------------

def _flat_params(m):
    x, dx = m.getParameters()[:2]
    return x, dx


@pytest.mark.parametrize("kind", ["plain", "codecost", "sparse"])
def test_autoencoder_energy_and_gradients_against_finite_differences(kind):
    torch.manualSeed(10)
    enc = nn.Sequential().add(nn.Linear(6, 4)).add(nn.Tanh()).add(unsup.Diag(4))
    dec = nn.Linear(4, 6)
    if kind == "plain":
        ae = unsup.AutoEncoder(enc, dec, 0.7)
    elif kind == "codecost":
        ae = unsup.AutoEncoder(enc, dec, 0.7, None, 0.3, nn.L1Cost())
    else:
        ae = unsup.SparseAutoEncoder(enc, dec, 0.7, 0.3)
    x, target = T(RNG.randn(6)), T(RNG.randn(6))
    energy = ae.updateOutput(x, target)
    code = arr(enc.output)
    want = 0.7 * np.sum((arr(dec.weight) @ code + arr(dec.bias) - arr(target)) ** 2)
    if kind != "plain":
        want += 0.3 * np.abs(code).sum()
    assert energy == pytest.approx(want, rel=1e-12) and ae.output == energy
    w, dw = _flat_params(ae)
    assert w.nElement() == 6 * 4 + 4 + 4 + 4 * 6 + 6
    dw.zero()
    gi = ae.updateGradInput(x, target)
    ae.accGradParameters(x, target)
    f = lambda: ae.updateOutput(x, target)
    np.testing.assert_allclose(arr(dw), fd_grad(f, w), atol=1e-6)
    np.testing.assert_allclose(arr(gi), fd_grad(f, x), atol=1e-6)
    # updateParameters with a pair of rates: the encoder's first
    before = arr(w)
    ae.updateParameters([0.1, 0.01])
    n_enc = 6 * 4 + 4 + 4
    np.testing.assert_allclose(arr(w)[:n_enc], before[:n_enc] - 0.1 * arr(dw)[:n_enc], atol=1e-14)
    np.testing.assert_allclose(arr(w)[n_enc:], before[n_enc:] - 0.01 * arr(dw)[n_enc:], atol=1e-14)


def test_autoencoder_normalize_only_when_asked():
    torch.manualSeed(11)
    ae = unsup.AutoEncoder(nn.Linear(5, 3), nn.Linear(3, 5), 1)
    before = arr(ae.decoder.weight)
    ae.normalize()
    np.testing.assert_array_equal(arr(ae.decoder.weight), before)
    ae.normalized = True
    ae.normalize()
    np.testing.assert_allclose(arr(ae.decoder.weight), before / (np.linalg.norm(before, axis=0) + 1e-12))
    with pytest.raises(TorchError, match="normalize"):
        unsup.SparseAutoEncoder(nn.Linear(5, 3), nn.Linear(3, 5), 1, 0.1).normalize()


# -- PSD -------------------------------------------------------------------------------------------

def test_linear_psd_energy_and_encoder_gradient():
    torch.manualSeed(12)
    psd = unsup.LinearPSD(7, 5, 0.2, 0.6, {"encoderType": "tanh"})
    assert [type(m).__name__ for m in psd.encoder.modules] == ["Linear", "Tanh", "Diag"]
    assert psd.params is psd.decoder.params   # the caller's table holds FISTA's state too
    x = T(RNG.randn(7))
    energy, history = psd.updateOutput(x)
    code, pred = arr(psd.decoder.code), arr(psd.encoder.output)
    A = arr(psd.decoder.D.weight)
    fista_energy = np.sum((A @ code - arr(x)) ** 2) + 0.2 * np.abs(code).sum()
    assert energy == pytest.approx(fista_energy + 0.6 * np.sum((pred - code) ** 2), rel=1e-9)
    assert history[-1]["F"] == pytest.approx(fista_energy, rel=1e-9)
    psd.zeroGradParameters()
    assert psd.updateGradInput(x) is None
    psd.accGradParameters(x)
    code_t = psd.decoder.code.clone()
    pred_err = lambda: 0.6 * float(np.sum((arr(psd.encoder.forward(x)) - arr(code_t)) ** 2))
    lin = psd.encoder.modules[0]
    np.testing.assert_allclose(arr(lin.gradWeight), fd_grad(pred_err, lin.weight), atol=1e-6)
    np.testing.assert_allclose(arr(psd.encoder.modules[2].gradWeight),
                               fd_grad(pred_err, psd.encoder.modules[2].weight), atol=1e-6)
    rec_err = lambda: float(np.sum((arr(psd.decoder.D.weight) @ arr(code_t) - arr(x)) ** 2))
    np.testing.assert_allclose(arr(psd.decoder.D.gradWeight), fd_grad(rec_err, psd.decoder.D.weight), atol=1e-6)
    # PSD's parameters: the encoder's, then the dictionary's
    params = psd.parameters()[0]
    assert params[0] is lin.weight and params[-2] is psd.decoder.D.weight
    psd.normalize()
    np.testing.assert_allclose(np.linalg.norm(arr(psd.decoder.D.weight), axis=0), 1, atol=1e-10)
    with pytest.raises(TorchError, match="encoderType unknown"):
        unsup.LinearPSD(7, 5, 0.2, 0.6, {"encoderType": "relu"})


def test_conv_psd_tables_and_encoders():
    torch.manualSeed(13)
    conn = nn.tables.full(1, 4)     # (input plane, code plane), 0-based here
    for kind, mods in (("linear", None), ("tanh_shrink", ["SpatialConvolutionMap", "TanhShrink", "Diag"])):
        psd = unsup.ConvPSD(conn, 3, 3, 8, 8, 0.1, 1, {"encoderType": kind})
        if mods is None:
            assert type(psd.encoder).__name__ == "SpatialConvolutionMap"
        else:
            assert [type(m).__name__ for m in psd.encoder.modules] == mods
        np.testing.assert_array_equal(arr(psd.decoder.D.connTable), arr(conn)[:, ::-1])
        x = T(RNG.randn(1, 8, 8))
        energy, _ = psd.updateOutput(x)
        code, pred = arr(psd.decoder.code), arr(psd.encoder.output)
        assert code.shape == pred.shape == (4, 6, 6)
        rec = arr(psd.decoder.D.forward(psd.decoder.code))
        wts = _coverage_weights(8, 8, 3, 3)
        want = 0.5 * np.sum((rec - wts * arr(x)) ** 2) + 0.1 * np.abs(code).sum() + np.sum((pred - code) ** 2)
        assert energy == pytest.approx(want, rel=1e-9)


def test_psd_t7_round_trip_keeps_classes_fields_and_energy(tmp_path):
    torch.manualSeed(14)
    psd = unsup.LinearPSD(6, 4, 0.1, 1, {"encoderType": "tanh"})
    x = T(RNG.randn(6))
    e1, _ = psd.updateOutput(x)
    path = str(tmp_path / "psd.t7")
    torch.save(path, psd)
    back = torch.load(path)
    assert type(back) is unsup.LinearPSD and type(back.decoder) is unsup.LinearFistaL1
    assert type(back.encoder.modules[2]) is unsup.Diag
    assert back.decoder.__dict__["lambda"] == 0.1 and back.beta == 1
    psd.decoder.params["L"] = back.decoder.params["L"] = 0.1
    e1, _ = psd.updateOutput(x)
    e2, _ = back.updateOutput(x)
    assert e2 == pytest.approx(e1, rel=1e-12)
    with open(path, "rb") as f:
        blob = f.read()
    for name in (b"unsup.LinearPSD", b"unsup.LinearFistaL1", b"nn.Diag", b"lambda", b"encoderType"):
        assert name in blob


def test_torch7_files_with_the_fista_closures_load_when_functions_are_allowed(tmp_path):
    # unsup keeps f, g and pl as Lua closures in the module: a Torch7 file carries their bytecode
    from pytorch_lite.serialization import LuaFunction, T7FunctionError
    torch.manualSeed(18)
    fista = unsup.LinearFistaL1(4, 6, 0.1)
    x = T(RNG.randn(4))
    want, _ = fista.forward(x)
    for name in ("f", "g", "pl"):
        fista.__dict__[name] = LuaFunction(b"\x1bLJ\x02fake", {}, tag=8)
    path = str(tmp_path / "fista.t7")
    torch.save(path, fista)
    with pytest.raises(T7FunctionError):
        torch.load(path)
    back = torch.load(path, allow_functions=True)
    assert not {"f", "g", "pl"} & set(back.__dict__)
    back.params["L"] = 0.1
    fista.params["L"] = 0.1
    got, _ = back.forward(x)
    assert got == pytest.approx(want, rel=1e-12)


# -- k-means ---------------------------------------------------------------------------------------

def lloyd(data, c, niter):
    """Plain Lloyd iterations: nearest centroid (first on ties), empty clusters keep their place."""
    c = c.copy()
    total = np.zeros(len(c))
    for _ in range(niter):
        d = ((data[:, None, :] - c[None]) ** 2).sum(-1)
        lab = d.argmin(1)
        cnt = np.bincount(lab, minlength=len(c))
        for j in range(len(c)):
            if cnt[j]:
                c[j] = data[lab == j].mean(0)
        total += cnt
    return c, total


@pytest.mark.parametrize("batchsize", [None, 7, 1000])
def test_kmeans_is_lloyd_from_unit_normal_centroids(batchsize):
    pts = np.concatenate([RNG.randn(20, 3) * 0.3 + m for m in ([3, 0, 0], [0, 3, 0], [0, 0, 3])])
    x = T(pts)
    seen = []
    torch.manualSeed(15)
    c, counts = unsup.kmeans(x, 3, 6, batchsize, lambda i, cc, n: seen.append((i, arr(cc), arr(n))))
    torch.manualSeed(15)
    init = arr(torch.Tensor(3, 3).normal())
    init /= np.linalg.norm(init, axis=1, keepdims=True)
    assert [s[0] for s in seen] == list(range(7))
    np.testing.assert_allclose(seen[0][1], init, atol=1e-15)
    np.testing.assert_array_equal(seen[0][2], 0)
    c_ref, total_ref = lloyd(pts, init, 6)
    np.testing.assert_allclose(arr(c), c_ref, atol=1e-12)
    np.testing.assert_array_equal(arr(counts), total_ref)
    assert arr(counts).sum() == 6 * len(pts)


def test_kmeans_shapes_early_stop_and_errors():
    torch.manualSeed(16)
    x = T(RNG.randn(30, 2, 3))
    c, n = unsup.kmeans(x, 4, 10, 8, lambda i, cc, cnt: True if i == 2 else None)
    assert list(c.size()) == [4, 2, 3]
    assert arr(n).sum() == 2 * 30                  # stopped after the second iteration
    c1, n1 = unsup.kmeans(x, 4)                    # one iteration by default
    assert arr(n1).sum() == 30
    with pytest.raises(TorchError, match="missing argument"):
        unsup.kmeans(x, None)
    with pytest.raises(TorchError):
        unsup.kmeans(T([1.0, 2.0]), 2)


# -- PCA and whitening -----------------------------------------------------------------------------

def _data():
    mix = RNG.randn(4, 4)
    return RNG.randn(40, 4) @ mix + np.array([1.0, -2.0, 0.5, 3.0])


def test_pcacov_and_pca_against_numpy_eigendecomposition():
    d = _data()
    cov = np.cov(d, rowvar=False)
    e_ref, v_ref = np.linalg.eigh(cov)
    e, v = unsup.pcacov(T(d))
    np.testing.assert_allclose(arr(e), e_ref, rtol=1e-10)
    for j in range(4):   # columns up to sign
        assert abs(abs(arr(v)[:, j] @ v_ref[:, j]) - 1) < 1e-9
    s, w = unsup.pca(T(d))
    np.testing.assert_allclose(arr(s), e_ref[::-1], rtol=1e-10)
    for j in range(4):
        assert abs(abs(arr(w)[:, j] @ v_ref[:, 3 - j]) - 1) < 1e-9
    with pytest.raises(TorchError):
        unsup.pcacov(T([[1.0, 2.0]]))


def test_zca_and_pca_whitening_transforms_and_inverses():
    d = _data()
    x = T(d)
    white, means, P, invP = unsup.zca_whiten(x, None, None, None, 1e-8)
    np.testing.assert_array_equal(arr(x), d)                     # the input is left alone
    e, v = np.linalg.eigh(np.cov(d, rowvar=False))
    np.testing.assert_allclose(arr(means), d.mean(0), atol=1e-12)
    np.testing.assert_allclose(arr(P), v @ np.diag(1 / np.sqrt(e + 1e-8)) @ v.T, atol=1e-9)
    np.testing.assert_allclose(np.cov(arr(white), rowvar=False), np.eye(4), atol=1e-6)
    back = unsup.zca_colour(white, means, P, invP)[0]
    np.testing.assert_allclose(arr(back), d, atol=1e-9)
    # given transforms are used as they are
    again = unsup.zca_whiten(T(d[:5]), means, P, invP)[0]
    np.testing.assert_allclose(arr(again), arr(white)[:5], atol=1e-12)
    pw, pm, pP, pinv = unsup.pca_whiten(x)
    signs = np.sign(np.sum(arr(pP) * v, axis=0))     # eigenvectors are defined up to sign
    np.testing.assert_allclose(arr(pP), v @ np.diag(signs / np.sqrt(e + 1e-5)), atol=1e-9)
    np.testing.assert_allclose(np.cov(arr(pw), rowvar=False), np.diag(e / (e + 1e-5)), atol=1e-6)
    np.testing.assert_allclose(arr(unsup.pca_colour(pw, pm, pP, pinv)[0]), d, atol=1e-9)
    # a 3D dataset keeps its shape
    d3 = RNG.randn(30, 2, 2)
    w3 = unsup.zca_whiten(T(d3))[0]
    assert list(w3.size()) == [30, 2, 2]


def test_whitening_layers_compute_the_transforms():
    d = _data()
    x = T(d)
    white, means, P, invP = unsup.zca_whiten(x)
    layer = unsup.zca_layer(x)[0]
    np.testing.assert_allclose(arr(layer.forward(x)), arr(white), atol=1e-9)
    inv = unsup.inv_zca_layer(x, means, P, invP)[0]
    np.testing.assert_allclose(arr(inv.forward(white)), d, atol=1e-9)
    pw = unsup.pca_whiten(x)[0]
    np.testing.assert_allclose(arr(unsup.pca_layer(x)[0].forward(x)), arr(pw), atol=1e-9)
    np.testing.assert_allclose(arr(unsup.inv_pca_layer(x)[0].forward(pw)), d, atol=1e-9)


# -- UnsupTrainer ----------------------------------------------------------------------------------

def test_unsup_trainer_steps_are_sgd_then_normalize():
    torch.manualSeed(17)
    psd = unsup.LinearPSD(5, 4, 0.1, 1)
    data = [(T(RNG.randn(5)), None) for _ in range(6)]
    trainer = unsup.UnsupTrainer(psd, data)
    x, dx = trainer.parameters[0], trainer.parameters[1]
    # the first step by hand on a copy of the model
    twin = psd.clone()
    tw, tdw = twin.getParameters()
    twin.updateOutput(data[0][0])
    tdw.zero()
    twin.updateGradInput(data[0][0])
    twin.accGradParameters(data[0][0])
    want = arr(tw) - 0.05 * arr(tdw)
    ages, lines = [], []
    trainer.hookSample = lambda tr, age, ex, res: ages.append((age, ex is data[age - 1]))
    trainer.printer = lines.append
    trainer.train({"eta": 0.05, "maxiter": 1, "statinterval": 1})
    tw.copy(T(want))                  # the SGD step, then the dictionary renormalised
    twin.normalize()
    np.testing.assert_allclose(arr(x), arr(tw), atol=1e-12)
    trainer.train({"eta": 0.05, "maxiter": 4, "statinterval": 2})
    assert ages == [(1, True), (1, True), (2, True), (3, True), (4, True)]
    assert lines[0].startswith("# iter= 1 eta= 0.05 current error= ")
