"""nn.VolumetricAveragePooling(kT, kW, kH, dT=kT, dW=kW, dH=kH, padT=0, padW=0, padH=0): the
mean over kT x kH x kW blocks of a 4D (nPlane x T x H x W) or 5D (batch x ...) input; padded
cells count in the divisor unless :setCountExcludePad(); :ceil() / :floor() round the size."""
import itertools

import numpy as np

from .Module import Module
from . import utils
from . import _spatial as S
from ..cuda.device import array_module as _xp


class VolumetricAveragePooling(S.Rounding, S.PadCounting, Module):
    padT = padW = padH = 0
    ceil_mode = False
    count_include_pad = True

    def __init__(self, kT, kW, kH, dT=None, dW=None, dH=None, padT=0, padW=0, padH=0):
        super().__init__()
        self.kT, self.kW, self.kH = kT, kW, kH
        self.dT = kT if dT is None else dT
        self.dW = kW if dW is None else dW
        self.dH = kH if dH is None else dH
        self.padT, self.padW, self.padH = padT, padW, padH
        self.ceil_mode = False
        self.count_include_pad = True

    def _plan(self, input):
        osz = S.pool3d_out(self, input)
        if min(osz) < 1:
            utils.bad_input(self, S.PLANES_3D + " of at least the kernel size", input)
        x = S.arr(input).reshape((-1,) + input._size[-3:])
        k, d, p = (self.kT, self.kH, self.kW), (self.dT, self.dH, self.dW), (self.padT, self.padH, self.padW)
        # the window of output o along one axis: [o*d - p, o*d - p + k) clipped to the padded
        # extent (for the divisor) and to the input (for the sum)
        wins = []
        for n, kk, dd, pp, o in zip(x.shape[1:], k, d, p, osz):
            start = np.arange(o) * dd - pp
            end_pad = np.minimum(start + kk, n + pp)
            wins.append((np.maximum(start, 0), np.minimum(end_pad, n), end_pad - start))
        return x, osz, wins

    def _divisor(self, wins, like):
        """The window sizes (computed on the host), where `like` lives."""
        if self.count_include_pad:
            sizes = [w[2] for w in wins]
        else:
            sizes = [w[1] - w[0] for w in wins]
        return _xp(like).asarray(sizes[0][:, None, None] * sizes[1][None, :, None] * sizes[2][None, None, :])

    def updateOutput(self, input):
        x, osz, wins = self._plan(input)
        y = _xp(x).zeros((x.shape[0],) + osz, x.dtype)
        for i, j, l in itertools.product(*(range(o) for o in osz)):
            (a0, b0, _), (a1, b1, _), (a2, b2, _) = [(w[0][q], w[1][q], 0) for w, q in zip(wins, (i, j, l))]
            y[:, i, j, l] = x[:, a0:b0, a1:b1, a2:b2].sum(axis=(1, 2, 3))
        y /= self._divisor(wins, y)
        S.out(self.output, input._size[:-3] + osz)[...] = y.reshape(input._size[:-3] + osz)
        return self.output

    def updateGradInput(self, input, gradOutput):
        x, osz, wins = self._plan(input)
        S.check_grad(self, gradOutput, input._size[:-3] + osz)
        g = S.arr(gradOutput).reshape((x.shape[0],) + osz) / self._divisor(wins, x)
        gi = _xp(x).zeros(x.shape, x.dtype)
        for i, j, l in itertools.product(*(range(o) for o in osz)):
            (a0, b0), (a1, b1), (a2, b2) = [(w[0][q], w[1][q]) for w, q in zip(wins, (i, j, l))]
            gi[:, a0:b0, a1:b1, a2:b2] += g[:, i, j, l][:, None, None, None]
        S.out(self.gradInput, input._size)[...] = gi.reshape(input._size)
        return self.gradInput

    def __tostring__(self):
        return S.pool3d_str(self) + ")"
