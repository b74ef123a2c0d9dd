"""nn.CriterionTable(criterion): a criterion as a module; input {input, target} -> the loss."""
from .Module import Module
from . import utils


class CriterionTable(Module):
    def __init__(self, criterion):
        super().__init__()
        self.criterion = criterion
        self.gradInput = [criterion.gradInput]

    def _check(self, input):
        if not utils.is_table(input) or len(input) != 2:
            utils.bad_input(self, "a table {input, target}", input)

    def updateOutput(self, input):
        self._check(input)
        self.output = self.criterion.updateOutput(*input)
        return self.output

    def updateGradInput(self, input, gradOutput=None):
        self._check(input)
        self.criterion.updateGradInput(*input)
        self.gradInput = [self.criterion.gradInput]
        return self.gradInput

    def backward(self, input, gradOutput=None, scale=1):
        return self.updateGradInput(input, gradOutput)
