"""nn.ZeroGrad(): the identity forward; no gradient flows back (gradInput is zeros)."""
from .Module import Module


class ZeroGrad(Module):
    def updateOutput(self, input):
        self.output.set(input)
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput.resizeAs(input).zero()
        return self.gradInput
