"""nn.MSECriterion(sizeAverage=True): mean (or sum) of squared differences."""
import numpy as np

from ._criterion import SizeAveraged
from . import utils


class MSECriterion(SizeAveraged):
    def updateOutput(self, input, target):
        d = utils.diff(self, input, target)
        self.output = self._average(float(np.sum(d * d)), d.size)
        return self.output

    def updateGradInput(self, input, target):
        d = utils.diff(self, input, target)
        self.gradInput.resizeAs(input)
        np.multiply(d, d.dtype.type(self._average(2.0, d.size)), out=self.gradInput._a)
        return self.gradInput
