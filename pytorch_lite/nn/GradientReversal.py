"""nn.GradientReversal(lambda=1): the identity forward; backward multiplies the gradient by
-lambda (domain-adversarial training).  The Torch7 field is named ``lambda``."""
from .Module import Module
from . import utils


class GradientReversal(Module):
    def __init__(self, lambda_=1):
        super().__init__()
        self.__dict__["lambda"] = lambda_

    def setLambda(self, lambda_):
        self.__dict__["lambda"] = lambda_
        return self

    def updateOutput(self, input):
        self.output.set(input)
        return self.output

    def updateGradInput(self, input, gradOutput):
        utils.check_grad(self, input, gradOutput)
        self.gradInput.resizeAs(gradOutput).copy(gradOutput)
        self.gradInput._a[...] *= -self.__dict__.get("lambda", 1)
        return self.gradInput
