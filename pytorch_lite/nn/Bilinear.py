"""nn.Bilinear(inputSize1, inputSize2, outputSize, bias=True): y_k = x1^T W_k x2 + b_k on a
table {x1 (N x inputSize1), x2 (N x inputSize2)}."""
import math

import numpy as np

from ..tensor import Tensor
from .Module import Module
from . import utils


class Bilinear(Module):
    def __init__(self, inputSize1, inputSize2, outputSize, bias=True):
        for v in (inputSize1, inputSize2, outputSize):
            if not isinstance(v, int) or v <= 0:
                raise utils.TorchValueError("nn.Bilinear: inputSize1, inputSize2 and outputSize should be "
                                            "positive integers")
        super().__init__()
        bias = True if bias is None else bias
        self.weight = Tensor(outputSize, inputSize1, inputSize2)
        self.gradWeight = Tensor(outputSize, inputSize1, inputSize2)
        if bias:
            self.bias = Tensor(outputSize)
            self.gradBias = Tensor(outputSize)
        self.gradInput = [Tensor(), Tensor()]
        self.reset()

    def reset(self, stdv=None):
        if stdv is not None:
            if stdv <= 0:
                raise utils.TorchValueError("nn.Bilinear: standard deviation should be a positive number")
            stdv = stdv * math.sqrt(3)
        else:
            stdv = 1 / math.sqrt(self.weight.size(1))
        utils.uniform_(self.weight, -stdv, stdv)
        if getattr(self, "bias", None) is not None:
            utils.uniform_(self.bias, -stdv, stdv)
        return self

    def _check(self, input):
        w = self.weight._size
        ok = (utils.is_table(input) and len(input) == 2 and all(isinstance(t, Tensor) for t in input)
              and input[0].dim() == 2 and input[1].dim() == 2 and input[0]._size[0] == input[1]._size[0]
              and input[0]._size[1] == w[1] and input[1]._size[1] == w[2])
        if not ok:
            utils.bad_input(self, "a table {N x %d, N x %d}" % (w[1], w[2]), input)

    def updateOutput(self, input):
        self._check(input)
        x1, x2 = input[0]._a, input[1]._a
        self.output.resize(x1.shape[0], self.weight._size[0])
        out = np.einsum("ni,kij,nj->nk", x1, self.weight._a, x2, optimize=True)
        if getattr(self, "bias", None) is not None:
            out += self.bias._a
        self.output._a[...] = out
        return self.output

    def _check_grad(self, input, gradOutput):
        if (not isinstance(gradOutput, Tensor) or gradOutput.dim() != 2
                or gradOutput._size != (input[0]._size[0], self.weight._size[0])):
            utils.bad_input(self, "a gradOutput of size %dx%d" % (input[0]._size[0], self.weight._size[0]),
                            gradOutput)

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        self._check(input)
        self._check_grad(input, gradOutput)
        if len(self.gradInput) == 0:
            self.gradInput = [input[0].new(), input[0].new()]
        x1, x2, g, w = input[0]._a, input[1]._a, gradOutput._a, self.weight._a
        self.gradInput[0].resizeAs(input[0])
        self.gradInput[1].resizeAs(input[1])
        self.gradInput[0]._a[...] = np.einsum("nk,kij,nj->ni", g, w, x2, optimize=True)
        self.gradInput[1]._a[...] = np.einsum("nk,kij,ni->nj", g, w, x1, optimize=True)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        self._check_grad(input, gradOutput)
        x1, x2, g = input[0]._a, input[1]._a, gradOutput._a
        self.gradWeight._a[...] += scale * np.einsum("nk,ni,nj->kij", g, x1, x2, optimize=True)
        if getattr(self, "bias", None) is not None:
            self.gradBias._a[...] += scale * g.sum(0)

    def accUpdateGradParameters(self, input, gradOutput, lr):
        Module.accUpdateGradParameters(self, input, gradOutput, lr)

    sharedAccUpdateGradParameters = accUpdateGradParameters

    def clearState(self):
        for k in ("buff1", "buff2"):
            if getattr(self, k, None) is not None:
                getattr(self, k).set()
        return super().clearState()

    def __tostring__(self):
        w = self.weight._size
        return "%s(%dx%d -> %d) %s" % (self.typename, w[1], w[2], w[0],
                                       " without bias" if getattr(self, "bias", None) is None else "")
