"""unsup.FistaL1(D, Fcost, lambda [, params]): sparse coding with any linear reconstruction module D
and smooth cost Fcost.

``updateOutput(input, code0)`` finds, starting from code0, the code minimising
``0.5 * Fcost(D(code), input) + lambda * |code|_1`` with optim.FistaLS (params: L, Lstep, maxiter,
maxline, errthres; FISTA's state is kept there too) and returns ``energy, history``; the code is
``self.code``.  ``accGradParameters(input)`` accumulates the dictionary's gradient of the energy at
that code; ``normalize()`` makes every atom of D.weight unit-norm."""
from ..errors import TorchTypeError, TorchValueError
from .. import nn
from ..tensor import Tensor
from ._common import normalize_atoms
from ._fista import FistaCode, fista_params
from .UnsupModule import UnsupModule


class FistaL1(FistaCode, UnsupModule):
    typename = "unsup.FistaL1"
    _fscale = 0.5

    def __init__(self, freconstruction, creconstruction, lambda_, params=None):
        UnsupModule.__init__(self)
        self.__dict__["lambda"] = lambda_
        self.D = freconstruction
        self.Fcost = creconstruction
        self.Gcost = nn.L1Cost()
        self.code = Tensor()
        self.params = fista_params(params)
        self.reset()
        self.gradInput = None

    def reset(self, stdv=None):
        self.D.reset(stdv)
        return self

    def initDiagHessianParameters(self):
        if not hasattr(self.D, "initDiagHessianParameters"):
            raise TorchTypeError("reconstruction module does not support hessian approximation")
        self.D.initDiagHessianParameters()

    def updateOutput(self, input, icode=None):
        self.input = input
        if icode is None:
            raise TorchValueError("%s:updateOutput(input, code): the initial code is missing" % self.typename)
        if not self.code.nElement():
            self.code.resizeAs(icode)
        self.code.copy(icode)
        return self._solve(lambda L: max(0.1, L / 2))

    def accGradParameters(self, input, gradOutput=None, scale=None):
        self.Fcost.updateGradInput(self.D.output, input).mul(0.5)
        self.D.accGradParameters(self.code, self.Fcost.gradInput)

    def updateDiagHessianInput(self, input, diagHessianOutput=None):
        return None

    def accDiagHessianParameters(self, input, diagHessianOutput=None):
        self.Fcost.updateDiagHessianInput(self.D.output, input).mul(0.5)
        self.D.accDiagHessianParameters(self.code, self.Fcost.diagHessianInput)

    def updateParameters(self, learningRate):
        self.D.updateParameters(learningRate)

    def normalize(self):
        normalize_atoms(self.D.__dict__.get("weight"))
