"""nn.Copy(intype=None, outtype=None, forceCopy=False, dontCast=False): converts the input to outtype and
the gradient back to intype."""
from ..tensor import TENSOR_TYPES
from .Module import Module


class Copy(Module):
    # Torch7 fields that may be nil (absent from a t7 file): their defaults
    dontCast = False
    forceCopy = False

    def __init__(self, intype=None, outtype=None, forceCopy=False, dontCast=False):
        from .. import getdefaulttensortype
        super().__init__()
        intype = intype or getdefaulttensortype()   # torch.Tensor's type, as Torch7
        outtype = outtype or getdefaulttensortype()
        self.dontCast = dontCast
        self.gradInput = TENSOR_TYPES[intype]()
        self.output = TENSOR_TYPES[outtype]()
        self._passThrough = not forceCopy and intype == outtype

    def updateOutput(self, input):
        if self.__dict__.get("_passThrough"):
            self.output = input
            return input
        self.output.resize(*input._size).copy(input)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.__dict__.get("_passThrough"):
            self.gradInput = gradOutput
            return gradOutput
        self.gradInput.resize(*gradOutput._size).copy(gradOutput)
        return self.gradInput

    def type(self, typename=None, tensorCache=None):
        if typename is not None and self.dontCast:
            return self
        return super().type(typename, tensorCache)
