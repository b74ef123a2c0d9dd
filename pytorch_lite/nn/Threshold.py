"""nn.Threshold(th=1e-6, v=0, ip=False): y = x if x > th else v."""
import numpy as np

from ..errors import TorchValueError
from .Module import Module
from . import utils


class Threshold(Module):
    inplace = False

    def __init__(self, th=1e-6, v=0, ip=False):
        super().__init__()
        self.threshold = th
        self.val = v
        self.inplace = ip
        self.validateParameters()

    def validateParameters(self):
        self.inplace = bool(self.inplace)
        if self.inplace and self.val > self.threshold:
            raise TorchValueError("%s: in-place processing requires value (%g) not exceed threshold (%g)"
                                  % (self.typename, self.val, self.threshold))

    def updateOutput(self, input):
        self.validateParameters()
        x = input._a
        if self.inplace:
            np.copyto(x, self.val, where=~(x > self.threshold))
            self.output.set(input)
        else:
            self.output.resizeAs(input)
            np.copyto(self.output._a, np.where(x > self.threshold, x, x.dtype.type(self.val)))
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.validateParameters()
        utils.check_grad(self, input, gradOutput)
        g = gradOutput._a.reshape(input._a.shape)
        # in place, the input holds the output already: compare with it (TH does the same)
        mask = ~(input._a > self.threshold)
        if self.inplace:
            np.copyto(g, 0, where=mask)
            self.gradInput.set(gradOutput)
        else:
            self.gradInput.resizeAs(input)
            np.copyto(self.gradInput._a, np.where(mask, 0, g))
        return self.gradInput
