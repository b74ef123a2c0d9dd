"""nn.AbsCriterion(sizeAverage=True): mean (or sum) of absolute differences."""
import numpy as np

from ._criterion import SizeAveraged
from . import utils


class AbsCriterion(SizeAveraged):
    def updateOutput(self, input, target):
        d = utils.diff(self, input, target)
        self.output = self._average(float(np.sum(np.abs(d))), d.size)
        return self.output

    def updateGradInput(self, input, target):
        d = utils.diff(self, input, target)
        norm = d.dtype.type(self._average(1.0, d.size))
        self.gradInput.resizeAs(input)
        np.copyto(self.gradInput._a, np.where(d >= 0, norm, -norm))
        return self.gradInput
