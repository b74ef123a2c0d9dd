"""nngraph's helper modules: JustElement (the single element of a one-element table, used by
``node.split(1)``), JustTable (wraps a non-table input in a table) and ModuleFromCriterion (a
criterion called on graph nodes)."""
from ..nn.Module import Module
from ..nn import utils
from ..tensor import Tensor


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


class ModuleFromCriterion(Module):
    """A criterion as a module (nngraph's ModuleFromCriterion): the input is a {prediction,
    target} pair, the output a one-element tensor holding the criterion's value.  The gradient
    of the prediction is the criterion's gradInput times gradOutput[0]; the target's is zero.
    ``criterion(node_pair)`` on graph nodes builds one of these (nngraph's Criterion.__call__)."""
    typename = "nn.ModuleFromCriterion"

    def __init__(self, criterion):
        super().__init__()
        self.criterion = criterion
        self.output = Tensor(1)
        self.gradInput = [Tensor(), Tensor()]

    @staticmethod
    def _pair(input):
        if not isinstance(input, (list, tuple)) or len(input) != 2:
            from ..errors import TorchValueError
            raise TorchValueError("nn.ModuleFromCriterion: expecting a {prediction, target} table as input")
        return input[0], input[1]

    def updateOutput(self, input):
        prediction, target = self._pair(input)
        if not isinstance(self.output, Tensor) or self.output.nElement() != 1:
            self.output = Tensor(1)
        self.output[0] = float(self.criterion.updateOutput(prediction, target))
        return self.output

    def updateGradInput(self, input, gradOutput):
        prediction, target = self._pair(input)
        g = self.criterion.updateGradInput(prediction, target)
        scale = float(gradOutput[0]) if isinstance(gradOutput, Tensor) else float(gradOutput)
        if not isinstance(self.gradInput, list) or len(self.gradInput) != 2:
            self.gradInput = [Tensor(), Tensor()]
        if isinstance(g, list):
            gi = self.gradInput[0] if isinstance(self.gradInput[0], list) else []
            gi = (gi + [p.new() for p in g[len(gi):]])[:len(g)]
            for d, s in zip(gi, g):
                d.resizeAs(s).copy(s).mul(scale)
            self.gradInput[0] = gi
        else:
            if not isinstance(self.gradInput[0], Tensor) or self.gradInput[0].typename != g.typename:
                self.gradInput[0] = g.new()
            self.gradInput[0].resizeAs(g).copy(g).mul(scale)
        self.gradInput[1] = utils.recursive_resize_as(self.gradInput[1], target)
        utils.recursive_fill(self.gradInput[1], 0)
        return self.gradInput
