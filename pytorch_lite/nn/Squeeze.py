"""nn.Squeeze(dim=None, numInputDims=None): drops size-1 dimensions (all, or dim, 0-based)."""
from .Module import Module


class Squeeze(Module):
    t7_index_fields = ("dim",)
    # Torch7 fields that may be nil (absent from a t7 file): their defaults
    dim = None
    numInputDims = None

    def __init__(self, dim=None, numInputDims=None):
        super().__init__()
        self.dim = dim
        self.numInputDims = numInputDims

    def updateOutput(self, input):
        d = self.dim
        if d is not None and self.numInputDims is not None and input.dim() > self.numInputDims:
            d += 1
        self.output = input.squeeze() if d is None else input.squeeze(d)
        if d is None and input.nElement() == 1 and input.dim() >= 1:
            self.output = input.view(1)
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput = gradOutput.contiguous().view(*input._size)
        return self.gradInput
