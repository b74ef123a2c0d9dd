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
            "pytorch_lite.cuda._nn_conv": ("im2col", "col2im"),
            "pytorch_lite.cuda._nn_pool": ("spatial_max_pool_forward", "spatial_max_pool_backward",
                                           "spatial_avg_pool_forward", "spatial_avg_pool_backward"),
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
        _nn_conv.vol_conv_updateOutput
