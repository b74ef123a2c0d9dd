"""nn.Contiguous(): passes the input on, copied into contiguous memory when it is not already."""
from ..tensor import Tensor
from .Module import Module
from . import utils


class Contiguous(Module):
    # a view of a contiguous input (never the input object itself, so clearState cannot empty it);
    # otherwise a fresh contiguous copy (the last output may be a view of an earlier input)
    def updateOutput(self, input):
        if not isinstance(input, Tensor):
            utils.bad_input(self, "a tensor", input)
        self.output = input.new().set(input) if input.isContiguous() else input.clone()
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput = gradOutput.new().set(gradOutput) if gradOutput.isContiguous() else gradOutput.clone()
        return self.gradInput
