"""nn.CAdd(*size): y = x + b with a learnable bias of the given size, broadcast like nn.CMul's
weight (a batch over the first dim, or size-1 dims)."""
import math

import numpy as np

from ..storage import LongStorage
from ..tensor import Tensor
from .CMul import CMul, _acc_broadcast, _size_arg
from .Module import Module
from . import utils


class CAdd(Module):
    _param = "bias"
    _param_like = CMul._param_like

    def __init__(self, *size):
        super().__init__()
        size = _size_arg(size)
        self.size = LongStorage(size)
        self.bias = Tensor(*size)
        self.gradBias = Tensor(*size)
        self.output.resize(*size)
        self.reset()

    def reset(self, stdv=None):
        stdv = stdv * math.sqrt(3) if stdv is not None else 1.0 / math.sqrt(self.bias.nElement())
        utils.uniform_(self.bias, -stdv, stdv)
        return self

    def updateOutput(self, input):
        b = self._param_like(input)
        self.output.resizeAs(input)
        np.add(input._a, b, out=self.output._a)
        return self.output

    def updateGradInput(self, input, gradOutput):
        utils.check_grad(self, input, gradOutput)
        self.gradInput.resizeAs(gradOutput).copy(gradOutput)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        g = gradOutput._a.reshape(input._a.shape)
        _acc_broadcast(self.gradBias._a, g, self._param_like(input).shape, scale)
