"""nn.DontCast(module, castin=False, castout=castin, moduleType=None): a decorator whose module
keeps its tensor type when the container is converted with type()/float()/double(); with castin
the input (and gradInput back) and with castout the output (and gradOutput) are copied between
the caller's type and the module's (moduleType, found from the module when not given)."""
from ..errors import TorchValueError
from ..tensor import Tensor, TENSOR_TYPES
from .Decorator import Decorator


def _copy(dst, src, typename):
    if isinstance(src, (list, tuple)):
        dst = list(dst) if isinstance(dst, list) else []
        del dst[len(src):]
        for i, v in enumerate(src):
            if i < len(dst):
                dst[i] = _copy(dst[i], v, typename)
            else:
                dst.append(_copy(None, v, typename))
        return dst
    if isinstance(src, Tensor):
        if not isinstance(dst, Tensor) or dst.typename != typename:
            dst = TENSOR_TYPES[typename]()
        dst.resize(*src._size)
        if src.nElement():
            dst.copy(src)
        return dst
    return dst


def _type_of(x):
    """(tensor type name, found) of the first tensor in a nested table."""
    if isinstance(x, (list, tuple)):
        for v in x:
            t, found = _type_of(v)
            if found:
                return t, True
        return None, False
    if isinstance(x, Tensor):
        return x.typename, True
    return type(x).__name__, False


class DontCast(Decorator):
    castin = castout = moduleType = None

    def __init__(self, module, castin=None, castout=None, moduleType=None):
        super().__init__(module)
        self.castin = castin
        self.castout = castin if castout is None else castout
        self.moduleType = moduleType
        if (self.castin or self.castout) and not self.moduleType:
            t, found = _type_of(module.output)
            if not found:
                t, found = _type_of(module.parameters()[0])
            if not found:
                raise TorchValueError("nn.DontCast: cannot extrapolate moduleType; provide argument 4")
            self.moduleType = t

    def updateOutput(self, input):
        if self.castin and _type_of(input)[0] != self.moduleType:
            self._input = _copy(self.__dict__.get("_input"), input, self.moduleType)
            input = self._input
        output = self.modules[0].updateOutput(input)
        if self.castout:
            self.output = _copy(self.output, output, _type_of(self.output)[0])
        else:
            self.output = output
        return self.output

    def _io(self, input, gradOutput):
        if self.castin and _type_of(input)[0] != self.moduleType:
            input = self._input
        if self.castout and _type_of(gradOutput)[0] != self.moduleType:
            gradOutput = self._gradOutput
        return input, gradOutput

    def updateGradInput(self, input, gradOutput):
        if self.castin and _type_of(input)[0] != self.moduleType:
            input = self._input
        if self.castout and _type_of(gradOutput)[0] != self.moduleType:
            self._gradOutput = _copy(self.__dict__.get("_gradOutput"), gradOutput, self.moduleType)
            gradOutput = self._gradOutput
        gradInput = self.modules[0].updateGradInput(input, gradOutput)
        if self.castin:
            self.gradInput = _copy(self.gradInput, gradInput, _type_of(self.gradInput)[0])
        else:
            self.gradInput = gradInput
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        self.modules[0].accGradParameters(*self._io(input, gradOutput), scale)

    def accUpdateGradParameters(self, input, gradOutput, lr):
        self.modules[0].accUpdateGradParameters(*self._io(input, gradOutput), lr)

    def type(self, typename=None, tensorCache=None):
        """The essence of DontCast: only the output/gradInput buffers that are cast change type."""
        if typename is None:
            return self.__dict__.get("_type")
        if isinstance(typename, type):
            typename = typename.typename
        if self.castout and _type_of(self.output)[0] != typename:
            self.output = _copy(None, self.output, typename)
        if self.castin and _type_of(self.gradInput)[0] != typename:
            self.gradInput = _copy(None, self.gradInput, typename)
        return self
