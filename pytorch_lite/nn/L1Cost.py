"""nn.L1Cost(): sum |x| (the target is ignored)."""
import numpy as np

from .Criterion import Criterion


class L1Cost(Criterion):
    def updateOutput(self, input, target=None):
        self.output = float(np.sum(np.abs(input._a)))
        return self.output

    def updateGradInput(self, input, target=None):
        self.gradInput.resizeAs(input)
        np.sign(input._a, out=self.gradInput._a)
        return self.gradInput
