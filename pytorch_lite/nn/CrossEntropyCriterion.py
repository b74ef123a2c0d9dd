"""nn.CrossEntropyCriterion(weights=None, sizeAverage=True): LogSoftMax then ClassNLLCriterion."""
from .ClassNLLCriterion import ClassNLLCriterion
from .Criterion import Criterion
from .LogSoftMax import LogSoftMax


class CrossEntropyCriterion(Criterion):
    # Torch7 fields that may be nil (absent from a t7 file): their defaults
    sizeAverage = True
    oldSizeAverage = None

    def __init__(self, weights=None, sizeAverage=True):
        super().__init__()
        self.lsm = LogSoftMax()
        self.nll = ClassNLLCriterion(weights, sizeAverage)
        self.sizeAverage = self.nll.sizeAverage
        self.oldSizeAverage = self.sizeAverage

    def _sync(self):
        if self.sizeAverage != self.oldSizeAverage:
            self.nll.sizeAverage = self.sizeAverage
            self.oldSizeAverage = self.sizeAverage

    def updateOutput(self, input, target):
        self._sync()
        x = input.squeeze()
        t = target if isinstance(target, (int, float)) else target.squeeze()
        self.lsm.updateOutput(x)
        self.nll.updateOutput(self.lsm.output, t)
        self.output = self.nll.output
        return self.output

    def updateGradInput(self, input, target):
        self._sync()
        x = input.squeeze()
        t = target if isinstance(target, (int, float)) else target.squeeze()
        self.nll.updateGradInput(self.lsm.output, t)
        self.lsm.updateGradInput(x, self.nll.gradInput)
        self.gradInput.set(self.lsm.gradInput.view(*input._size))
        return self.gradInput
