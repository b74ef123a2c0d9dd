"""nn.Convert(inputShape='b*', outputShape=inputShape): converts between data layouts named by
letters (b batch, f feature, c channel, h, w, t ...), e.g. Convert('bchw', 'bf') flattens images,
Convert('bhwc', 'bchw') transposes; a missing batch dim is added and removed around the
conversion.  The input is also copied to the module's tensor type when it has another.  The
converter module (Transpose, Reshape, Select, Identity) is built on the first forward.
inputBatchDim / outputBatchDim are 0-based (1-based in a t7 file)."""
from ..errors import TorchValueError
from ..tensor import Tensor
from .Container import Container


class Convert(Container):
    t7_index_fields = ("inputBatchDim", "outputBatchDim")
    converter = None

    def __init__(self, inputShape=None, outputShape=None):
        if outputShape and not inputShape:
            raise TorchValueError("Expecting non-nil arg 1 when arg 2 is provided")
        inputShape = inputShape or "b*"
        outputShape = outputShape or inputShape
        self.inputShape = inputShape if "b" in inputShape else "b" + inputShape
        self.outputShape = outputShape if "b" in outputShape else "b" + outputShape
        self.inputBatchDim = self.inputShape.index("b")
        self.outputBatchDim = self.outputShape.index("b")
        if self.inputShape == "b*" or self.outputShape == "b*":
            if not (self.inputShape == "b*" and self.outputShape == "b*"):
                raise TorchValueError("nn.Convert: both or neither shapes must be b*")
            self.nInputDim = self.nOutputDim = -1
            self.transposition = True
        else:
            self.nInputDim = len(self.inputShape)
            self.nOutputDim = len(self.outputShape)
            if self.nInputDim == self.nOutputDim:
                self.transposition = all(c in self.outputShape for c in self.inputShape)
        super().__init__()

    def _axis(self, c, shape=None):
        shape = shape or self.inputShape
        if c not in shape:
            raise TorchValueError("nn.Convert: provided shape '%s' has no axis '%s'" % (shape, c))
        return shape.index(c)

    def buildConverter(self, input):
        if self.__dict__.get("transposition"):
            self.converter = self.transpose(self.outputShape)
        else:
            build = getattr(self, self.outputShape, None) if self.outputShape in ("bf", "b", "bt", "default") else None
            if build is None:
                raise TorchValueError("Unrecognized conversion of shape %s to %s" % (self.inputShape, self.outputShape))
            self.converter = build(input)
        self.converter.type(self.output.typename)
        self.modules = [self.converter]

    def bf(self, input):
        from . import Reshape, Sequential, Transpose, Identity
        b = self._axis("b")
        dim = len(self.inputShape)
        if self.inputShape == "bt":
            raise TorchValueError("nn.Convert: conversion of shape bt to bf not supported")
        if dim == 1:
            return Reshape(1)
        mod = Transpose((0, b)) if b != 0 else None
        if dim > 2:
            reshape = Reshape(input.select(b, 0).nElement())
            mod = Sequential().add(mod).add(reshape) if mod is not None else reshape
        return mod or Identity()

    def b(self, input):
        from . import Select
        if self.inputShape in ("bt", "tb"):
            return Select(self._axis("t"), 0)
        if self.inputShape in ("bf", "fb"):
            f = self._axis("f")
            if input._size[f] > 1:
                raise TorchValueError("nn.Convert: cannot convert shape %s to b when feature > 1" % self.inputShape)
            return Select(f, 0)
        raise TorchValueError("nn.Convert: cannot convert shape %s to shape b" % self.inputShape)

    def default(self, input=None):
        from . import Identity
        return Identity()

    def bt(self, input=None):
        from . import Reshape
        if self.inputShape == "b":
            return Reshape(1)
        raise TorchValueError("nn.Convert: cannot convert shape '%s' to bt" % self.inputShape)

    def transpose(self, newShape):
        from . import Identity, Transpose
        if newShape == self.inputShape:
            return Identity()
        shape = list(self.inputShape)
        swaps = []
        for i, c in enumerate(newShape):
            j = shape.index(c)
            if i != j:
                shape[i], shape[j] = shape[j], shape[i]
                swaps.append((j, i))
        return Transpose(*swaps)

    def updateOutput(self, input):
        if not isinstance(input, Tensor):
            raise TorchValueError("nn.Convert: expecting a tensor")
        if input.typename != self.output.typename:
            if not isinstance(self.__dict__.get("_input"), Tensor):
                self._input = self.output.new()
            self._input.resize(*input._size).copy(input)
            input = self._input
        self.batchMode = True
        if input.dim() < self.nInputDim:
            size = list(input._size)
            size.insert(self.inputBatchDim, 1)
            input = self.__dict__["__input"] = input.view(*size)
            self.batchMode = False
        if self.converter is None:
            self.buildConverter(input)
        self.output = self.converter.updateOutput(input)
        if not self.batchMode:
            size = list(self.output._size)
            del size[self.outputBatchDim]
            self.output = self.__dict__["__output"] = self.output.view(*size) if size else self.output.view(1)
        return self.output

    def updateGradInput(self, input, gradOutput):
        orig = input
        input = self.__dict__.get("_input") if input.typename != self.output.typename else input
        if not self.batchMode:
            input = self.__dict__["__input"]
            gradOutput = gradOutput.contiguous().view(*self.converter.output._size)
        gradInput = self.converter.updateGradInput(input, gradOutput)
        if not self.batchMode:
            gradInput = gradInput.contiguous().view(*orig._size)
        if orig.typename != gradInput.typename:
            g = orig.new()
            g.resize(*gradInput._size).copy(gradInput)
            gradInput = g
        self.gradInput = gradInput
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        pass  # the converters have no parameters

    def type(self, typename=None, tensorCache=None):
        if typename is not None:
            for name in ("_input", "_gradInput", "__input", "__output", "__gradInput", "__gradOutput"):
                self.__dict__.pop(name, None)
        return super().type(typename, tensorCache)

    def __tostring__(self):
        return self.typename
