"""nn.SaturatedLU(th=-1, v=-1, th2=1, v2=1): input values below th become v, values above th2
become v2, the rest pass unchanged (gradient 1 there, 0 where saturated)."""
import numpy as np

from ..errors import TorchValueError
from ..nn.Module import Module
from ..nn import utils


class SaturatedLU(Module):
    typename = "nn.SaturatedLU"

    def __init__(self, th=None, v=None, th2=None, v2=None):
        super().__init__()
        for x in (th, v, th2, v2):
            if x is not None and (isinstance(x, bool) or not isinstance(x, (int, float))):
                raise TorchValueError("nn.SaturatedLU(lower-bound, value, upper-bound, value2)")
        self.threshold = -1.0 if th is None else th
        self.val = -1.0 if v is None else v
        self.threshold2 = 1.0 if th2 is None else th2
        self.val2 = 1.0 if v2 is None else v2

    def updateOutput(self, input):
        x = input._a
        self.output = input.clone()
        y = self.output._a
        y[x < self.threshold] = self.val
        y[y > self.threshold2] = self.val2   # nnx tests the second bound on the first's result
        return self.output

    def updateGradInput(self, input, gradOutput):
        utils.check_grad(self, input, gradOutput)
        self.gradInput = gradOutput.clone()
        g = self.gradInput._a.reshape(input._a.shape)
        g[(input._a < self.threshold) | (input._a > self.threshold2)] = 0
        return self.gradInput
