"""nn.Concat(dimension): every module gets the same input; outputs are joined along dimension
(0-based in Python)."""
from ..tensor import Tensor
from .Container import Container, branch_str
from . import utils


class Concat(Container):
    t7_index_fields = ("dimension",)
    t7_storage_fields = (("outputSize", "torch.LongStorage"),)

    def __init__(self, dimension):
        super().__init__()
        self.dimension = dimension
        self.outputSize = []   # the last output's size (Torch7 keeps it)

    def _check_dim(self, out):
        if not isinstance(out, Tensor) or not 0 <= self.dimension < out.dim():
            utils.bad_input(self, "module outputs with a dimension %d (0-based)" % self.dimension, out)

    def updateOutput(self, input):
        outs = [self.rethrowErrors(m, i, "updateOutput", input) for i, m in enumerate(self.modules)]
        d = self.dimension
        self._check_dim(outs[0])
        size = list(outs[0]._size)
        for o in outs[1:]:
            self._check_dim(o)
            size[d] += o._size[d]
        self.outputSize = size
        self.output.resize(*size)
        off = 0
        for o in outs:
            self.output.narrow(d, off, o._size[d]).copy(o)
            off += o._size[d]
        return self.output

    def _backward(self, input, gradOutput, fn, *extra):
        self.gradInput.resizeAs(input)
        off = 0
        first = True
        for i, m in enumerate(self.modules):
            n = m.output._size[self.dimension]
            g = fn(i, m, input, gradOutput.narrow(self.dimension, off, n), *extra)
            if g is not None:
                if first:
                    self.gradInput.copy(g)
                    first = False
                else:
                    self.gradInput._a[...] += g._a.reshape(self.gradInput._a.shape)
            off += n
        return self.gradInput

    def updateGradInput(self, input, gradOutput):
        return self._backward(input, gradOutput,
                              lambda i, m, x, g: self.rethrowErrors(m, i, "updateGradInput", x, g))

    def backward(self, input, gradOutput, scale=1):
        return self._backward(input, gradOutput,
                              lambda i, m, x, g: self.rethrowErrors(m, i, "backward", x, g, scale))

    def accGradParameters(self, input, gradOutput, scale=1):
        off = 0
        for i, m in enumerate(self.modules):
            n = m.output._size[self.dimension]
            g = gradOutput.narrow(self.dimension, off, n)
            self.rethrowErrors(m, i, "accGradParameters", input, g, scale)
            off += n

    def accUpdateGradParameters(self, input, gradOutput, lr):
        off = 0
        for i, m in enumerate(self.modules):
            n = m.output._size[self.dimension]
            g = gradOutput.narrow(self.dimension, off, n)
            self.rethrowErrors(m, i, "accUpdateGradParameters", input, g, lr)
            off += n

    def __tostring__(self):
        return branch_str(self)
