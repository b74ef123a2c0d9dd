"""Tensor constructors and convolution (torch/image doc/tensorconstruct.md, paramtransform.md):
``gaussian``, ``gaussian1D``, ``laplacian``, ``colormap``, ``jetColormap``, ``convolve``.
Keyword arguments carry Torch7's names (``image.gaussian{size=5, sigma=.2}`` in Lua is
``gaussian(size=5, sigma=.2)`` here); positional ones come in Torch7's order."""
import math

import numpy as np

from ..errors import TorchValueError
from ._util import F64, check_tensor, default_class, from_array, from_intermediate, temp_dtype, write


def gaussian(size=3, sigma=0.25, amplitude=1, normalize=False, width=None, height=None,
             sigma_horz=None, sigma_vert=None, mean_horz=0.5, mean_vert=0.5, tensor=None):
    """A height x width 2D gaussian; sigma and mean are fractions of the kernel size (mean 0.5
    is the centre); ``normalize`` makes it sum to 1; ``tensor`` (2D) receives it."""
    width = size if width is None else width
    height = size if height is None else height
    sigma_horz = sigma if sigma_horz is None else sigma_horz
    sigma_vert = sigma if sigma_vert is None else sigma_vert
    if tensor is not None:
        check_tensor(tensor, "tensor", "image.gaussian")
        if tensor.dim() != 2 or tensor.nElement() == 0:
            raise TorchValueError("image.gaussian: expecting a non-empty 2D tensor")
        out = tensor
    else:
        out = default_class()(int(height), int(width))
    h, w = out.size(0), out.size(1)
    tdt = temp_dtype(out.dtype)
    T = tdt.type
    # image.c's Main_gaussian, in temp_t (its 0.5 and 1.0 literals are doubles)
    amp = T(amplitude)
    mean_u = T(float(T(mean_horz) * T(w)) + 0.5)
    mean_v = T(float(T(mean_vert) * T(h)) + 0.5)
    over_u = T(1.0 / float(T(sigma_horz) * T(w)))
    over_v = T(1.0 / float(T(sigma_vert) * T(h)))
    du = ((np.arange(w) + 1).astype(tdt) - mean_u) * over_u
    dv = ((np.arange(h) + 1).astype(tdt) - mean_v) * over_v
    e = np.exp(-0.5 * (du[None, :] * du[None, :] + dv[:, None] * dv[:, None]).astype(F64))
    val = from_intermediate((amp.astype(F64) * e).astype(tdt), out.dtype)
    if normalize:
        total = np.cumsum(val.reshape(-1).astype(tdt), dtype=tdt)[-1]   # C sums in order
        val = (val * T(1.0 / float(total))).astype(out.dtype)
    out.numpy()[...] = val
    return out


def gaussian1D(size=3, sigma=0.25, amplitude=1, normalize=False, mean=0.5, tensor=None):
    """A 1D gaussian of ``size`` taps (Torch7's Lua formula)."""
    if tensor is not None:
        check_tensor(tensor, "tensor", "image.gaussian1D")
        if tensor.dim() != 1 or tensor.nElement() == 0:
            raise TorchValueError("image.gaussian1D: expecting a non-empty 1D tensor")
        size = tensor.size(0)
        out = tensor
    else:
        out = default_class()(int(size))
    center = mean * size + 0.5
    vals = []
    for i in range(1, int(size) + 1):
        z = (i - center) / (sigma * size)
        vals.append(amplitude * math.exp(-(z * z / 2)))
    a = np.array(vals).astype(out.dtype)
    if normalize:
        a = a / a.dtype.type(np.cumsum(a, dtype=_acc(a.dtype))[-1])
    out.numpy()[...] = a
    return out


def _acc(dtype):
    return F64 if np.dtype(dtype).kind == "f" else np.int64


def laplacian(size=3, sigma=0.1, amplitude=1, normalize=False, width=None, height=None,
              sigma_horz=None, sigma_vert=None, mean_horz=0.5, mean_vert=0.5):
    """A height x width Laplacian-of-gaussian kernel (Torch7's Lua formula, which pairs the
    row index with the horizontal parameters)."""
    width = size if width is None else width
    height = size if height is None else height
    sigma_horz = sigma if sigma_horz is None else sigma_horz
    sigma_vert = sigma if sigma_vert is None else sigma_vert
    cx = mean_horz * width + 0.5
    cy = mean_vert * height + 0.5
    out = default_class()(int(height), int(width))
    a = np.empty((int(height), int(width)))
    for i in range(1, int(height) + 1):
        for j in range(1, int(width) + 1):
            x = (i - cx) / (sigma_horz * width)
            y = (j - cy) / (sigma_vert * height)
            xsq, ysq = x * x / 2, y * y / 2
            a[i - 1, j - 1] = (1 - (xsq + ysq)) * amplitude * math.exp(-(xsq + ysq))
    a = a.astype(out.dtype)
    if normalize:
        a = a / a.dtype.type(np.cumsum(a, dtype=_acc(a.dtype))[-1])
    out.numpy()[...] = a
    return out


def colormap(nColor):
    """nColor x 3 RGB colours spread around the HSL wheel (hue steps of 39 degrees)."""
    n = int(nColor)
    rows = []
    huef = satf = 0.0
    for _ in range(n):
        hue = math.fmod(huef, 360)
        sat = math.fmod(satf, 0.7) + 0.3
        light = 0.5
        huef += 39
        satf += 1 / 9
        c = (1 - abs(2 * light - 1)) * sat
        huep = hue / 60
        x = c * (1 - abs(math.fmod(huep, 2) - 1))
        rgb = ((c, x, 0), (x, c, 0), (0, c, x), (0, x, c), (x, 0, c), (c, 0, x))[min(int(huep), 5)]
        m = light - c / 2
        rows.append([v + m for v in rgb])
    return from_array(default_class(), np.array(rows).reshape(n, 3))


def jetColormap(nColor):
    """nColor x 3 jet colours, blue to red."""
    n = int(nColor)
    rows = []
    for i in range(1, n + 1):
        f = 4 * i / n
        rows.append([max(min(f - 1.5, -f + 4.5, 1), 0), max(min(f - 0.5, -f + 3.5, 1), 0),
                     max(min(f + 0.5, -f + 2.5, 1), 0)])
    return from_array(default_class(), np.array(rows).reshape(n, 3))


def _conv2_plane(x, k, full):
    """True 2D convolution (kernel flipped) of one plane, 'valid' or 'full', in float64."""
    kh, kw = k.shape
    if full:
        x = np.pad(x, ((kh - 1, kh - 1), (kw - 1, kw - 1)))
    oh, ow = x.shape[0] - kh + 1, x.shape[1] - kw + 1
    if oh <= 0 or ow <= 0:
        raise TorchValueError("image.convolve: kernel larger than the image for a valid convolution")
    win = np.lib.stride_tricks.sliding_window_view(x, (kh, kw))
    return np.einsum("ijkl,kl->ij", win, k[::-1, ::-1])


def conv2(x, k, mode="V"):
    """torch.conv2's three cases: 2D*2D, 3D*3D (plane by plane), 3D*4D (sum over input planes)."""
    full = mode == "F"
    xa, ka = x.numpy().astype(F64), k.numpy().astype(F64)
    if xa.ndim == 2 and ka.ndim == 2:
        out = _conv2_plane(xa, ka, full)
    elif xa.ndim == 3 and ka.ndim == 3 and xa.shape[0] == ka.shape[0]:
        out = np.stack([_conv2_plane(xa[p], ka[p], full) for p in range(xa.shape[0])])
    elif xa.ndim == 3 and ka.ndim == 4 and xa.shape[0] == ka.shape[1]:
        out = np.stack([sum(_conv2_plane(xa[p], ka[q, p], full) for p in range(xa.shape[0]))
                        for q in range(ka.shape[0])])
    else:
        raise TorchValueError("image.convolve: cannot convolve a %dD image with a %dD kernel"
                              % (xa.ndim, ka.ndim))
    if np.dtype(x.dtype).kind in "iu":
        out = np.trunc(out)
    return out.astype(x.dtype)


def convolve(*args):
    """``convolve([dst,] src, kernel[, mode])``: mode 'valid' (default), 'full' or 'same' (a full
    convolution cropped to src's size); a 2D kernel on a 3D image filters every plane."""
    n = len(args)
    dst = mode = None
    if n == 4:
        dst, src, kernel, mode = args
    elif n == 3 and isinstance(args[2], str):
        src, kernel, mode = args
    elif n == 3:
        dst, src, kernel = args
    elif n == 2:
        src, kernel = args
    else:
        raise TorchValueError("image.convolve: expected ([dst,] src, kernel[, mode])")
    check_tensor(src, "src", "image.convolve")
    check_tensor(kernel, "kernel", "image.convolve")
    if mode is not None and mode not in ("valid", "full", "same"):
        raise TorchValueError("mode has to be one of: full | valid | same")
    if kernel.dim() == 2 and src.dim() == 3:
        k3 = np.repeat(kernel.numpy()[None], src.size(0), 0)
        kernel = from_array(type(src), k3)
    out = conv2(src, kernel, "F" if mode in ("full", "same") else "V")
    dst = write(dst if dst is not None else type(src)(), out)
    if mode == "same":
        cx = dst.dim() - 1
        cy = cx - 1
        ofy = math.ceil(kernel.size(kernel.dim() - 2) / 2) - 1
        ofx = math.ceil(kernel.size(kernel.dim() - 1) / 2) - 1
        dst = dst.narrow(cy, ofy, src.size(src.dim() - 2)).narrow(cx, ofx, src.size(src.dim() - 1))
    return dst
