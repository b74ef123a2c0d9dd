"""nn.Identity(): output is the input itself, gradInput the gradOutput itself."""
from .Module import Module


class Identity(Module):
    def updateOutput(self, input):
        self.output = input
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput = gradOutput
        return self.gradInput

    def clearState(self):
        self.output = None if not hasattr(self.output, "new") else self.output.new()
        self.gradInput = None if not hasattr(self.gradInput, "new") else self.gradInput.new()
        return self
