"""nn.TreeNLLCriterion(): the loss for nn.SoftMaxTree's output (each example's log-likelihood of
its target, already picked by SoftMaxTree): minus the mean of that output.  The target is not
read.  nnx computes it through nn.Mean over the first dim and keeps the first entry, so a 2D
input gives minus the mean of its first column (and the gradient -1/n on that column)."""
import numpy as np

from ..nn.Criterion import Criterion
from ..nn import utils


class TreeNLLCriterion(Criterion):
    typename = "nn.TreeNLLCriterion"

    def _check(self, input):
        if not hasattr(input, "dim") or input.dim() < 1 or input.nElement() == 0:
            utils.bad_input(self, "a non-empty tensor", input)

    def updateOutput(self, input, target=None):
        self._check(input)
        first = input._a.reshape(input._size[0], -1)[:, 0]
        self.output = -float(first.mean())
        return self.output

    def updateGradInput(self, input, target=None):
        self._check(input)
        self.gradInput.resizeAs(input)
        g = self.gradInput._a
        g[...] = 0
        g.reshape(input._size[0], -1)[:, 0] = -1.0 / input._size[0]
        return self.gradInput
