"""nn.Transpose((d1, d2), ...): swaps dimension pairs in order (0-based)."""
from .Module import Module


class Transpose(Module):
    t7_index_fields = ("permutations",)
    # Torch7 fields that may be nil (absent from a t7 file): their defaults
    numInputDims = None

    def __init__(self, *permutations):
        super().__init__()
        self.permutations = [list(p) for p in permutations]
        self.numInputDims = None

    def setNumInputDims(self, n):
        self.numInputDims = n
        return self

    def _shift(self, input):
        return 1 if self.numInputDims is not None and input.dim() > self.numInputDims else 0

    def updateOutput(self, input):
        k = self._shift(input)
        for a, b in self.permutations:
            input = input.transpose(a + k, b + k)
        self.output.resizeAs(input).copy(input)
        return self.output

    def updateGradInput(self, input, gradOutput):
        k = self._shift(input)
        for a, b in reversed(self.permutations):
            gradOutput = gradOutput.transpose(a + k, b + k)
        self.gradInput.resizeAs(gradOutput).copy(gradOutput)
        return self.gradInput
