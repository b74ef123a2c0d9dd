"""nn.SuperCriterion(): a weighted sum of criterions, each applied to its own entry of a table
input (add(criterion, weight=1)); the target is one per criterion (a table) or shared."""
from ..nn.Criterion import Criterion
from ..nn import utils


class SuperCriterion(Criterion):
    typename = "nn.SuperCriterion"

    def __init__(self):
        super().__init__()
        self.criterions = []
        self.weights = []
        self.gradInput = []

    def add(self, criterion, weight=None):
        self.criterions.append(criterion)
        self.weights.append(1 if weight is None else weight)
        return self

    def _targets(self, input, target):
        if not isinstance(input, (list, tuple)) or len(input) < len(self.criterions):
            utils.bad_input(self, "a table with one input per criterion (%d)" % len(self.criterions), input)
        if isinstance(target, (list, tuple)):
            return list(target)
        return [target] * len(self.criterions)

    def updateOutput(self, input, target):
        targets = self._targets(input, target)
        self.output = 0
        for i, c in enumerate(self.criterions):
            self.output += self.weights[i] * c.updateOutput(input[i], targets[i])
        return self.output

    def updateGradInput(self, input, target):
        targets = self._targets(input, target)
        self.gradInput = []
        for i, c in enumerate(self.criterions):
            g = input[i].new().resizeAs(input[i]).zero()
            g.add(self.weights[i], c.updateGradInput(input[i], targets[i]))
            self.gradInput.append(g)
        return self.gradInput
