"""nn.SmoothL1Criterion(sizeAverage=True): Huber loss with threshold 1."""
import numpy as np

from ._criterion import SizeAveraged
from . import utils


class SmoothL1Criterion(SizeAveraged):
    def updateOutput(self, input, target):
        d = np.abs(utils.diff(self, input, target))
        self.output = self._average(float(np.sum(np.where(d < 1, 0.5 * d * d, d - 0.5))), d.size)
        return self.output

    def updateGradInput(self, input, target):
        d = utils.diff(self, input, target)
        norm = d.dtype.type(self._average(1.0, d.size))
        self.gradInput.resizeAs(input)
        np.copyto(self.gradInput._a, np.where(d < -1, -norm, np.where(d > 1, norm, norm * d)))
        return self.gradInput
