"""2-D sliding windows on numpy arrays (not a module file): the im2col view and its adjoint,
behind the per-position and per-plane convolutions (SpatialConvolutionLocal,
SpatialDepthWiseConvolution, TemporalRowConvolution).  The arrays may be CuPy ones (Cuda tensors)."""
import numpy as np

from ..cuda.device import array_module as _xp


def pad2d(x, padH, padW):
    if not padH and not padW:
        return x
    return np.pad(x, ((0, 0),) * (x.ndim - 2) + ((padH, padH), (padW, padW)))


def windows(x, kH, kW, dH, dW, padH=0, padW=0):
    """A read-only view (..., oH, oW, kH, kW) of the padded x's kH x kW windows at stride dH, dW."""
    xp = pad2d(x, padH, padW)
    v = np.lib.stride_tricks.sliding_window_view(xp, (kH, kW), axis=(-2, -1))
    return v[..., ::dH, ::dW, :, :]


def windows_adjoint(cols, in_shape, kH, kW, dH, dW, padH=0, padW=0):
    """The sum of cols (..., oH, oW, kH, kW) back into an array of in_shape (..., H, W): the
    adjoint of windows (THNN's col2im / unfolded_acc)."""
    H, W = in_shape[-2:]
    oH, oW = cols.shape[-4:-2]
    out = _xp(cols).zeros(tuple(in_shape[:-2]) + (H + 2 * padH, W + 2 * padW), cols.dtype)   # where cols live
    for i in range(kH):
        for j in range(kW):
            out[..., i:i + dH * (oH - 1) + 1:dH, j:j + dW * (oW - 1) + 1:dW] += cols[..., i, j]
    return out[..., padH:padH + H, padW:padW + W]
