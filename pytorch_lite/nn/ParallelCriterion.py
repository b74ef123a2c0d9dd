"""nn.ParallelCriterion(repeatTarget=False): weighted sum of criterions, the i-th on input[i]
(and target[i], or the whole target when repeatTarget)."""
from .Criterion import Criterion
from . import utils


class ParallelCriterion(Criterion):
    # Torch7 fields that may be nil (absent from a t7 file): their defaults
    repeatTarget = False

    def __init__(self, repeatTarget=False):
        super().__init__()
        self.criterions = []
        self.weights = []
        self.gradInput = []
        self.repeatTarget = repeatTarget

    def add(self, criterion, weight=1):
        self.criterions.append(criterion)
        self.weights.append(weight)
        return self

    def updateOutput(self, input, target):
        self.output = 0
        for i, c in enumerate(self.criterions):
            t = target if self.repeatTarget else target[i]
            self.output += self.weights[i] * c.updateOutput(input[i], t)
        return self.output

    def updateGradInput(self, input, target):
        self.gradInput = utils.recursive_resize_as(self.gradInput, input)
        utils.recursive_fill(self.gradInput, 0)
        for i, c in enumerate(self.criterions):
            t = target if self.repeatTarget else target[i]
            utils.recursive_add(self.gradInput[i], self.weights[i], c.updateGradInput(input[i], t))
        return self.gradInput

    def type(self, typename=None, tensorCache=None):
        if typename is not None:
            self.gradInput = []
        return super().type(typename, tensorCache)
