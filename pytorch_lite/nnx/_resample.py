"""Shared helpers of nnx's resampling modules (not a module file).

Every nnx resampler (SpatialReSampling, SpatialReSamplingEx, SpatialUpSampling,
SpatialDownSampling) is a linear map that acts on the height axis and on the width axis
separately: output = Ay . X . Ax^T for each plane, with Ay (oheight x iheight) and Ax
(owidth x iwidth) small dense matrices.  Building those matrices once per call and applying them
with two matmuls keeps the per-pixel work in BLAS; the gradient is the same map transposed.
"""
import numpy as np

from ..errors import TorchValueError


def bilinear(n_in, n_out):
    """(n_out x n_in) weights of nnx's corner-aligned bilinear interpolation.

    As nnx's C kernels do, the ratio and sub-pixel positions are single-precision floats and the
    upper neighbour is clamped to the last pixel (so the last output row lands on it whole)."""
    if n_out < 1 or n_in < 1:
        raise TorchValueError("nnx resampling: sizes must be positive, got %d -> %d" % (n_in, n_out))
    ratio = np.float32(n_in - 1) / np.float32(n_out - 1) if n_out > 1 else np.float32(0)
    pos = ratio * np.arange(n_out, dtype=np.float32)
    lo = np.floor(pos)
    frac = pos - lo
    lo = lo.astype(np.int64)
    m = np.zeros((n_out, n_in))
    rows = np.arange(n_out)
    np.add.at(m, (rows, np.minimum(lo, n_in - 1)), (np.float32(1) - frac).astype(np.float64))
    np.add.at(m, (rows, np.minimum(lo + 1, n_in - 1)), frac.astype(np.float64))
    return m


def nearest(n_in, n_out, step):
    """(n_out x n_in): output i copies input i // step."""
    m = np.zeros((n_out, n_in))
    src = np.arange(n_out) // step
    if n_out and src.max() >= n_in:
        raise TorchValueError("nnx resampling: %d outputs with step %d overrun %d inputs" % (n_out, step, n_in))
    m[np.arange(n_out), src] = 1
    return m


def subsample(n_in, n_out, step):
    """(n_out x n_in): output i takes input i * step."""
    m = np.zeros((n_out, n_in))
    m[np.arange(n_out), np.arange(n_out) * step] = 1
    return m


def average(n_in, n_out, step):
    """(n_out x n_in): output i is the mean of inputs [i*step, (i+1)*step)."""
    m = np.zeros((n_out, n_in))
    cols = np.arange(n_out * step)
    m[cols // step, cols] = 1.0 / step
    return m


def apply(x, ay, ax):
    """x (K1, H, W, K2) -> (K1, oH, oW, K2) = ay . x . ax^T on every (H, W) plane."""
    k1, h, w, k2 = x.shape
    t = np.matmul(ay.astype(x.dtype, copy=False), x.reshape(k1, h, w * k2))       # (K1, oH, W*K2)
    t = t.reshape(k1, ay.shape[0], w, k2).transpose(0, 1, 3, 2)                     # (K1, oH, K2, W)
    y = np.matmul(t, ax.T.astype(x.dtype, copy=False))                              # (K1, oH, K2, oW)
    return y.transpose(0, 1, 3, 2)


def apply_t(g, ay, ax):
    """The transpose of apply: g (K1, oH, oW, K2) -> (K1, H, W, K2)."""
    return apply(g, ay.T, ax.T)


def four_d(size, ydim, xdim):
    """(K1, H, W, K2): size seen as the dims before ydim, ydim, xdim, and the dims after xdim
    (ydim, xdim 0-based, xdim == ydim + 1)."""
    k1 = int(np.prod(size[:ydim], dtype=np.int64))
    k2 = int(np.prod(size[xdim + 1:], dtype=np.int64))
    return k1, size[ydim], size[xdim], k2
