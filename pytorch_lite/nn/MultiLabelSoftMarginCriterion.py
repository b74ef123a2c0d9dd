"""nn.MultiLabelSoftMarginCriterion(weights=None, sizeAverage=True): Sigmoid then BCECriterion."""
from .BCECriterion import BCECriterion
from .Criterion import Criterion
from .Sigmoid import Sigmoid


class MultiLabelSoftMarginCriterion(Criterion):
    def __init__(self, weights=None, sizeAverage=True):
        super().__init__()
        self.lsm = Sigmoid()
        self.nll = BCECriterion(weights, sizeAverage)

    def updateOutput(self, input, target):
        x = input if input.nElement() == 1 else input.squeeze()
        t = target if target.nElement() == 1 else target.squeeze()
        self.lsm.updateOutput(x)
        self.nll.updateOutput(self.lsm.output, t)
        self.output = self.nll.output
        return self.output

    def updateGradInput(self, input, target):
        x = input if input.nElement() == 1 else input.squeeze()
        t = target if target.nElement() == 1 else target.squeeze()
        self.nll.updateGradInput(self.lsm.output, t)
        self.lsm.updateGradInput(x, self.nll.gradInput)
        self.gradInput.set(self.lsm.gradInput.view(*input._size))
        return self.gradInput
