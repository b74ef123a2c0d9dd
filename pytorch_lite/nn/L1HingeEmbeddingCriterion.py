"""nn.L1HingeEmbeddingCriterion(margin=1): on {x1, x2}, d = ||x1 - x2||_1; d for y=1, max(0, margin-d) for y=-1."""
import numpy as np

from ..tensor import Tensor
from .Criterion import Criterion


class L1HingeEmbeddingCriterion(Criterion):
    def __init__(self, margin=1):
        super().__init__()
        self.margin = margin
        self.gradInput = [Tensor(), Tensor()]

    def updateOutput(self, input, y):
        d = float(np.sum(np.abs(input[0]._a - input[1]._a.reshape(input[0]._a.shape))))
        self.output = d if y == 1 else max(0.0, self.margin - d)
        return self.output

    def updateGradInput(self, input, y):
        a, b = input[0], input[1]
        self.gradInput = [self.gradInput[0] if self.gradInput else a.new(), self.gradInput[1] if len(self.gradInput) > 1 else b.new()]
        g0, g1 = self.gradInput
        g0.resizeAs(a)
        g1.resizeAs(b)
        s = np.sign(a._a - b._a.reshape(a._a.shape))
        dist = float(np.sum(np.abs(a._a - b._a.reshape(a._a.shape))))
        if y == -1:
            s = -s if dist < self.margin else s * 0
        np.copyto(g0._a, s)
        np.copyto(g1._a, -s.reshape(g1._a.shape))
        return self.gradInput
