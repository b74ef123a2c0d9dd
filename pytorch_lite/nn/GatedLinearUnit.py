"""nn.GatedLinearUnit(dim=None): splits the input in two halves along 0-based ``dim`` (default:
the last dim) and returns first * sigmoid(second) (Dauphin et al. 2016).  A t7 file holds
``dim`` 1-based; the t7 hooks convert."""

from .Module import Module
from .Sigmoid import Sigmoid
from . import utils


class GatedLinearUnit(Module):
    t7_index_fields = ("dim",)
    dim = None

    def __init__(self, dim=None):
        super().__init__()
        self.sigmoid = Sigmoid()
        self.dim = dim

    def _halves(self, input):
        d = input.dim() - 1 if self.dim is None else self.dim
        n = input.size(d)
        if n % 2 != 0:
            utils.bad_input(self, "an even size along dim %d (the halving dimension)" % d, input)
        return d, n // 2

    def updateOutput(self, input):
        d, h = self._halves(input)
        self.fHalf = input.narrow(d, 0, h)
        self.sHalf = input.narrow(d, h, h)
        self.sHalfOut = self.sigmoid.forward(self.sHalf)
        self.output.resizeAs(self.fHalf)
        self.output._a[...] = self.fHalf._a * self.sHalfOut._a
        return self.output

    def updateGradInput(self, input, gradOutput):
        d, h = self._halves(input)
        utils.check_grad(self, self.output, gradOutput)
        g = gradOutput._a.reshape(self.output._a.shape)
        sg = self.sigmoid.backward(self.sHalf, gradOutput.view(*self.output._size))
        self.gradInput.resizeAs(input)
        self.gradInput.narrow(d, 0, h)._a[...] = self.sHalfOut._a * g
        self.gradInput.narrow(d, h, h)._a[...] = sg._a * self.fHalf._a
        return self.gradInput

    def clearState(self):
        for k in ("fHalf", "sHalf", "sHalfOut"):
            self.__dict__.pop(k, None)
        self.sigmoid.clearState()
        return super().clearState()
