"""nn.MultiCriterion(): weighted sum of criterions all applied to the same input and target."""
from ._criterion import WeightedSum
from . import utils


class MultiCriterion(WeightedSum):
    t7_storage_fields = (("weights", "torch.DoubleStorage"),)   # Torch7's is a storage

    def updateOutput(self, input, target):
        self.output = 0
        for c, w in zip(self.criterions, self.weights):
            self.output += w * c.updateOutput(input, target)
        return self.output

    def updateGradInput(self, input, target):
        self._zero_gradInput(input)
        for c, w in zip(self.criterions, self.weights):
            utils.recursive_add(self.gradInput, w, c.updateGradInput(input, target))
        return self.gradInput

    def type(self, typename=None, tensorCache=None):
        if typename is not None:
            self.gradInput = self.gradInput.new() if hasattr(self.gradInput, "new") else []
        return super().type(typename, tensorCache)
