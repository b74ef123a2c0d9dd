"""nn.CReLU(nInputDims, inplace=False): concatenated ReLU, [relu(x), relu(-x)] joined along the
feature dim (Shang et al. 2016); a Sequential of ConcatTable(Identity, MulConstant(-1)),
JoinTable and ReLU over the flattened sample, so the feature dim doubles."""
from .Sequential import Sequential
from .ConcatTable import ConcatTable
from .Identity import Identity
from .MulConstant import MulConstant
from .JoinTable import JoinTable
from .ReLU import ReLU


class CReLU(Sequential):
    def __init__(self, nInputDims, inplace=False):
        super().__init__()
        self.nInputDims = nInputDims
        self.inplace = inplace or False
        self.add(ConcatTable().add(Identity()).add(MulConstant(-1)))
        self.add(JoinTable(1))
        self.add(ReLU(self.inplace))

    def _flat(self, input, t):
        if input.dim() == self.nInputDims + 1:
            return t.contiguous().view(input.size(0), -1)
        return t.contiguous().view(1, -1)

    def updateOutput(self, input):
        super().updateOutput(self._flat(input, input))
        osize = list(input._size)
        osize[1 if input.dim() == self.nInputDims + 1 else 0] *= 2
        self.output = self.output.view(*osize)
        return self.output

    def backward(self, input, gradOutput, scale=1):
        return self.updateGradInput(input, gradOutput)

    def updateGradInput(self, input, gradOutput):
        super().updateGradInput(self._flat(input, input), self._flat(input, gradOutput))
        self.gradInput = self.gradInput.view(*input._size)
        return self.gradInput

    def __tostring__(self):
        return "CReLU()"
