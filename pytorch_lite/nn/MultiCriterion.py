"""nn.MultiCriterion(): weighted sum of criterions all applied to the same input and target."""
from .Criterion import Criterion
from . import utils


class MultiCriterion(Criterion):
    def __init__(self):
        super().__init__()
        self.criterions = []
        self.weights = []

    def add(self, criterion, weight=1):
        self.criterions.append(criterion)
        self.weights.append(weight)
        return self

    def updateOutput(self, input, target):
        self.output = 0
        for c, w in zip(self.criterions, self.weights):
            self.output += w * c.updateOutput(input, target)
        return self.output

    def updateGradInput(self, input, target):
        self.gradInput = utils.recursive_resize_as(self.gradInput, input)
        utils.recursive_fill(self.gradInput, 0)
        for c, w in zip(self.criterions, self.weights):
            utils.recursive_add(self.gradInput, w, c.updateGradInput(input, target))
        return self.gradInput

    def type(self, typename=None, tensorCache=None):
        if typename is not None:
            self.gradInput = self.gradInput.new() if hasattr(self.gradInput, "new") else []
        return super().type(typename, tensorCache)
