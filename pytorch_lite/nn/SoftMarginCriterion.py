"""nn.SoftMarginCriterion(sizeAverage=True): sum log(1 + exp(-y x)), targets +-1."""
import numpy as np

from ._criterion import SizeAveraged


class SoftMarginCriterion(SizeAveraged):
    def updateOutput(self, input, target):
        x, t = self._pair(input, target)
        self.output = self._average(float(np.sum(np.log(1 + np.exp(-t * x)))), x.size)
        return self.output

    def updateGradInput(self, input, target):
        x, t = self._pair(input, target, check=False)
        norm = self._average(1.0, x.size)
        z = np.exp(-t * x)
        self.gradInput.resizeAs(input)
        np.copyto(self.gradInput._a, -t * z / (1 + z) * norm)
        return self.gradInput
