"""N-d convolution and pooling on numpy views (not a module file): the reference-speed math
behind the less common convolution modules (dilated/full volumetric, local, subsampling).

Layouts are THNN's: x (N, C, *spatial), conv weight (O, C, *kernel).  Each function loops over
the kernel offsets and does one tensordot per offset, so the work is a few BLAS calls.
The arrays may be CuPy ones (Cuda tensors): new arrays are made where x lives (_xp)."""
import itertools

import numpy as np

from ..cuda.device import array_module as _xp

_HALF = np.dtype(np.float16)


def _in_float(f):
    """A CudaHalfTensor's arrays go in as float (cunn's accreal), so the sums over kernel offsets
    and channels are not rounded to half on the way; the caller rounds the result once."""
    def run(*args):
        return f(*(a.astype(np.float32) if getattr(a, "dtype", None) == _HALF else a for a in args))
    run.__name__, run.__doc__ = f.__name__, f.__doc__
    return run


def _slices(k, out, stride, dil):
    """For each kernel offset: (offset tuple, the strided slice of the padded input it reads)."""
    for off in itertools.product(*(range(n) for n in k)):
        sl = tuple(slice(o * d, o * d + s * (m - 1) + 1, s) for o, d, s, m in zip(off, dil, stride, out))
        yield off, (slice(None), slice(None)) + sl


def out_size(size, k, stride, pad, dil):
    return tuple((n + 2 * p - d * (kk - 1) - 1) // s + 1 for n, kk, s, p, d in zip(size, k, stride, pad, dil))


def pad(x, p):
    if not any(p):
        return x
    return np.pad(x, ((0, 0), (0, 0)) + tuple((q, q) for q in p))


@_in_float
def conv_forward(x, w, stride, padding, dil):
    """y[n, o, ...] = sum_c,k w[o, c, k] * xpad[n, c, s*i + d*k]."""
    k = w.shape[2:]
    out = out_size(x.shape[2:], k, stride, padding, dil)
    xp = pad(x, padding)
    y = _xp(x).zeros((x.shape[0], w.shape[0]) + out, np.result_type(x.dtype, w.dtype))
    for off, sl in _slices(k, out, stride, dil):
        y += np.moveaxis(np.tensordot(xp[sl], w[(slice(None), slice(None)) + off], axes=([1], [1])), -1, 1)
    return y


@_in_float
def conv_backward_input(g, w, in_shape, stride, padding, dil):
    """The adjoint of conv_forward in x: gradInput of shape (N, C) + in_shape (in_shape padded
    sizes are cropped back)."""
    k = w.shape[2:]
    out = g.shape[2:]
    gp = _xp(g).zeros((g.shape[0], w.shape[1]) + tuple(n + 2 * p for n, p in zip(in_shape, padding)),
                      np.result_type(g.dtype, w.dtype))
    for off, sl in _slices(k, out, stride, dil):
        gp[sl] += np.moveaxis(np.tensordot(g, w[(slice(None), slice(None)) + off], axes=([1], [0])), -1, 1)
    crop = (slice(None), slice(None)) + tuple(slice(p, p + n) for p, n in zip(padding, in_shape))
    return gp[crop]


@_in_float
def conv_backward_weight(x, g, k, stride, padding, dil):
    """d<g, conv_forward(x, w)>/dw: shape (O, C) + k."""
    out = g.shape[2:]
    xp = pad(x, padding)
    gw = _xp(x).zeros((g.shape[1], x.shape[1]) + tuple(k), np.result_type(x.dtype, g.dtype))
    ax = [0] + list(range(2, 2 + len(k)))
    for off, sl in _slices(k, out, stride, dil):
        gw[(slice(None), slice(None)) + off] = np.tensordot(g, xp[sl], axes=(ax, ax))
    return gw


@_in_float
def full_conv_forward(x, w, stride, padding, adj):
    """Transposed convolution, weight (Cin, Cout, *k): output size (i-1)*s - 2p + k + adj."""
    k = w.shape[2:]
    full = tuple((i - 1) * s + kk + a for i, s, kk, a in zip(x.shape[2:], stride, k, adj))
    # the adjoint of a conv over the padded output: pad = 0 there, crop afterwards
    y = conv_backward_input(x, w, full, stride, (0,) * len(k), (1,) * len(k))
    crop = (slice(None), slice(None)) + tuple(slice(p, n - p) for p, n in zip(padding, full))
    return y[crop]


def _full_pad_grad(g, x_shape, k, stride, padding, adj):
    full = tuple((i - 1) * s + kk + a for i, s, kk, a in zip(x_shape, stride, k, adj))
    gp = _xp(g).zeros(g.shape[:2] + full, g.dtype)
    gp[(slice(None), slice(None)) + tuple(slice(p, n - p) for p, n in zip(padding, full))] = g
    return gp


@_in_float
def full_conv_backward_input(g, w, x_shape, stride, padding, adj):
    gp = _full_pad_grad(g, x_shape, w.shape[2:], stride, padding, adj)
    ones = (1,) * len(stride)
    y = conv_forward(gp, w, stride, (0,) * len(stride), ones)
    return y[(slice(None), slice(None)) + tuple(slice(0, n) for n in x_shape)]


@_in_float
def full_conv_backward_weight(x, g, k, stride, padding, adj):
    gp = _full_pad_grad(g, x.shape[2:], k, stride, padding, adj)
    out = x.shape[2:]
    gw = _xp(x).zeros((x.shape[1], g.shape[1]) + tuple(k), np.result_type(x.dtype, g.dtype))
    ax = [0] + list(range(2, 2 + len(k)))
    for off, sl in _slices(k, out, stride, (1,) * len(k)):
        gw[(slice(None), slice(None)) + off] = np.tensordot(x, gp[sl], axes=(ax, ax))
    return gw
