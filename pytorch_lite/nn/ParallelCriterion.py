"""nn.ParallelCriterion(repeatTarget=False): weighted sum of criterions, the i-th on input[i]
(and target[i], or the whole target when repeatTarget)."""
from ._criterion import WeightedSum
from . import utils


class ParallelCriterion(WeightedSum):
    # Torch7 fields that may be nil (absent from a t7 file): their defaults
    repeatTarget = False

    def __init__(self, repeatTarget=False):
        super().__init__()
        self.gradInput = []
        self.repeatTarget = repeatTarget

    def updateOutput(self, input, target):
        self.output = 0
        for i, c in enumerate(self.criterions):
            t = target if self.repeatTarget else target[i]
            self.output += self.weights[i] * c.updateOutput(input[i], t)
        return self.output

    def updateGradInput(self, input, target):
        self._zero_gradInput(input)
        for i, c in enumerate(self.criterions):
            t = target if self.repeatTarget else target[i]
            utils.recursive_add(self.gradInput[i], self.weights[i], c.updateGradInput(input[i], t))
        return self.gradInput

    def type(self, typename=None, tensorCache=None):
        if typename is not None:
            self.gradInput = []
        return super().type(typename, tensorCache)
