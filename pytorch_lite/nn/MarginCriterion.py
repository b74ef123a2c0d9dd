"""nn.MarginCriterion(margin=1, sizeAverage=True): two-class hinge loss, targets +-1."""
import numpy as np

from ._criterion import SizeAveraged


class MarginCriterion(SizeAveraged):
    def __init__(self, margin=1, sizeAverage=True):
        super().__init__(sizeAverage, margin=margin)

    def updateOutput(self, input, target):
        x, t = self._pair(input, target)
        self.output = self._average(float(np.sum(np.maximum(0, self.margin - x * t))), x.size)
        return self.output

    def updateGradInput(self, input, target):
        x, t = self._pair(input, target, check=False)
        norm = self._average(1.0, x.size)
        self.gradInput.resizeAs(input)
        np.copyto(self.gradInput._a, np.where(x * t < self.margin, -norm * t, 0))
        return self.gradInput
