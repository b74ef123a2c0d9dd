"""nn.DistanceRatioCriterion(sizeAverage=True): input {X, Y}, the distances of matching and of
non-matching pairs (vectors of one size); loss = sum(X + log(exp(-X) + exp(-Y))) (/ N), the
negative log-probability that each match is the nearer (triplet embeddings).  No target."""
import numpy as np

from ..tensor import Tensor
from .Criterion import Criterion
from . import utils


class DistanceRatioCriterion(Criterion):
    sizeAverage = True

    def __init__(self, sizeAverage=True):
        super().__init__()
        self.sizeAverage = True if sizeAverage is None else sizeAverage
        self.gradInput = [Tensor(), Tensor()]

    def _xy(self, input):
        if not (utils.is_table(input) and len(input) == 2 and all(isinstance(t, Tensor) for t in input)
                and input[0].nElement() == input[1].nElement() and input[0].dim() >= 1
                and input[0]._size[0] == input[1]._size[0]):
            raise utils.TorchValueError("%s: expected a table of two distance tensors of one size, got %s"
                                        % (self.typename, utils.shape_str(input)))
        return input[0]._a, input[1]._a.reshape(input[0]._a.shape)

    def updateOutput(self, input, target=None):
        x, y = self._xy(input)
        loss = x + np.logaddexp(-x, -y)
        s = float(loss.sum())
        self.output = s / x.shape[0] if self.sizeAverage else s
        return self.output

    def updateGradInput(self, input, target=None):
        x, y = self._xy(input)
        px = np.exp(-x - np.logaddexp(-x, -y))     # exp(-X) / (exp(-X) + exp(-Y))
        norm = 1.0 / x.shape[0] if self.sizeAverage else 1.0
        if not utils.is_table(self.gradInput) or len(self.gradInput) != 2:
            self.gradInput = [input[0].new(), input[1].new()]
        self.gradInput[0].resizeAs(input[0])
        self.gradInput[1].resizeAs(input[1])
        self.gradInput[0]._a[...] = (1 - px) * norm
        self.gradInput[1]._a[...] = (px - 1) * norm  # -exp(-Y)/(...) = px - 1
        return self.gradInput
