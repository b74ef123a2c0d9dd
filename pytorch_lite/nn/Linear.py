"""nn.Linear(inputSize, outputSize, bias=True): y = W x + b, on a vector or a batch of rows."""
import math

import numpy as np

from ..errors import TorchValueError
from ..tensor import Tensor
from .._nn_conv import gemm  # numpy's OpenBLAS, rows split among the OpenMP threads (False: not done)
from .._nn_conv import linear_forward, linear_acc_grad_bias   # the same bits in C (False: not done)
from .Module import Module
from . import utils


class Linear(Module):
    def __init__(self, inputSize, outputSize, bias=True):
        super().__init__()
        self.weight = Tensor(outputSize, inputSize)
        self.gradWeight = Tensor(outputSize, inputSize)
        if bias:
            self.bias = Tensor(outputSize)
            self.gradBias = Tensor(outputSize)
        self.reset()

    def noBias(self):
        self.__dict__.pop("bias", None)
        self.__dict__.pop("gradBias", None)
        return self

    def reset(self, stdv=None):
        stdv = stdv * math.sqrt(3) if stdv is not None else 1.0 / math.sqrt(self.weight.size(1))
        utils.uniform_(self.weight, -stdv, stdv)
        if self.__dict__.get("bias") is not None:
            utils.uniform_(self.bias, -stdv, stdv)
        return self

    def _check(self, input):
        n_in = self.weight._size[1]
        if isinstance(input, Tensor) and input.dim() in (1, 2) and input._size[-1] != n_in:
            # worded as Torch7's addmm/addmv error, which scripts (and nn's tests) look for
            if input.dim() == 2:
                sizes = "m1: [%d x %d], m2: [%d x %d]" % (input._size + (n_in, self.weight._size[0]))
            else:
                sizes = "[%d x %d], [%d]" % (self.weight._size + (input._size[0],))
            raise TorchValueError("%s: size mismatch, %s (expected a vector of size %d or a matrix nFrame x %d)"
                                  % (self.typename, sizes, n_in, n_in))
        if not isinstance(input, Tensor) or input.dim() not in (1, 2):
            utils.bad_input(self, "a vector of size %d or a matrix nFrame x %d" % (n_in, n_in), input)

    def updateOutput(self, input):
        self._check(input)
        w = self.weight._a
        bias = self.__dict__.get("bias")
        x = input._a
        if input.dim() == 1:
            self.output.resize(w.shape[0])
            out = self.output._a
            out[...] = w @ x
        else:
            if self.output._size != (x.shape[0], w.shape[0]):   # TH's resize: same size, nothing to do
                self.output.resize(x.shape[0], w.shape[0])        # (here it would drop the cached array)
            out = self.output._a
            done = linear_forward(x, w, None if bias is None else bias._a, out)   # few rows: one C call
            if done:
                bias = None
            elif bias is not None and bias._a.dtype == out.dtype:
                out[...] = bias._a  # the GEMM adds onto the bias rows (beta 1, addmm's form)
                done = gemm(x, w, out, False, True, 1, 1)
                bias = None if done else bias
            if not done and not gemm(x, w, out, False, True):
                np.matmul(x, w.T, out=out)
            if self.__dict__.get("addBuffer") is None or self.addBuffer.nElement() != x.shape[0]:
                self.addBuffer = input.new(x.shape[0]).fill(1)
        if bias is not None:
            out += bias._a
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        self.gradInput.resizeAs(input)
        g = gradOutput._a.reshape(self.output._a.shape)
        if not gemm(g, self.weight._a, self.gradInput._a):
            np.matmul(g, self.weight._a, out=self.gradInput._a)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        x = input._a
        g = gradOutput._a.reshape(self.output._a.shape)
        gw = self.gradWeight._a
        if input.dim() == 1:
            gw += scale * np.multiply.outer(g, x)
        elif not gemm(g, x, gw, True, False, scale, 1):
            gw += (g.T @ x) * scale
        if self.__dict__.get("bias") is not None:
            gb = self.gradBias._a
            if input.dim() == 1 or not linear_acc_grad_bias(g, gb, scale):
                gb += scale * (g if input.dim() == 1 else g.sum(0))
        return None

    def _acc_update(self, input, gradOutput, lr):
        d = self.__dict__
        gw, gb = d.get("gradWeight"), d.get("gradBias")
        d["gradWeight"], d["gradBias"] = d.get("weight"), d.get("bias")
        try:
            self.accGradParameters(input, gradOutput, -lr)
        finally:
            d["gradWeight"], d["gradBias"] = gw, gb

    # shared weights need no special path (Torch7: Linear.sharedAccUpdateGradParameters = accUpdate...)
    sharedAccUpdateGradParameters = _acc_update

    def clearState(self):
        utils.clear(self, "addBuffer")
        return super().clearState()

    def __tostring__(self):
        s = "%s(%d -> %d)" % (self.typename, self.weight._size[1], self.weight._size[0])
        if self.__dict__.get("bias") is None:
            s += " without bias"
        return s
