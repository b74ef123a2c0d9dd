"""nngraph's helper modules: JustElement (the single element of a one-element table, used by
``node.split(1)``) and JustTable (wraps a non-table input in a table)."""
from ..nn.Module import Module


class JustElement(Module):
    typename = "nngraph.JustElement"

    def updateOutput(self, input):
        if len(input) != 1:
            from ..errors import TorchValueError
            raise TorchValueError("expecting one element")
        self.output = input[0]
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput = [gradOutput]
        return self.gradInput


class JustTable(Module):
    typename = "nngraph.JustTable"

    def updateOutput(self, input):
        self.output = input if isinstance(input, list) else [input]
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput = gradOutput if isinstance(input, list) else gradOutput[0]
        return self.gradInput
