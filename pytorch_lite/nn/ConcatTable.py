"""nn.ConcatTable(): every module gets the same input; the output is the table of their outputs."""
from ..tensor import Tensor
from .Container import Container, branch_str
from . import utils


class ConcatTable(Container):
    def __init__(self):
        super().__init__()
        self.output = []

    def updateOutput(self, input):
        self.output = [self.rethrowErrors(m, i, "updateOutput", input) for i, m in enumerate(self.modules)]
        return self.output

    def _backward(self, input, gradOutput, fn):
        for i, m in enumerate(self.modules):
            g = fn(i, m, input, gradOutput[i])
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
        return self._backward(input, gradOutput,
                              lambda i, m, x, g: self.rethrowErrors(m, i, "updateGradInput", x, g))

    def backward(self, input, gradOutput, scale=1):
        return self._backward(input, gradOutput,
                              lambda i, m, x, g: self.rethrowErrors(m, i, "backward", x, g, scale))

    def accGradParameters(self, input, gradOutput, scale=1):
        for i, m in enumerate(self.modules):
            self.rethrowErrors(m, i, "accGradParameters", input, gradOutput[i], scale)

    def accUpdateGradParameters(self, input, gradOutput, lr):
        for i, m in enumerate(self.modules):
            self.rethrowErrors(m, i, "accUpdateGradParameters", input, gradOutput[i], lr)

    def __tostring__(self):
        return branch_str(self)
