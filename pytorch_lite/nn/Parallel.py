"""nn.Parallel(inputDimension, outputDimension): module i gets input.select(inputDimension, i);
outputs are joined along outputDimension (both 0-based in Python)."""
from .Container import Container, branch_str
from . import utils


class Parallel(Container):
    t7_index_fields = ("inputDimension", "outputDimension")
    t7_storage_fields = (("totalOutputSize", "torch.LongStorage"),)

    def __init__(self, inputDimension, outputDimension):
        super().__init__()
        self.inputDimension = inputDimension
        self.outputDimension = outputDimension

    def updateOutput(self, input):
        n = input.size(self.inputDimension)
        if n > len(self.modules):
            utils.bad_input(self, "at most %d slices along dimension %d" % (len(self.modules), self.inputDimension),
                            input)
        outs = [self.rethrowErrors(self.modules[i], i, "updateOutput", input.select(self.inputDimension, i))
                for i in range(n)]
        d = self.outputDimension
        size = list(outs[0]._size)
        for o in outs[1:]:
            size[d] += o._size[d]
        self.totalOutputSize = size   # Torch7 keeps the last output's size
        self.output.resize(*size)
        off = 0
        for o in outs:
            self.output.narrow(d, off, o._size[d]).copy(o)
            off += o._size[d]
        return self.output

    def _each(self, input, gradOutput, fn):
        off = 0
        for i in range(input.size(self.inputDimension)):
            m = self.modules[i]
            k = m.output._size[self.outputDimension]
            fn(i, m, input.select(self.inputDimension, i), gradOutput.narrow(self.outputDimension, off, k))
            off += k

    def updateGradInput(self, input, gradOutput):
        self.gradInput.resizeAs(input)

        def f(i, m, x, g):
            gi = self.rethrowErrors(m, i, "updateGradInput", x, g)
            self.gradInput.select(self.inputDimension, i).copy(gi)
        self._each(input, gradOutput, f)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        self._each(input, gradOutput,
                   lambda i, m, x, g: self.rethrowErrors(m, i, "accGradParameters", x, g, scale))

    def accUpdateGradParameters(self, input, gradOutput, lr):
        self._each(input, gradOutput,
                   lambda i, m, x, g: self.rethrowErrors(m, i, "accUpdateGradParameters", x, g, lr))

    def __tostring__(self):
        return branch_str(self)
