"""nn.PrintSize(prefix='PrintSize'): the identity that prints the size of its input in forward
and of its gradOutput in backward (a debugging module)."""
from .Module import Module
from . import utils


class PrintSize(Module):
    def __init__(self, prefix=None):
        super().__init__()
        self.prefix = prefix or "PrintSize"

    def updateOutput(self, input):
        self.output = input
        print("%s.input: %s" % (self.prefix, utils.shape_str(input)))
        return self.output

    def updateGradInput(self, input, gradOutput):
        print("%s.gradOutput: %s" % (self.prefix, utils.shape_str(gradOutput)))
        self.gradInput = gradOutput
        return self.gradInput
