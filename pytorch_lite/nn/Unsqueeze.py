"""nn.Unsqueeze(pos, numInputDims=None): inserts a size-1 dimension at pos (0-based); with
numInputDims, pos counts within the last numInputDims dimensions (the others are batch)."""
from ..errors import TorchValueError
from .Module import Module


class Unsqueeze(Module):
    t7_index_fields = ("pos",)
    # Torch7 fields that may be nil (absent from a t7 file): their defaults
    numInputDims = None

    def __init__(self, pos, numInputDims=None):
        super().__init__()
        self.pos = pos
        self.numInputDims = numInputDims

    def setNumInputDims(self, n):
        self.numInputDims = n
        return self

    def updateOutput(self, input):
        if self.numInputDims is None:   # as Torch7: the first input's dimension count sticks
            self.numInputDims = input.dim()
        if input.dim() < self.numInputDims:
            raise TorchValueError("nn.Unsqueeze: input feature map dim (numInputDims) must be <= input:dim()")
        p = self.pos + input.dim() - self.numInputDims   # past all the leading batch dimensions
        self.output = input.unsqueeze(p) if p <= input.dim() else input.view(*(input._size + (1,)))
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput = gradOutput.contiguous().view(*input._size)
        return self.gradInput
