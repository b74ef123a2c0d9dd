"""nn.AddConstant(constant, ip=False): y = x + constant."""
import numpy as np

from ._pointwise import ConstantOp
from . import utils


class AddConstant(ConstantOp):
    op = np.add

    def updateGradInput(self, input, gradOutput):
        utils.check_grad(self, input, gradOutput)
        if self.inplace:
            self.gradInput.set(gradOutput)
            input._a[...] -= self.constant_scalar
        else:
            self.gradInput.resizeAs(gradOutput).copy(gradOutput)
        return self.gradInput
