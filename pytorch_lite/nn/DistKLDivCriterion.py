"""nn.DistKLDivCriterion(sizeAverage=True): KL divergence; input holds log-probabilities."""
import numpy as np

from ._criterion import SizeAveraged


class DistKLDivCriterion(SizeAveraged):
    def updateOutput(self, input, target):
        x, t = self._pair(input, target)
        with np.errstate(divide="ignore", invalid="ignore"):
            s = float(np.sum(np.where(t > 0, t * (np.log(np.where(t > 0, t, 1)) - x), 0)))
        self.output = self._average(s, x.size)
        return self.output

    def updateGradInput(self, input, target):
        x, t = self._pair(input, target, check=False)
        norm = x.dtype.type(self._average(1.0, x.size))
        self.gradInput.resizeAs(input)
        np.copyto(self.gradInput._a, np.where(t > 0, -norm * t, 0))
        return self.gradInput
