"""Filters built from convolutions (torch/image doc/paramtransform.md, simpletransform.md):
``gaussianpyramid``, ``lcn`` (local contrast normalization), ``erode`` and ``dilate``.  Each is
Torch7's Lua recipe: the same kernels, the same convolutions (true convolutions, kernel
flipped, as torch.conv2) and the same tensor types along the way."""
import numpy as np

from ..errors import TorchValueError
from ._util import F64, check_tensor, default_class, from_array, new_like
from .kernels import _conv2_plane, convolve, gaussian
from .transform import scale


def gaussianpyramid(*args):
    """``gaussianpyramid([dst,] src, scales)``: a list holding src scaled by each factor in
    ``scales`` (nearest neighbour); each level is scaled from the previous level blurred by a
    normalized 3x3 gaussian (in src's type, so a ByteTensor's kernel truncates to zeros, as in
    Torch7).  ``dst``, a list, receives the levels (its tensors are reused)."""
    if len(args) == 3:
        dst, src, scales = args
        dst = list(dst) if not isinstance(dst, list) else dst
    elif len(args) == 2:
        dst, (src, scales) = [], args
    else:
        raise TorchValueError("image.gaussianpyramid: expected ([dst,] src, scales)")
    check_tensor(src, "src", "image.gaussianpyramid")
    if src.dim() not in (2, 3):
        raise TorchValueError("src image must be 2D or 3D")
    scales = list(scales)
    h, w = src.size(src.dim() - 2), src.size(src.dim() - 1)
    for i, sc in enumerate(scales):
        if i >= len(dst) or dst[i] is None:
            dst[i:i + 1] = [new_like(src, ())]
        # resize takes whole sizes: a fractional one is truncated, as Lua's resize did
        size = ((src.size(0),) if src.dim() == 3 else ()) + (int(h * sc), int(w * sc))
        dst[i].resize(*size)
    k = gaussian(width=3, normalize=True)
    k = from_array(type(src), k.numpy())
    tmp = src
    for i, sc in enumerate(scales):
        if sc == 1:
            if tuple(dst[i].size()) != tuple(tmp.size()):
                raise TorchValueError("image.gaussianpyramid: a scale of 1 needs a level of the same size")
            dst[i].numpy()[...] = tmp.numpy()
        else:
            scale(dst[i], tmp, "simple")
        tmp = convolve(dst[i], k, "same")
    return dst


def _conv2_valid(x, k):
    return _conv2_plane(x.astype(F64), k.astype(F64), False)


def lcn(im, ker=None):
    """Local contrast normalization of a grey image (HxW or 1xHxW): global mean/std
    normalization, then (x - local mean) / max(local std, 1), the local statistics a valid
    convolution with ``ker`` (default: a normalized 9x9 gaussian, sigma 1.591/9).  Returns a
    DoubleTensor smaller than im by the kernel's size - 1."""
    check_tensor(im, "im", "image.lcn")
    if ker is None:
        ker = gaussian(size=9, sigma=1.591 / 9, normalize=True)
    check_tensor(ker, "ker", "image.lcn")
    if not (im.dim() == 2 or (im.dim() == 3 and im.size(0) == 1)):
        raise TorchValueError("grayscale image expected")
    x = im.numpy().astype(F64)
    x = x[0] if x.ndim == 3 else x
    k = ker.numpy().astype(F64)
    if k.ndim != 2 or k.shape[0] > x.shape[0] or k.shape[1] > x.shape[1]:
        raise TorchValueError("image.lcn: the kernel must be 2D and no larger than the image")
    mean = x.mean()
    std = x.std(ddof=1) if x.size > 1 else 0.0   # torch's std divides by n - 1
    x = (x - mean) / std
    lmn = _conv2_valid(x, k)
    lmnsq = _conv2_valid(x * x, k)
    lvar = np.maximum(lmnsq - lmn * lmn, 0)
    lstd = np.sqrt(lvar)
    lstd[lstd < 1] = 1
    si, sj = k.shape[0] // 2, k.shape[1] // 2
    centre = x[si:si + lstd.shape[0], sj:sj + lstd.shape[1]]
    return from_array(_double(), (centre - lmn) / lstd)


def _double():
    from ..tensor import TENSOR_TYPES
    return TENSOR_TYPES["torch.DoubleTensor"]


def _morph(im, kern, pad, fn, flip):
    check_tensor(im, "im", fn)
    if im.dim() != 2:
        raise TorchValueError("%s: expected a 2D (HxW) binary image" % fn)
    k = np.ones((3, 3)) if kern is None else check_tensor(kern, "kern", fn).numpy().astype(F64)
    if k.ndim != 2 or k.shape[0] % 2 == 0 or k.shape[1] % 2 == 0:
        raise TorchValueError("%s: the kernel must be 2D with odd sizes" % fn)
    if flip:
        k = k[::-1, ::-1]
    hp, wp = k.shape[0] // 2, k.shape[1] // 2
    # the padded image is in im's type, so the pad value is stored as that type stores it
    fill = np.array(pad).astype(default_class().dtype).astype(im.dtype).astype(F64)
    padded = np.full((im.size(0) + 2 * hp, im.size(1) + 2 * wp), fill)
    padded[hp:hp + im.size(0), wp:wp + im.size(1)] = im.numpy()
    return _conv2_valid(padded, k), k


def erode(im, kern=None, pad=1):
    """Morphological erosion of a binary (0/1) HxW image by an odd-sized 0/1 kernel (default
    3x3 ones); outside the image counts as ``pad`` (default 1).  A pixel is 1 where the
    convolution reaches the kernel's sum (the kernel is applied flipped, as torch.conv2 does)."""
    conv, k = _morph(im, kern, pad, "image.erode", False)
    return from_array(type(im), (conv == k.sum()).astype(im.dtype))


def dilate(im, kern=None, pad=0):
    """Morphological dilation (default 3x3 ones kernel, outside counts as ``pad``, default 0):
    1 where the kernel, mirrored first as Torch7 does, meets a non-zero pixel."""
    conv, _ = _morph(im, kern, pad, "image.dilate", True)
    return from_array(type(im), (conv > 0).astype(im.dtype))
