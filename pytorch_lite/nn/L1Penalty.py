"""nn.L1Penalty(l1weight, sizeAverage=False, provideOutput=True): the identity forward that
records loss = l1weight * |x|_1 (/ nElement); backward adds the penalty's gradient
l1weight * sign(x) to gradOutput (or gives it alone when provideOutput is false)."""
import numpy as np

from .Module import Module
from . import utils


class L1Penalty(Module):
    def __init__(self, l1weight, sizeAverage=False, provideOutput=True):
        super().__init__()
        self.l1weight = l1weight
        self.sizeAverage = sizeAverage or False
        self.provideOutput = True if provideOutput is None else provideOutput

    def _m(self, input):
        return self.l1weight / input.nElement() if self.sizeAverage is True else self.l1weight

    def updateOutput(self, input):
        self.loss = self._m(input) * float(np.abs(input._a).sum())
        self.output.set(input)
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput.resizeAs(input)
        g = np.sign(input._a) * self._m(input)
        if self.provideOutput is True:
            utils.check_grad(self, input, gradOutput)
            g = g + gradOutput._a.reshape(g.shape)
        self.gradInput._a[...] = g
        return self.gradInput
