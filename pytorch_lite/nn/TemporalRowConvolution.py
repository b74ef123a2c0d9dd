"""nn.TemporalRowConvolution(inputFrameSize, kW, dW=1, featFirst=False): every feature row of a
sequence convolved on its own (a depthwise 1-D convolution): output[t][f] = bias[f] +
sum_k weight[f][0][k] * input[t * dW + k][f].  Input nInputFrame x inputFrameSize (or
inputFrameSize x nInputFrame with featFirst), with an optional batch dim in front; the output
has the input's layout.  weight is inputFrameSize x 1 x kW (Torch7's)."""
import numpy as np

from ..tensor import Tensor
from .Module import Module
from . import utils
from . import _spatial as S
from ..cuda.device import array_module as _xp


class TemporalRowConvolution(S.NoBias, S.SpareColumnBuffers, Module):
    def __init__(self, inputFrameSize, kW, dW=1, featFirst=False):
        super().__init__()
        self.inputFrameSize = inputFrameSize
        self.kW = kW
        self.dW = dW or 1
        self.weight = Tensor(inputFrameSize, 1, kW)
        self.bias = Tensor(inputFrameSize)
        self.gradWeight = Tensor(inputFrameSize, 1, kW)
        self.gradBias = Tensor(inputFrameSize)
        self.featFirst = bool(featFirst)
        self.reset()

    def reset(self, stdv=None):
        return S.reset_uniform(self, stdv, self.kW * self.inputFrameSize)

    def _x(self, input):
        """The input as (batch, inputFrameSize, nInputFrame) and the output frame count."""
        F = self.inputFrameSize
        what = ("a 2D (%s) or 3D (batch x %s) tensor" %
                (("%d x nInputFrame" % F,) * 2 if self.featFirst else ("nInputFrame x %d" % F,) * 2))
        S.check_tensor(self, input, (2, 3), what)
        x = input._a
        x = x.reshape((-1,) + x.shape[-2:])
        if not self.featFirst:
            x = x.transpose(0, 2, 1)
        T = x.shape[2]
        if x.shape[1] != F or T < self.kW:
            utils.bad_input(self, what + " with nInputFrame >= %d" % self.kW, input)
        return x, (T - self.kW) // self.dW + 1

    def _osize(self, input, oT):
        F = self.inputFrameSize
        return input._size[:-2] + ((F, oT) if self.featFirst else (oT, F))

    def _layout(self, a):
        """(batch, F, T) -> the module's layout."""
        return a if self.featFirst else a.transpose(0, 2, 1)

    def _cols(self, x, oT):
        v = np.lib.stride_tricks.sliding_window_view(x, self.kW, axis=2)  # b f t k
        return v[:, :, ::self.dW][:, :, :oT]

    def updateOutput(self, input):
        x, oT = self._x(input)
        y = np.einsum("bftk,fk->bft", self._cols(x, oT), self.weight._a[:, 0], optimize=True)
        b = S.get(self, "bias")
        if b is not None:
            y += b._a[None, :, None]
        osize = self._osize(input, oT)
        S.out(self.output, osize)[...] = self._layout(y).reshape(osize)
        return self.output

    def _g(self, input, gradOutput, oT):
        osize = self._osize(input, oT)
        S.check_grad(self, gradOutput, osize)
        g = gradOutput._a.reshape((-1,) + osize[-2:])
        return self._layout(g)

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        x, oT = self._x(input)
        g = self._g(input, gradOutput, oT)
        w = self.weight._a[:, 0]
        gi = _xp(g).zeros(x.shape, np.result_type(g.dtype, w.dtype))
        for k in range(self.kW):
            gi[:, :, k:k + self.dW * (oT - 1) + 1:self.dW] += g * w[None, :, k, None]
        S.out(self.gradInput, input._size)[...] = self._layout(gi).reshape(input._size)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        x, oT = self._x(input)
        g = self._g(input, gradOutput, oT)
        self.gradWeight._a[:, 0] += scale * np.einsum("bft,bftk->fk", g, self._cols(x, oT), optimize=True)
        if S.get(self, "gradBias") is not None:
            self.gradBias._a[...] += scale * g.sum(axis=(0, 2))

    def __tostring__(self):
        s = "%s(%d, %d" % (self.typename, self.inputFrameSize, self.kW)
        if self.dW != 1:
            s += ", %d" % self.dW
        pad = self.__dict__.get("padW")
        if pad:
            s += ", %d" % pad
        return s + S.bias_str(self)
