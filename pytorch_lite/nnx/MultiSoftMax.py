"""nn.MultiSoftMax(): a softmax over the last dim of a 2D input, or of every row of a
batch x n x classes 3D input (n softmaxes per example)."""
import numpy as np

from ..nn.Module import Module
from ..nn import utils
from ..nn import _spatial as S


class MultiSoftMax(Module):
    typename = "nn.MultiSoftMax"

    def _rows(self, input):
        if input.dim() not in (2, 3):
            utils.bad_input(self, "a 2D or 3D tensor", input)
        return input._size[-1]

    def updateOutput(self, input):
        n = self._rows(input)
        x = S.arr(input).reshape(-1, n)
        y = S.out(self.output, input._size).reshape(-1, n)
        np.subtract(x, x.max(axis=1, keepdims=True), out=y)
        np.exp(y, out=y)
        y /= y.sum(axis=1, keepdims=True)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        n = self._rows(input)
        utils.check_grad(self, input, gradOutput)
        y = S.arr(self.output).reshape(-1, n)
        g = S.arr(gradOutput).reshape(-1, n)
        gi = S.out(self.gradInput, input._size).reshape(-1, n)
        np.multiply(y, g - (g * y).sum(axis=1, keepdims=True), out=gi)
        return self.gradInput
