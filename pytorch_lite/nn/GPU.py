"""nn.GPU(module, device, outdevice=device): runs module on GPU ``device`` and hands the output
to ``outdevice`` (cutorch device numbers, kept as Torch7 wrote them).

This is the CPU-only behaviour of Torch7's nn.GPU: with no Cuda tensor type in the module (the
only case without cutorch) every call goes straight to the module, as Torch7 does then."""
from ..errors import TorchTypeError
from .Container import Container
from .Module import Module


class GPU(Container):
    def __init__(self, module, device, outdevice=None):
        super().__init__()
        if isinstance(device, bool) or not isinstance(device, (int, float)):
            raise TorchTypeError("nn.GPU: device must be a number, got %s" % type(device).__name__)
        if not isinstance(module, Module):
            raise TorchTypeError("nn.GPU: expected an nn.Module, got %s" % type(module).__name__)
        self.device = device
        self.outdevice = outdevice or device
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
        raise TorchTypeError("Not Implemented for %s" % self.typename)

    def __tostring__(self):
        inner = self.modules[0]
        shown = inner.__tostring__() if hasattr(inner, "__tostring__") else inner.typename
        return "%s(%s) @ %s" % (self.typename, "%g" % self.device, shown)
