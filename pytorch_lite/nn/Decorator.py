"""nn.Decorator(module): a container of one module that forwards every call to it; the base of
decorators that add behaviour around a module (nn.NaN, nn.WeightNorm-like wrappers)."""
from .Container import Container


class Decorator(Container):
    def __init__(self, module):
        super().__init__()
        self.modules = [module]

    def updateOutput(self, input):
        self.output = self.modules[0].updateOutput(input)
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput = self.modules[0].updateGradInput(input, gradOutput)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        self.modules[0].accGradParameters(input, gradOutput, scale)

    def accUpdateGradParameters(self, input, gradOutput, lr):
        self.modules[0].accUpdateGradParameters(input, gradOutput, lr)

    def sharedAccUpdateGradParameters(self, input, gradOutput, lr):
        self.modules[0].sharedAccUpdateGradParameters(input, gradOutput, lr)

    def __tostring__(self):
        return "%s @ %s" % (self.typename, self.modules[0])
