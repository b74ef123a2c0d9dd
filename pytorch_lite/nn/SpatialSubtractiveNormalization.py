"""nn.SpatialSubtractiveNormalization(nInputPlane=1, kernel=ones(9, 9)): subtracts from every
pixel the kernel-weighted mean of its neighbourhood over all planes; near the borders the mean
is renormalised by the kernel mass that falls inside the image (Torch7's `coef`).  A 1D kernel k
stands for the separable 2D kernel k k^T.  Computed directly: mean = conv(x) / conv(ones) with
the zero-padded convolution summing over planes."""
import numpy as np

from ..errors import TorchValueError
from ..tensor import Tensor
from .Module import Module
from . import utils
from . import _spatial as S


class SpatialSubtractiveNormalization(Module):
    def __init__(self, nInputPlane=1, kernel=None):
        super().__init__()
        self.nInputPlane = nInputPlane
        if kernel is None:
            kernel = Tensor(9, 9).fill(1)
        if not isinstance(kernel, Tensor) or kernel.dim() not in (1, 2):
            raise TorchValueError("nn.SpatialSubtractiveNormalization: the averaging kernel must be 1D or 2D")
        k = np.array(kernel._a, dtype=np.float64)
        if any(n % 2 == 0 for n in k.shape):
            raise TorchValueError("nn.SpatialSubtractiveNormalization: the averaging kernel must have ODD dimensions")
        self.kernel = kernel.clone()
        self.kernel._a[...] /= k.sum() * (nInputPlane if k.ndim == 2 else np.sqrt(nInputPlane))

    def _weight(self, x):
        k = np.asarray(self.kernel._a, dtype=np.float64)
        k2 = k if k.ndim == 2 else np.outer(k, k)
        w = np.ascontiguousarray(np.broadcast_to(k2, (1, self.nInputPlane) + k2.shape), dtype=x.dtype)
        return w, k2.shape

    def _apply(self, conv, x, w, kh, kw, finput):
        """zero-padded 'same' convolution summed over planes: (N, C, H, W) -> (N, 1, H, W)."""
        N, C, H, W = x.shape
        y = np.empty((N, 1, H, W), x.dtype)
        conv.conv_updateOutput(x, y, w, None, finput, kh, kw, kh // 2, kw // 2, 1, 1, 1, 1)
        return y

    def _x(self, input):
        nIn = self.nInputPlane
        S.check_tensor(self, input, (3, 4), "a 3D (%d x H x W) or 4D (batch x %d x H x W) tensor" % (nIn, nIn))
        if input._size[-3] != nIn:
            utils.bad_input(self, "a 3D (%d x H x W) or 4D (batch x %d x H x W) tensor" % (nIn, nIn), input)
        x = S.arr(input)
        return x.reshape((1,) + x.shape) if input.dim() == 3 else x

    def updateOutput(self, input):
        x = self._x(input)
        conv = S.kernels("conv", input)
        w, (kh, kw) = self._weight(x)
        N, C, H, W = x.shape
        finput = np.empty((C * kh * kw, N, H * W), x.dtype)
        sums = self._apply(conv, x, w, kh, kw, finput)
        coef = self._apply(conv, np.ones((1, C, H, W), x.dtype), w, kh, kw, np.empty((C * kh * kw, 1, H * W), x.dtype))
        self.coef = type(input)._from_array(coef[0])
        y = S.out(self.output, input._size).reshape(x.shape)
        np.subtract(x, sums / coef, out=y)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        x = self._x(input)
        S.check_grad(self, gradOutput, input._size)
        conv = S.kernels("conv", input)
        w, (kh, kw) = self._weight(x)
        N, C, H, W = x.shape
        g = S.arr(gradOutput).reshape(x.shape)
        coef = S.get(self, "coef")
        if coef is None or coef._size != (1, H, W):
            raise TorchValueError("%s: updateGradInput needs a forward on this input first" % self.typename)
        r = np.ascontiguousarray(g.sum(axis=1, keepdims=True) / coef._a[None])
        back = np.empty_like(x)
        fgrad = np.empty((C * kh * kw, N, H * W), x.dtype)
        conv.conv_updateGradInput(r, back, w, fgrad, kh, kw, kh // 2, kw // 2, 1, 1, 1, 1)
        gi = S.out(self.gradInput, input._size).reshape(x.shape)
        np.subtract(g, back, out=gi)
        return self.gradInput

    def clearState(self):
        utils.clear(self, "coef", "_coef", "ones", "localsums", "adjustedsums")
        return super().clearState()
