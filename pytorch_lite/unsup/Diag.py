"""nn.Diag(nFeature): multiplies each feature (the first dim of the input: an element of a vector,
a plane of a 3D map) by its own learnable gain, initialised to 1 (unsup defines it in nn).

With nn.hessian enabled it also gives diagonal Hessian estimates, as a linear module."""
import numpy as np

from ..nn import hessian
from ..nn.Module import Module
from ..nn import utils
from ..tensor import Tensor


class Diag(Module):
    typename = "nn.Diag"

    def __init__(self, nFeature):
        super().__init__()
        self.weight = Tensor(int(nFeature))
        self.gradWeight = Tensor(int(nFeature)).zero()
        self.reset()

    def reset(self, stdv=None):
        self.weight.fill(1)
        return self

    def _gains(self, x):
        """The weight shaped to scale x's first dim (a vector: elementwise)."""
        n = x._size[0] if x.dim() else 0
        if x.dim() == 0 or n > self.weight.nElement() or (x.dim() == 1 and n != self.weight.nElement()):
            utils.bad_input(self, "a tensor whose first dim has at most %d features" % self.weight.nElement(), x)
        w = self.weight._a[:n]
        return w.reshape((n,) + (1,) * (x.dim() - 1))

    def updateOutput(self, input):
        w = self._gains(input)
        self.output.resizeAs(input)
        np.multiply(input._a, w, out=self.output._a)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        w = self._gains(input)
        self.gradInput.resizeAs(gradOutput)
        np.multiply(gradOutput._a.reshape(input._a.shape), w, out=self.gradInput._a)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        n = input._size[0]
        prod = (gradOutput._a.reshape(input._a.shape) * input._a).reshape(n, -1).sum(axis=1)
        self.gradWeight._a[:n] += scale * prod

    # nn.hessian's methods, installed by enable_hessian() once nn.hessian.enable() ran
    def _updateDiagHessianInput(self, input, diagHessianOutput):
        return hessian.updateDiagHessianInput(self, input, diagHessianOutput, ("weight",), ("weightSq",))

    def _accDiagHessianParameters(self, input, diagHessianOutput):
        hessian.accDiagHessianParameters(self, input, diagHessianOutput, ("gradWeight",), ("diagHessianWeight",))

    def _initDiagHessianParameters(self):
        hessian.initDiagHessianParameters(self, ("gradWeight",), ("diagHessianWeight",))


def enable_hessian():
    """Diag's diagonal-Hessian methods, when nn.hessian is enabled (unsup wraps nn.hessian.enable
    so that they come with it)."""
    if not hessian._enabled:
        return False
    for name in ("updateDiagHessianInput", "accDiagHessianParameters", "initDiagHessianParameters"):
        setattr(Diag, name, getattr(Diag, "_" + name))
    return True
