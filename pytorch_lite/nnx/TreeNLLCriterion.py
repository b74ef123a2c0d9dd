"""nn.TreeNLLCriterion(): the loss for nn.SoftMaxTree's output (each example's log-likelihood of
its target, already picked by SoftMaxTree): minus the mean of that output.  The target is not
read.  nnx computes it through nn.Mean over the first dim and keeps the first entry, so a 2D
input gives minus the mean of its first column; the gradient is -1/n for each of the n entries
that count, shaped as the nn.Mean of nnx's time shaped it: n for a 1D input, n x 1 otherwise
(the first column's gradient alone, as nnx's test compares it with ClassNLLCriterion's)."""
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
        n = input._size[0]
        self.gradInput = input.new().resize(*((n,) if input.dim() == 1 else (n, 1))).fill(-1.0 / n)
        return self.gradInput
