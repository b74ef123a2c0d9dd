"""nn.ModuleCriterion(criterion, inputModule=None, targetModule=None, castTarget=True): a
criterion applied to inputModule(input) and targetModule(target); gradients go back through
inputModule only."""
from .Criterion import Criterion
from . import utils


class ModuleCriterion(Criterion):
    inputModule = None
    targetModule = None

    def __init__(self, criterion, inputModule=None, targetModule=None, castTarget=True):
        super().__init__()
        self.inputModule = inputModule
        self.targetModule = targetModule
        self.castTarget = True if castTarget is None else castTarget
        self.criterion = criterion

    def updateOutput(self, input, target):
        if self.inputModule is not None:
            self.input = self.inputModule.forward(input)
        if self.targetModule is not None:
            self.target = self.targetModule.forward(target)
        self.output = self.criterion.forward(self.input if self.inputModule is not None else input,
                                             self.target if self.targetModule is not None else target)
        return self.output

    def updateGradInput(self, input, target):
        x = self.input if self.inputModule is not None else input
        t = self.target if self.targetModule is not None else target
        self.gradInput = self.criterion.backward(x, t)
        if self.inputModule is not None:
            self.gradInput = self.inputModule.backward(input, self.gradInput)
        return self.gradInput

    def type(self, typename=None, tensorCache=None):
        if typename is None:
            return super().type()
        if self.inputModule is not None:
            self.inputModule.type(typename, tensorCache)
        if self.castTarget and self.targetModule is not None:
            self.targetModule.type(typename, tensorCache)
        self.criterion.type(typename, tensorCache)
        return self

    def clearState(self):
        self.__dict__.pop("input", None)
        self.__dict__.pop("target", None)
        for m in (self.inputModule, self.targetModule, self.criterion):
            if m is not None:
                m.clearState()
        return utils.clear(self, "gradInput")
