"""nn.Bottle(module, nInputDim=2, nOutputDim=nInputDim): folds the leading dimensions of a larger
input into the first one, applies module, and unfolds the output."""
from ..tensor import Tensor
from .Container import Container


class Bottle(Container):
    def __init__(self, module, nInputDim=2, nOutputDim=None):
        super().__init__()
        self.nInputDim = nInputDim
        self.nOutputDim = nInputDim if nOutputDim is None else nOutputDim
        self.dimDelta = self.nInputDim - self.nOutputDim
        self.inShape = Tensor(self.nInputDim)
        self.outShape = Tensor(self.nOutputDim)
        self.modules.append(module)

    def _shape(self, t):
        return tuple(int(v) for v in t._a)

    def updateOutput(self, input):
        batch_dims = input.dim() - self.nInputDim + 1
        if batch_dims > 1:
            size = list(input._size)
            squeeze = 1
            for s in size[:batch_dims - 1]:
                squeeze *= s
            in_shape = [size[batch_dims - 1] * squeeze] + size[batch_dims:]
            self.inShape.resize(len(in_shape)).copy(Tensor(in_shape))
            out = self.modules[0].updateOutput(input.contiguous().view(*in_shape))
            if out.dim() != self.nOutputDim:
                raise ValueError("nn.Bottle: expected a %dD output from the inner module, got %dD"
                                 % (self.nOutputDim, out.dim()))
            self.outShape.resize(out.dim()).copy(Tensor(list(out._size)))
            new = size[:batch_dims - 1] + [out._size[0] // squeeze] + list(out._size[1:])
            self.output.set(out.view(*new))
        else:
            self.output.set(self.modules[0].updateOutput(input))
        return self.output

    def updateGradInput(self, input, gradOutput):
        m = self.modules[0]
        if input.dim() > self.nInputDim:
            m.updateGradInput(input.contiguous().view(*self._shape(self.inShape)),
                              gradOutput.contiguous().view(*self._shape(self.outShape)))
            self.gradInput.set(m.gradInput.view(*input._size))
        else:
            self.gradInput.set(m.updateGradInput(input, gradOutput))
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        m = self.modules[0]
        if input.dim() > self.nInputDim:
            m.accGradParameters(input.contiguous().view(*self._shape(self.inShape)),
                                gradOutput.contiguous().view(*self._shape(self.outShape)), scale)
        else:
            m.accGradParameters(input, gradOutput, scale)

    def accUpdateGradParameters(self, input, gradOutput, lr):
        m = self.modules[0]
        if input.dim() > self.nInputDim:
            m.accUpdateGradParameters(input.contiguous().view(*self._shape(self.inShape)),
                                      gradOutput.contiguous().view(*self._shape(self.outShape)), lr)
        else:
            m.accUpdateGradParameters(input, gradOutput, lr)
