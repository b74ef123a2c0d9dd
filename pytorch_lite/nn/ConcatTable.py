"""nn.ConcatTable(): every module gets the same input; the output is the table of their outputs."""
from ..tensor import Tensor
from .Container import Container, branch_str
from . import utils


class ConcatTable(Container):
    def __init__(self):
        super().__init__()
        self.output = []

    def updateOutput(self, input):
        self.output = [m.updateOutput(input) for m in self.modules]
        return self.output

    def _backward(self, input, gradOutput, fn):
        for i, m in enumerate(self.modules):
            g = fn(m, input, gradOutput[i])
            if isinstance(input, (list, tuple)):
                if i == 0:
                    self.gradInput = utils.recursive_copy(self.gradInput if isinstance(self.gradInput, list) else [], g)
                else:
                    utils.recursive_add(self.gradInput, 1, g)
            else:
                if not isinstance(self.gradInput, Tensor):
                    self.gradInput = input.new()
                if i == 0:
                    self.gradInput.resizeAs(g).copy(g)
                else:
                    self.gradInput._a[...] += g._a.reshape(self.gradInput._a.shape)
        return self.gradInput

    def updateGradInput(self, input, gradOutput):
        return self._backward(input, gradOutput, lambda m, x, g: m.updateGradInput(x, g))

    def backward(self, input, gradOutput, scale=1):
        return self._backward(input, gradOutput, lambda m, x, g: m.backward(x, g, scale))

    def accGradParameters(self, input, gradOutput, scale=1):
        for i, m in enumerate(self.modules):
            m.accGradParameters(input, gradOutput[i], scale)

    def accUpdateGradParameters(self, input, gradOutput, lr):
        for i, m in enumerate(self.modules):
            m.accUpdateGradParameters(input, gradOutput[i], lr)

    def __tostring__(self):
        return branch_str(self)
