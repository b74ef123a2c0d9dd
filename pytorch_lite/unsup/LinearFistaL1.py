"""unsup.LinearFistaL1(inputSize, outputSize, lambda [, params]): sparse coding over a linear
dictionary, ``min_z |D z - x|^2 + lambda * |z|_1`` (D an nn.Linear(outputSize, inputSize) whose
bias stays 0, the squared error summed, not halved).

``updateOutput(input)`` starts from a zero code, runs optim.FistaLS and returns
``energy, history`` (the code is ``self.code``, the reconstruction ``self.D.output``);
``accGradParameters(input)`` accumulates the dictionary's gradient at that code, and
``normalize()`` makes each column (atom) of D.weight unit-norm."""
from .. import nn
from ..tensor import Tensor
from ._common import normalize_atoms
from ._fista import FistaCode, fista_params
from .UnsupModule import UnsupModule


class LinearFistaL1(FistaCode, UnsupModule):
    typename = "unsup.LinearFistaL1"

    def __init__(self, inputSize, outputSize, lambda_, params=None):
        UnsupModule.__init__(self)
        self.__dict__["lambda"] = lambda_
        self.D = nn.Linear(outputSize, inputSize)
        self.Fcost = nn.MSECriterion()
        self.Fcost.sizeAverage = False
        self.Gcost = nn.L1Cost()
        self.code = Tensor(outputSize).fill(0)
        self.params = fista_params(params)
        self.gradInput = None
        self.reset()

    def reset(self, stdv=None):
        self.D.reset(stdv)
        self.D.bias.fill(0)
        return self

    def initDiagHessianParameters(self):
        self.D.initDiagHessianParameters()

    def updateOutput(self, input, icode=None):
        self.input = input
        self.code.fill(0)
        return self._solve(lambda L: L / 2)

    def accGradParameters(self, input, gradOutput=None, scale=None):
        self.Fcost.updateGradInput(self.D.output, input)
        self.D.accGradParameters(self.code, self.Fcost.gradInput)
        self.D.gradBias.fill(0)

    def updateParameters(self, learningRate):
        self.D.updateParameters(learningRate)
        self.D.bias.fill(0)

    def normalize(self):
        normalize_atoms(self.D.weight)
