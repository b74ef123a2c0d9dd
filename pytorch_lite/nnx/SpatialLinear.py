"""nn.SpatialLinear(fanin, fanout): a Linear layer applied at every pixel of a fanin x H x W map
(a 1x1 convolution): output[o] = bias[o] + sum_i weight[o][i] * input[i].

weightDecay (0 by default; an integer flag in nnx) adds the weight to gradWeight once per pixel."""
import math

import numpy as np

from ..nn.Module import Module
from ..nn import utils
from ..nn import _spatial as S
from ..tensor import Tensor


class SpatialLinear(Module):
    typename = "nn.SpatialLinear"

    def __init__(self, fanin=1, fanout=1):
        super().__init__()
        self.fanin, self.fanout = int(fanin), int(fanout)
        self.weightDecay = 0
        self.weight = Tensor(self.fanout, self.fanin)
        self.bias = Tensor(self.fanout)
        self.gradWeight = Tensor(self.fanout, self.fanin)
        self.gradBias = Tensor(self.fanout)
        self.output = Tensor(self.fanout, 1, 1)
        self.gradInput = Tensor(self.fanin, 1, 1)
        self.reset()

    def reset(self, stdv=None):
        stdv = stdv * math.sqrt(3) if stdv is not None else 1.0 / math.sqrt(self.weight._size[0])
        # nnx draws row by row: a row's weights, then that row's bias
        for o in range(self.fanout):
            utils.uniform_(self.weight.select(0, o), -stdv, stdv)
            utils.uniform_(self.bias.narrow(0, o, 1), -stdv, stdv)
        return self

    def _check(self, input):
        if input.dim() != 3 or input._size[0] != self.fanin:
            utils.bad_input(self, "a 3D tensor of %d planes" % self.fanin, input)

    def updateOutput(self, input):
        self._check(input)
        _, h, w = input._size
        x = S.arr(input).reshape(self.fanin, h * w)
        y = S.out(self.output, (self.fanout, h, w)).reshape(self.fanout, h * w)
        np.matmul(self.weight._a, x, out=y)
        y += self.bias._a[:, None]
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        self._check(input)
        _, h, w = input._size
        S.check_grad(self, gradOutput, (self.fanout, h, w))
        g = S.arr(gradOutput).reshape(self.fanout, h * w)
        gi = S.out(self.gradInput, (self.fanin, h, w)).reshape(self.fanin, h * w)
        np.matmul(self.weight._a.T, g, out=gi)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        _, h, w = input._size
        x = S.arr(input).reshape(self.fanin, h * w)
        g = S.arr(gradOutput).reshape(self.fanout, h * w)
        self.gradWeight._a[...] += scale * (g @ x.T)
        self.gradBias._a[...] += scale * g.sum(axis=1)
        if self.weightDecay:
            self.gradWeight._a[...] += (h * w) * self.weight._a

    def decayParameters(self, decay):
        self.weight._a[...] -= decay * self.weight._a
        self.bias._a[...] -= decay * self.bias._a
