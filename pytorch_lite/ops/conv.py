"""2-D and 3-D convolution and cross-correlation of tensors (torch7 doc/maths.md, 'Convolution
Operations'): torch.conv2, torch.xcorr2, torch.conv3, torch.xcorr3.

For d = 2 or 3 the kernel and input shapes pick the operation, as TH's conv2Dmul / conv2Dcmul /
conv2Dmv (and the 3-D ones) do:
    x d-D, k d-D                 one image, one kernel                       -> d-D
    x (d+1)-D, k (d+1)-D         plane i of x with plane i of k              -> (d+1)-D
    x (p, ...) (d+1)-D, k (q, p, ...) (d+2)-D   sum over p of x[p] with k[o, p] -> (q, ...)
'V' is the valid operation (output n - k + 1), 'F' the full one (n + k - 1).  A convolution is the
cross-correlation with the kernel flipped along every axis, computed by the very same code, so
conv(x, k) equals xcorr(x, flipped k) exactly; every plane goes through the single-plane routine,
so a stack of planes gives exactly what each plane gives alone.
"""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from .._decl import over, wrap
from ..errors import TorchValueError
from ._util import result_sized


def _xcorr_plane(x, k, full):
    """One d-D input with one d-D kernel (numpy arrays of the same dtype)."""
    if full:
        pads = [(n - 1, n - 1) for n in k.shape]
        x = np.pad(x, pads)
    for n, m in zip(x.shape, k.shape):
        if m > n:
            raise TorchValueError("conv: the kernel (%s) is larger than the input (%s) for a valid "
                                  "operation" % ("x".join(map(str, k.shape)), "x".join(map(str, x.shape))))
    windows = sliding_window_view(x, k.shape)
    d = k.ndim
    return np.tensordot(windows, k, axes=(tuple(range(d, 2 * d)), tuple(range(d))))


def _mode(mode, name):
    if mode not in ("V", "F"):
        raise TorchValueError("%s: the mode must be 'V' (valid) or 'F' (full), got %r" % (name, mode))
    return mode == "F"


def _operate(out, x, k, mode, d, flip, name):
    full = _mode(mode, name)
    xa, ka = x._a, k._a.astype(x.dtype, copy=False)   # numpy arrays, or CuPy ones for Cuda tensors
    if (xa.ndim, ka.ndim) not in ((d, d), (d + 1, d + 1), (d + 1, d + 2)):
        raise TorchValueError("%s: expected a %dD input with a %dD kernel, %dD with %dD, or %dD with %dD; "
                              "got %dD and %dD" % (name, d, d, d + 1, d + 1, d + 1, d + 2, xa.ndim, ka.ndim))
    if flip:
        ka = ka[(slice(None, None, -1),) * ka.ndim] if ka.ndim == d else \
            ka[(Ellipsis,) + (slice(None, None, -1),) * d]
    if xa.ndim == d and ka.ndim == d:
        res = _xcorr_plane(xa, ka, full)
    elif xa.ndim == d + 1 and ka.ndim == d + 1:
        if xa.shape[0] != ka.shape[0]:
            raise TorchValueError("%s: the input has %d planes and the kernel %d" % (name, xa.shape[0], ka.shape[0]))
        res = np.stack([_xcorr_plane(xa[i], ka[i], full) for i in range(xa.shape[0])])
    else:
        if xa.shape[0] != ka.shape[1]:
            raise TorchValueError("%s: the input has %d planes and the kernel expects %d"
                                  % (name, xa.shape[0], ka.shape[1]))
        res = np.stack([sum(_xcorr_plane(xa[p], ka[q, p], full) for p in range(xa.shape[0]))
                        for q in range(ka.shape[0])])
    r = result_sized(out, type(x), res.shape)
    r._a[...] = res
    return r


def _op(d, flip, name):
    def impl(out, x, k, mode):
        return _operate(out, x, k, mode, d, flip, name)
    impl.__name__ = "_" + name
    return impl


for _d in (2, 3):
    wrap("conv%d" % _d, over("T x, A k, S mode='V'", _op(_d, True, "conv%d" % _d)), method=False)
    wrap("xcorr%d" % _d, over("T x, A k, S mode='V'", _op(_d, False, "xcorr%d" % _d)), method=False)
del _d
