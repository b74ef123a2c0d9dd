"""nn.Collapse(nInputDim): flattens each sample to a vector: an input with more than nInputDim
dims is a batch (input.size(0) x -1), otherwise the whole input becomes one vector."""
from .Module import Module


class Collapse(Module):
    def __init__(self, nInputDim):
        super().__init__()
        self.nInputDim = nInputDim

    def updateOutput(self, input):
        if not input.isContiguous():
            self._input = self.__dict__.get("_input") or input.new()
            self._input.resizeAs(input).copy(input)
            input = self._input
        if input.dim() > self.nInputDim:
            self.output = input.view(input.size(0), -1)
        else:
            self.output = input.view(-1)
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput = gradOutput.contiguous().view(*input._size)
        return self.gradInput

    def clearState(self):
        self.__dict__.pop("_input", None)
        return super().clearState()
