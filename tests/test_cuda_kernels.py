"""The device kernels without a GPU: every CUDA source of pytorch_lite/cuda compiles with the
machine's nvcc (skipped, with the reason, where there is none), and the array-level device code
(batch normalization) matches the Cython kernels when run on numpy arrays."""
import importlib
import os
import shutil
import subprocess

import numpy as np
import pytest

from pytorch_lite.cuda import _kernels

DEVICE_MODULES = ("_nn", "_nn_conv", "_nn_pool", "_nn_norm")
for _m in DEVICE_MODULES:
    importlib.import_module("pytorch_lite.cuda." + _m)


def _nvcc():
    for p in (shutil.which("nvcc"), "/usr/local/cuda/bin/nvcc"):
        if p and os.path.exists(p):
            return p
    return None


NVCC = _nvcc()


def test_every_device_module_with_kernels_registers_its_source():
    assert set(_kernels.SOURCES) == {"pytorch_lite.cuda._nn", "pytorch_lite.cuda._nn_conv",
                                     "pytorch_lite.cuda._nn_pool"}


@pytest.mark.skipif(NVCC is None, reason="nvcc is not installed (the CUDA toolkit compiles the sources)")
@pytest.mark.parametrize("owner", sorted(_kernels.SOURCES))
def test_cuda_source_compiles_with_nvcc(owner, tmp_path):
    src = tmp_path / (owner.rsplit(".", 1)[1] + ".cu")
    src.write_text(_kernels.SOURCES[owner])
    ptx = tmp_path / "out.ptx"
    r = subprocess.run([NVCC, "--ptx", "-std=c++14", "-o", str(ptx), str(src)],
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    text = ptx.read_text()
    # the kernels the Python wrappers ask for, one per element type, with C names
    for name in _wrapped_kernels(owner):
        for suffix in ("float", "double"):
            assert ".entry %s_%s(" % (name, suffix) in text, (name, suffix)


def _wrapped_kernels(owner):
    mod = importlib.import_module(owner)
    return {"pytorch_lite.cuda._nn": ("threshold_forward", "threshold_backward"),
            "pytorch_lite.cuda._nn_conv": ("im2col", "col2im", "vol2col", "col2vol"),
            "pytorch_lite.cuda._nn_pool": ("spatial_max_pool_forward", "spatial_max_pool_backward",
                                           "spatial_avg_pool_forward", "spatial_avg_pool_backward",
                                           "pad2d_forward", "pad2d_backward",
                                           "adaptive_max_pool_forward", "adaptive_max_pool_backward",
                                           "adaptive_avg_pool_forward", "adaptive_avg_pool_backward",
                                           "temporal_max_pool_forward", "temporal_max_pool_backward",
                                           "volumetric_max_pool_forward", "volumetric_max_pool_backward",
                                           "upsample_bilinear_forward", "upsample_bilinear_backward"),
            }[mod.__name__]


def test_device_tables_name_the_cpu_kernels():
    """Each device function has the CPU kernel's name (THNN's rule: the type picks the table)."""
    from pytorch_lite import _nn, _nn_conv, _nn_norm, _nn_pool
    for cpu in (_nn, _nn_conv, _nn_norm, _nn_pool):
        dev = _kernels.table_for(cpu, object())
        assert dev.__name__ == "pytorch_lite.cuda." + cpu.__name__.rsplit(".", 1)[1]
        for name in vars(dev):
            if callable(getattr(dev, name)) and not name.startswith("_") and name not in ("table_for",):
                if getattr(getattr(dev, name), "__module__", None) == dev.__name__:
                    assert hasattr(cpu, name), "%s.%s has no CPU twin" % (dev.__name__, name)
        assert _kernels.table_for(cpu, np.zeros(1)) is cpu


# the CPU kernel table's own helpers, called only inside csrc/_nn_conv.pyx (its OpenMP fused path,
# which fused_ok() keeps off on a device, and the BLAS thread split)
CPU_ONLY = {"fused_conv_forward", "fused_conv_grad_input", "fused_conv_grad_weight", "gemm_threads"}


def test_every_cpu_kernel_has_a_device_twin():
    from pytorch_lite import _nn, _nn_conv, _nn_norm, _nn_pool
    missing = []
    for cpu in (_nn, _nn_conv, _nn_norm, _nn_pool):
        dev = _kernels.table_for(cpu, object())
        names = [n for n in dir(cpu) if not n.startswith("_") and callable(getattr(cpu, n))
                 and getattr(getattr(cpu, n), "__module__", None) == cpu.__name__]
        assert len(names) >= 2, cpu.__name__
        missing += ["%s.%s" % (cpu.__name__, n) for n in names if n not in vars(dev) and n not in CPU_ONLY]
    assert missing == []


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("train", [True, False])
@pytest.mark.parametrize("affine", [True, False])
def test_batchnorm_array_code_matches_the_cython_kernel(dtype, train, affine):
    from pytorch_lite import _nn_norm as cpu
    from pytorch_lite.cuda import _nn_norm as dev
    rng = np.random.default_rng(3)
    x = rng.standard_normal((4, 3, 5)).astype(dtype) * 2 + 1
    w = rng.standard_normal(3).astype(dtype) if affine else None
    b = rng.standard_normal(3).astype(dtype) if affine else None
    g = rng.standard_normal(x.shape).astype(dtype)
    results = []
    for k in (cpu, dev):
        rm, rv = np.full(3, 0.1, dtype), np.full(3, 0.9, dtype)
        sm, ss, y, gi = np.zeros(3, dtype), np.zeros(3, dtype), np.zeros_like(x), np.zeros_like(x)
        gw = np.ones(3, dtype) if affine else None
        gb = np.ones(3, dtype) if affine else None
        k.batchnorm_forward(x, y, w, b, rm, rv, sm, ss, train, 0.1, 1e-5)
        k.batchnorm_backward(x, g, gi, gw, gb, w, rm, rv, sm, ss, train, 0.5, 1e-5)
        results.append([y, rm, rv, sm, ss, gi] + ([gw, gb] if affine else []))
    tol = 1e-12 if dtype == np.float64 else 1e-6
    for got, want in zip(results[1], results[0]):
        np.testing.assert_allclose(got, want, rtol=tol, atol=tol)


def test_a_missing_device_kernel_is_a_clear_error():
    from pytorch_lite.cuda import _nn_conv
    from pytorch_lite.errors import TorchRuntimeError
    with pytest.raises(TorchRuntimeError, match="no device kernel yet.*PYTORCH_LITE_CUDA=cpu"):
        _nn_conv.fused_conv_forward   # the CPU-only OpenMP path: fused_ok() is False on a device


# -- the CUDA sources run on the host (tests/cuda_host.py) against the Cython kernels ----------------

import cuda_host  # noqa: E402

needs_cxx = pytest.mark.skipif(cuda_host.CXX is None, reason="no host C++ compiler to run the kernel sources")
RNG = np.random.default_rng(14)
CONV_GEOMS = [  # kH, kW, padH, padW, dH, dW, dilH, dilW
    (3, 3, 1, 1, 1, 1, 1, 1), (3, 2, 0, 1, 2, 1, 1, 1), (5, 3, 2, 0, 2, 3, 1, 1), (3, 3, 2, 2, 1, 2, 2, 2),
    (1, 1, 0, 0, 1, 1, 1, 1)]


@needs_cxx
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("geom", CONV_GEOMS)
def test_im2col_col2im_sources_match_the_cython_kernels(dtype, geom):
    from pytorch_lite import _nn_conv as cpu
    from pytorch_lite.cuda import _nn_conv as dev
    kH, kW, padH, padW, dH, dW, dilH, dilW = geom
    N, C, H, W = 2, 3, 7, 6
    x = RNG.standard_normal((N, C, H, W)).astype(dtype)
    oH = (H + 2 * padH - (dilH * (kH - 1) + 1)) // dH + 1
    oW = (W + 2 * padW - (dilW * (kW - 1) + 1)) // dW + 1
    cols = [np.full((C * kH * kW, N, oH * oW), 9, dtype) for _ in range(2)]
    back = [np.full((N, C, H, W), 9, dtype) for _ in range(2)]
    cpu.im2col(x, cols[0], *geom)
    cpu.col2im(cols[0], back[0], *geom)
    with cuda_host.on_host():
        dev.im2col(x, cols[1], *geom)
        dev.col2im(cols[1], back[1], *geom)
    np.testing.assert_array_equal(cols[1], cols[0])
    tol = 1e-12 if dtype == np.float64 else 1e-5   # col2im sums in another order
    np.testing.assert_allclose(back[1], back[0], rtol=tol, atol=tol)


@needs_cxx
@pytest.mark.parametrize("geom", CONV_GEOMS[:3])
def test_convolution_wrappers_match_the_cython_ones(geom):
    from pytorch_lite import _nn_conv as cpu
    from pytorch_lite.cuda import _nn_conv as dev
    kH, kW, padH, padW, dH, dW, dilH, dilW = geom
    N, C, O, H, W = 3, 2, 4, 8, 7
    x = RNG.standard_normal((N, C, H, W))
    w = RNG.standard_normal((O, C, kH, kW))
    b = RNG.standard_normal(O)
    oH = (H + 2 * padH - (dilH * (kH - 1) + 1)) // dH + 1
    oW = (W + 2 * padW - (dilW * (kW - 1) + 1)) // dW + 1
    g = RNG.standard_normal((N, O, oH, oW))
    res = []
    for k, ctx in ((cpu, None), (dev, cuda_host.on_host())):
        if ctx:
            ctx.__enter__()
        try:
            y, f = np.zeros((N, O, oH, oW)), np.zeros((C * kH * kW, N, oH * oW))
            gi, fg = np.zeros_like(x), np.zeros_like(f)
            gw, gb = np.ones_like(w), np.ones_like(b)
            k.conv_updateOutput(x, y, w, b, f, kH, kW, padH, padW, dH, dW, dilH, dilW)
            k.conv_updateGradInput(g, gi, w, fg, kH, kW, padH, padW, dH, dW, dilH, dilW)
            k.conv_accGradParameters(g, gw, gb, f, 0.5)
            res.append((y, gi, gw, gb))
        finally:
            if ctx:
                ctx.__exit__(None, None, None)
    for got, want in zip(res[1], res[0]):
        np.testing.assert_allclose(got, want, rtol=1e-11, atol=1e-11)


VOL_GEOMS = [  # kT, kH, kW, padT, padH, padW, dT, dH, dW
    (3, 3, 3, 1, 1, 1, 1, 1, 1), (2, 3, 2, 0, 1, 0, 2, 1, 2), (3, 2, 3, 2, 0, 1, 2, 3, 1), (1, 1, 1, 0, 0, 0, 1, 1, 1),
    (4, 5, 5, 0, 0, 0, 1, 1, 1)]   # the last: the kernel fills the whole volume (one output voxel)


@needs_cxx
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("geom", VOL_GEOMS)
def test_vol2col_col2vol_sources_match_the_cython_kernels(dtype, geom):
    from pytorch_lite import _nn_conv as cpu
    from pytorch_lite.cuda import _nn_conv as dev
    kT, kH, kW, padT, padH, padW, dT, dH, dW = geom
    N, C, D, H, W = 2, 3, 4, 5, 5
    x = RNG.standard_normal((N, C, D, H, W)).astype(dtype)
    o = [(n + 2 * p - k) // d + 1 for n, p, k, d in ((D, padT, kT, dT), (H, padH, kH, dH), (W, padW, kW, dW))]
    cols = [np.full((C * kT * kH * kW, N, o[0] * o[1] * o[2]), 9, dtype) for _ in range(2)]
    back = [np.full(x.shape, 9, dtype) for _ in range(2)]
    cpu.vol2col(x, cols[0], *geom)
    cpu.col2vol(cols[0], back[0], *geom)
    with cuda_host.on_host():
        dev.vol2col(x, cols[1], *geom)
        dev.col2vol(cols[1], back[1], *geom)
    np.testing.assert_array_equal(cols[1], cols[0])
    tol = 1e-12 if dtype == np.float64 else 1e-5   # col2vol sums in another order
    np.testing.assert_allclose(back[1], back[0], rtol=tol, atol=tol)


@needs_cxx
def test_vol2col_rejects_a_wrong_buffer_as_the_cpu_kernel_does():
    from pytorch_lite import _nn_conv as cpu
    from pytorch_lite.cuda import _nn_conv as dev
    x = np.zeros((1, 2, 3, 3, 3))
    for k in (cpu, dev):
        with pytest.raises(ValueError, match="column buffer"):
            k.vol2col(x, np.zeros((2 * 8, 1, 7)), 2, 2, 2, 0, 0, 0, 1, 1, 1)
        with pytest.raises(ValueError, match="empty"):
            k.vol2col(x, np.zeros((2 * 64, 1, 1)), 4, 4, 4, 0, 0, 0, 1, 1, 1)


@needs_cxx
@pytest.mark.parametrize("geom", VOL_GEOMS[:3])
def test_volumetric_convolution_wrappers_match_the_cython_ones(geom):
    from pytorch_lite import _nn_conv as cpu
    from pytorch_lite.cuda import _nn_conv as dev
    kT, kH, kW, padT, padH, padW, dT, dH, dW = geom
    N, C, O, D, H, W = 2, 2, 3, 4, 5, 6
    x = RNG.standard_normal((N, C, D, H, W))
    w = RNG.standard_normal((O, C, kT, kH, kW))
    b = RNG.standard_normal(O)
    o = tuple((n + 2 * p - k) // d + 1 for n, p, k, d in ((D, padT, kT, dT), (H, padH, kH, dH), (W, padW, kW, dW)))
    g = RNG.standard_normal((N, O) + o)
    K, L = C * kT * kH * kW, o[0] * o[1] * o[2]
    res = []
    for k, ctx in ((cpu, None), (dev, cuda_host.on_host())):
        if ctx:
            ctx.__enter__()
        try:
            y, f, fg, gi = np.zeros((N, O) + o), np.zeros((K, N, L)), np.zeros((K, N, L)), np.full_like(x, 5)
            gw, gb = np.ones_like(w), np.ones_like(b)
            k.vol_conv_updateOutput(x, y, w, b, f, *geom)
            k.vol_conv_updateGradInput(g, gi, w, fg, *geom)
            k.conv_accGradParameters(g, gw, gb, f, 0.5)
            res.append((y, f, gi, fg, gw, gb))
        finally:
            if ctx:
                ctx.__exit__(None, None, None)
    for got, want in zip(res[1], res[0]):
        np.testing.assert_allclose(got, want, rtol=1e-11, atol=1e-11)


@needs_cxx
@pytest.mark.parametrize("geom", [(3, 3, 1, 1, 2, 2), (4, 3, 0, 1, 2, 1), (1, 1, 0, 0, 1, 1)])  # kH, kW, padH, padW, dH, dW
@pytest.mark.parametrize("bias", [True, False])
def test_full_convolution_wrappers_match_the_cython_ones(geom, bias):
    from pytorch_lite import _nn_conv as cpu
    from pytorch_lite.cuda import _nn_conv as dev
    kH, kW, padH, padW, dH, dW = geom
    N, nIn, nOut, H, W = 2, 3, 2, 4, 5
    oH, oW = (H - 1) * dH - 2 * padH + kH, (W - 1) * dW - 2 * padW + kW
    x = RNG.standard_normal((N, nIn, H, W))
    w = RNG.standard_normal((nIn, nOut, kH, kW))
    b = RNG.standard_normal(nOut) if bias else None
    g = RNG.standard_normal((N, nOut, oH, oW))
    res = []
    for k, ctx in ((cpu, None), (dev, cuda_host.on_host())):
        if ctx:
            ctx.__enter__()
        try:
            cols = np.zeros((nOut * kH * kW, N, H * W))
            y, gi = np.full((N, nOut, oH, oW), 3.0), np.full_like(x, 3)
            gw, gb = np.ones_like(w), (np.ones(nOut) if bias else None)
            k.full_conv_updateOutput(x, y, w, b, cols, kH, kW, padH, padW, dH, dW)
            k.full_conv_updateGradInput(g, gi, w, cols, kH, kW, padH, padW, dH, dW)
            k.full_conv_accGradParameters(x, g, gw, gb, cols, kH, kW, padH, padW, dH, dW, 0.25)
            res.append((y, gi, gw) + ((gb,) if bias else ()))
        finally:
            if ctx:
                ctx.__exit__(None, None, None)
    for got, want in zip(res[1], res[0]):
        np.testing.assert_allclose(got, want, rtol=1e-11, atol=1e-11)


POOL_GEOMS = [  # kH, kW, dH, dW, padH, padW, dilH, dilW
    (2, 2, 2, 2, 0, 0, 1, 1), (3, 3, 2, 2, 1, 1, 1, 1), (3, 2, 1, 2, 1, 0, 1, 1), (2, 3, 2, 1, 1, 1, 2, 2)]


@needs_cxx
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("geom", POOL_GEOMS)
def test_pooling_sources_match_the_cython_kernels(dtype, geom):
    from pytorch_lite import _nn_pool as cpu
    from pytorch_lite.cuda import _nn_pool as dev
    kH, kW, dH, dW, padH, padW, dilH, dilW = geom
    P, H, W = 5, 7, 6
    x = RNG.standard_normal((P, H, W)).astype(dtype)
    x[0, 1, 1] = np.nan          # TH's rule: a NaN takes over the window
    x[1, :2, :2] = 3.0           # ties: the first position wins
    x[2] = -np.inf               # all -inf: the first element of the window
    oH = (H + 2 * padH - (dilH * (kH - 1) + 1)) // dH + 1
    oW = (W + 2 * padW - (dilW * (kW - 1) + 1)) // dW + 1
    g = RNG.standard_normal((P, oH, oW)).astype(dtype)
    res = []
    for k, ctx in ((cpu, None), (dev, cuda_host.on_host())):
        if ctx:
            ctx.__enter__()
        try:
            y, ind = np.zeros((P, oH, oW), dtype), np.zeros((P, oH, oW), np.int64)
            gi = np.full_like(x, 7)
            k.spatial_max_pool_forward(x, y, ind, kH, kW, dH, dW, padH, padW, dilH, dilW)
            k.spatial_max_pool_backward(g, gi, ind)
            out = [y, ind, gi]
            if dilH == 1 and dilW == 1 and padH * 2 <= kH and padW * 2 <= kW:
                for include in (True, False):
                    ya, ga = np.zeros((P, oH, oW), dtype), np.full_like(x, 7)
                    xa = np.nan_to_num(x, neginf=-1.0)
                    k.spatial_avg_pool_forward(xa, ya, kH, kW, dH, dW, padH, padW, include)
                    k.spatial_avg_pool_backward(g, ga, kH, kW, dH, dW, padH, padW, include)
                    out += [ya, ga]
            res.append(out)
        finally:
            if ctx:
                ctx.__exit__(None, None, None)
    tol = 1e-12 if dtype == np.float64 else 1e-5
    for got, want in zip(res[1], res[0]):
        np.testing.assert_allclose(got, want, rtol=tol, atol=tol)


@needs_cxx
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_threshold_source_matches_the_cython_kernel(dtype):
    from pytorch_lite import _nn as cpu
    from pytorch_lite.cuda import _nn as dev
    x = RNG.standard_normal(1000).astype(dtype)
    x[:5] = [0.25, 0.5, np.nan, -np.inf, np.inf]
    g = RNG.standard_normal(1000).astype(dtype)
    res = []
    for k, ctx in ((cpu, None), (dev, cuda_host.on_host())):
        if ctx:
            ctx.__enter__()
        try:
            y, gi = np.zeros_like(x), np.zeros_like(x)
            k.threshold_forward(x, y, 0.25, -2.0)
            k.threshold_backward(x, g, gi, 0.25)
            res.append((y, gi))
        finally:
            if ctx:
                ctx.__exit__(None, None, None)
    for got, want in zip(res[1], res[0]):
        np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("freq", [False, True])
@pytest.mark.parametrize("pad", [-1, 2])
def test_lookup_table_array_code_matches_the_cython_kernels(dtype, freq, pad):
    from pytorch_lite import _nn as cpu
    from pytorch_lite.cuda import _nn as dev
    idx = np.array([2, 0, 4, 2, 2, 1, 4], np.int64)
    g = RNG.standard_normal((7, 3)).astype(dtype)
    gws = [np.ones((5, 3), dtype) for _ in range(2)]
    cpu.lookup_acc_grad(idx, g, gws[0], np.zeros(5, np.int32), freq, pad, 0.5)
    dev.lookup_acc_grad(idx, g, gws[1], np.zeros(5, np.int32), freq, pad, 0.5)
    tol = 1e-12 if dtype == np.float64 else 1e-6
    np.testing.assert_allclose(gws[1], gws[0], rtol=tol, atol=tol)
    for norm_type in (1, 2, 3):
        ws = [np.arange(15, dtype=dtype).reshape(5, 3) - 6 for _ in range(2)]
        rows = np.array([0, 2, 3, 4], np.int64)
        cpu.lookup_renorm(rows, ws[0], 4.0, norm_type)
        dev.lookup_renorm(rows, ws[1], 4.0, norm_type)
        np.testing.assert_allclose(ws[1], ws[0], rtol=tol * 10, atol=tol * 10)


@needs_cxx
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("reflect", [True, False])
@pytest.mark.parametrize("pads", [(0, 0, 0, 0), (1, 2, 0, 3), (3, 0, 2, 1)])   # padL, padR, padT, padB
def test_padding_sources_match_the_cython_kernels(dtype, reflect, pads):
    from pytorch_lite import _nn_pool as cpu
    from pytorch_lite.cuda import _nn_pool as dev
    padL, padR, padT, padB = pads
    P, H, W = 3, 5, 4
    x = RNG.standard_normal((P, H, W)).astype(dtype)
    g = RNG.standard_normal((P, H + padT + padB, W + padL + padR)).astype(dtype)
    res = []
    for k, ctx in ((cpu, None), (dev, cuda_host.on_host())):
        if ctx:
            ctx.__enter__()
        try:
            y, gi = np.zeros(g.shape, dtype), np.full_like(x, 7)
            k.pad2d_forward(x, y, padL, padT, reflect)
            k.pad2d_backward(g, gi, padL, padT, reflect)
            res.append((y, gi))
        finally:
            if ctx:
                ctx.__exit__(None, None, None)
    tol = 1e-12 if dtype == np.float64 else 1e-5
    for got, want in zip(res[1], res[0]):
        np.testing.assert_allclose(got, want, rtol=tol, atol=tol)


def _both(run):
    """run(kernel table) with the Cython kernels, then with the CUDA sources on the host."""
    from pytorch_lite import _nn_pool as cpu
    from pytorch_lite.cuda import _nn_pool as dev
    want = run(cpu)
    with cuda_host.on_host():
        got = run(dev)
    return got, want


def _close(got, want, dtype, exact=()):
    tol = 1e-12 if dtype == np.float64 else 1e-5
    for i, (a, b) in enumerate(zip(got, want)):
        if i in exact:
            np.testing.assert_array_equal(a, b)
        else:
            np.testing.assert_allclose(a, b, rtol=tol, atol=tol)


def _special(x):
    """TH's max rule on edge values: a NaN takes over, ties keep the first, all -inf keep the first."""
    x = x.copy()
    x.reshape(x.shape[0], -1)[0, 1] = np.nan
    x.reshape(x.shape[0], -1)[1, :4] = 3.0
    x[2] = -np.inf
    return x


@needs_cxx
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("sizes", [(7, 6, 3, 4), (5, 5, 5, 5), (4, 7, 1, 1), (3, 2, 5, 7), (10, 9, 4, 6)])
def test_adaptive_pooling_sources_match_the_cython_kernels(dtype, sizes):
    H, W, oH, oW = sizes        # (3, 2) -> (5, 7): more cells than pixels, windows overlap
    P = 4
    x = _special(RNG.standard_normal((P, H, W)).astype(dtype))
    xa = np.nan_to_num(x, neginf=-1.0)
    g = RNG.standard_normal((P, oH, oW)).astype(dtype)

    def run(k):
        y, ind, gi = np.zeros((P, oH, oW), dtype), np.zeros((2, P, oH, oW), np.int64), np.full_like(x, 7)
        k.adaptive_max_pool_forward(x, y, ind)
        k.adaptive_max_pool_backward(g, gi, ind)
        ya, ga = np.zeros((P, oH, oW), dtype), np.full_like(x, 7)
        k.adaptive_avg_pool_forward(xa, ya)
        k.adaptive_avg_pool_backward(g, ga)
        return y, ind, gi, ya, ga
    _close(*_both(run), dtype, exact=(1,))


@needs_cxx
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("kd", [(2, 2), (3, 1), (3, 2), (1, 3), (7, 1)])
def test_temporal_max_pool_source_matches_the_cython_kernel(dtype, kd):
    kW, dW = kd
    N, T, F = 3, 7, 4
    x = _special(RNG.standard_normal((N, T, F)).astype(dtype))
    oT = (T - kW) // dW + 1
    g = RNG.standard_normal((N, oT, F)).astype(dtype)

    def run(k):
        y, ind, gi = np.zeros((N, oT, F), dtype), np.zeros((N, oT, F), np.int64), np.full_like(x, 7)
        k.temporal_max_pool_forward(x, y, ind, kW, dW)
        k.temporal_max_pool_backward(g, gi, ind, dW)
        return y, ind, gi
    _close(*_both(run), dtype, exact=(1,))


@needs_cxx
def test_temporal_max_pool_rejects_a_window_past_the_end_as_the_cpu_kernel_does():
    from pytorch_lite import _nn_pool as cpu
    from pytorch_lite.cuda import _nn_pool as dev
    x = np.zeros((1, 4, 2))
    for k in (cpu, dev):
        with pytest.raises(ValueError, match="buffer shapes"):
            k.temporal_max_pool_forward(x, np.zeros((1, 2, 2)), np.zeros((1, 2, 2), np.int64), 3, 2)


VOLPOOL_GEOMS = [  # kT, kH, kW, dT, dH, dW, padT, padH, padW
    (2, 2, 2, 2, 2, 2, 0, 0, 0), (3, 3, 3, 1, 2, 2, 1, 1, 1), (2, 3, 2, 1, 1, 2, 1, 0, 1), (1, 1, 1, 1, 1, 1, 0, 0, 0)]


@needs_cxx
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("geom", VOLPOOL_GEOMS)
def test_volumetric_max_pool_source_matches_the_cython_kernel(dtype, geom):
    kT, kH, kW, dT, dH, dW, padT, padH, padW = geom
    P, D, H, W = 4, 4, 5, 6
    x = _special(RNG.standard_normal((P, D, H, W)).astype(dtype))
    o = tuple((n + 2 * p - k) // d + 1 for n, p, k, d in ((D, padT, kT, dT), (H, padH, kH, dH), (W, padW, kW, dW)))
    g = RNG.standard_normal((P,) + o).astype(dtype)

    def run(k):
        y, ind, gi = np.zeros((P,) + o, dtype), np.zeros((P,) + o, np.int64), np.full_like(x, 7)
        k.volumetric_max_pool_forward(x, y, ind, *geom)
        k.volumetric_max_pool_backward(g, gi, ind, dT, dH, dW, padT, padH, padW)
        return y, ind, gi
    _close(*_both(run), dtype, exact=(1,))


@needs_cxx
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("sizes", [(3, 4, 6, 8), (4, 4, 4, 4), (1, 1, 3, 5), (5, 3, 11, 1), (2, 3, 7, 13)])
def test_bilinear_upsampling_source_matches_the_cython_kernel(dtype, sizes):
    H, W, oH, oW = sizes        # (1, 1): one source pixel; oW = 1: a zero scale
    P = 3
    x = RNG.standard_normal((P, H, W)).astype(dtype)
    g = RNG.standard_normal((P, oH, oW)).astype(dtype)

    def run(k):
        y, gi = np.zeros((P, oH, oW), dtype), np.full_like(x, 7)
        k.upsample_bilinear_forward(x, y)
        k.upsample_bilinear_backward(g, gi)
        return y, gi
    _close(*_both(run), dtype)
