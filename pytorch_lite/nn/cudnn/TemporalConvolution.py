"""cudnn.TemporalConvolution(inputFrameSize, outputFrameSize, kH, dH=1, padH=0): nn's temporal
convolution computed as cudnn does it, a one-plane spatial convolution whose kernel spans kH
frames and the whole frame (kW = inputFrameSize), with padH zero frames added at both ends of
the sequence.  The fields are the spatial convolution's (kH, dH, padH are the window, step and
padding in frames; kW = inputFrameSize, dW = 1), the weight is nn's layout, outputFrameSize x
kH*inputFrameSize (frame after frame), so nn's weight copies in as it is."""
import numpy as np

from ...cuda.device import array_module as _xp
from ...tensor import Tensor
from ..TemporalConvolution import TemporalConvolution as _NNTemporal
from ..Module import Module
from .. import _spatial as S
from .. import utils


class TemporalConvolution(_NNTemporal):
    typename = "cudnn.TemporalConvolution"
    padH = 0
    dH = 1
    groups = 1

    def __init__(self, inputFrameSize, outputFrameSize, kH, dH=1, padH=0):
        Module.__init__(self)
        self.inputFrameSize = inputFrameSize
        self.outputFrameSize = outputFrameSize
        # the spatial convolution's fields, as cudnn stores them
        self.nInputPlane, self.nOutputPlane = 1, outputFrameSize
        self.kW, self.kH, self.dW, self.dH = inputFrameSize, kH, 1, dH
        self.padW, self.padH, self.groups = 0, padH or 0, 1
        self.weight = Tensor(outputFrameSize, inputFrameSize * kH)
        self.bias = Tensor(outputFrameSize)
        self.gradWeight = Tensor(outputFrameSize, inputFrameSize * kH)
        self.gradBias = Tensor(outputFrameSize)
        self.reset()

    def reset(self, stdv=None):
        return S.reset_uniform(self, stdv, self.kH * self.inputFrameSize)

    def _windows(self, input):
        """(padded (N, T+2*padH, F) array, its (N, oT, kH*F) windows, batch flag, T, oT)."""
        F, k, p = self.inputFrameSize, self.kH, self.padH
        expected = ("a 2D (nInputFrame x %d) or 3D (batch x nInputFrame x %d) tensor with "
                    "nInputFrame + 2*%d >= %d" % (F, F, p, k))
        S.check_tensor(self, input, (2, 3), expected)
        T = input._size[-2]
        if input._size[-1] != F or T + 2 * p < k:
            utils.bad_input(self, expected, input)
        if input.dtype != self.weight.dtype:
            utils.bad_input(self, "a %s input (the module's type)" % self.weight.typename, input)
        x = S.arr(input)
        batch = input.dim() == 3
        if not batch:
            x = x.reshape((1,) + x.shape)
        xp = _xp(x)
        if p:
            padded = xp.zeros((x.shape[0], T + 2 * p, F), dtype=x.dtype)
            padded[:, p:p + T] = x
            x = padded
        oT = (T + 2 * p - k) // self.dH + 1
        it = x.itemsize
        shape, strides = (x.shape[0], oT, k * F), (x.strides[0], self.dH * F * it, it)
        if type(x) is np.ndarray:
            win = np.lib.stride_tricks.as_strided(x, shape, strides, writeable=False)
        else:
            win = xp.lib.stride_tricks.as_strided(x, shape, strides)
        return x, win, batch, T, oT

    def _grad(self, gradOutput, batch, N, oT):
        shape = (N, oT, self.outputFrameSize)
        S.check_grad(self, gradOutput, shape if batch else shape[1:])
        return S.arr(gradOutput).reshape(shape)

    def updateOutput(self, input):
        x, win, batch, T, oT = self._windows(input)
        shape = (x.shape[0], oT, self.outputFrameSize)
        y = S.out(self.output, shape if batch else shape[1:]).reshape(shape)
        y[...] = win @ self.weight._a.reshape(self.outputFrameSize, -1).T
        y += self.bias._a
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        x, win, batch, T, oT = self._windows(input)
        g = self._grad(gradOutput, batch, x.shape[0], oT)
        full = _xp(x).zeros(x.shape, dtype=x.dtype)   # the gradient of the padded sequence
        cols = g @ self.weight._a.reshape(self.outputFrameSize, -1)   # (N, oT, kH*F)
        F, d = self.inputFrameSize, self.dH
        for k in range(self.kH):
            full[:, k:k + (oT - 1) * d + 1:d, :] += cols[:, :, k * F:(k + 1) * F]
        gi = S.out(self.gradInput, input._size).reshape((x.shape[0], T, F))
        gi[...] = full[:, self.padH:self.padH + T]
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        x, win, batch, T, oT = self._windows(input)
        g = self._grad(gradOutput, batch, x.shape[0], oT).reshape(-1, self.outputFrameSize)
        gw = self.gradWeight._a.reshape(self.outputFrameSize, -1)
        gw += scale * (g.T @ win.reshape(-1, win.shape[2]))
        self.gradBias._a[...] += scale * g.sum(0)

