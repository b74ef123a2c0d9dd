"""nn.MulConstant(constant, ip=False): y = constant * x."""
import numpy as np

from ._pointwise import ConstantOp
from . import utils


class MulConstant(ConstantOp):
    op = np.multiply

    def updateGradInput(self, input, gradOutput):
        utils.check_grad(self, input, gradOutput)
        if self.gradInput is None:
            return None
        if self.inplace:
            gradOutput._a[...] *= self.constant_scalar
            self.gradInput.set(gradOutput)
            input._a[...] /= self.constant_scalar  # restore the input, as Torch7 does
        else:
            self.gradInput.resizeAs(gradOutput)
            np.multiply(gradOutput._a, gradOutput.dtype.type(self.constant_scalar), out=self.gradInput._a)
        return self.gradInput
