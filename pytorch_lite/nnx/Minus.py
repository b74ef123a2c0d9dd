"""nn.Minus(): output = -input."""
import numpy as np

from ..nn.Module import Module
from ..nn import utils


class Minus(Module):
    typename = "nn.Minus"

    def updateOutput(self, input):
        self.output.resizeAs(input)
        np.negative(input._a, out=self.output._a)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        utils.check_grad(self, input, gradOutput)
        self.gradInput.resizeAs(input)
        np.negative(gradOutput._a.reshape(self.gradInput._a.shape), out=self.gradInput._a)
        return self.gradInput
