"""nn.Balance(nBatch=10): rebalances a batch of class probabilities P(Y|X) (batch x classes) so
that the classes are used evenly: each column is divided by the class frequency P(Y) estimated
over the last nBatch batches, then each row is renormalised to sum to 1.  Evaluation mode passes
the input through.  The gradient divides by the same row sums and class frequencies (they are
treated as constants)."""
from ..nn.Module import Module
from ..nn import utils
from ..tensor import Tensor


class Balance(Module):
    typename = "nn.Balance"

    def __init__(self, nBatch=None):
        super().__init__()
        self.nBatch = 10 if nBatch is None else int(nBatch)
        self.inputCache = Tensor()
        self.prob = Tensor()
        self.sum = Tensor()
        self.batchSize = 0
        self.startIdx = 0   # 1-based in nnx (a t7 field)
        self.train = True

    t7_index_fields = ("startIdx",)

    def _same_type(self, input):
        for name in ("inputCache", "prob", "sum"):
            if type(self.__dict__[name]) is not type(input):
                self.__dict__[name] = input.new()

    def updateOutput(self, input):
        if not hasattr(input, "dim") or input.dim() != 2:
            utils.bad_input(self, "a 2D (batch x classes) tensor", input)
        self._same_type(input)
        n, c = input._size
        if self.batchSize != n:
            self.inputCache.resize(n * self.nBatch, c).zero()
            self.batchSize = n
            self.startIdx = 0
        self.output.resizeAs(input).copy(input)
        if not self.train:
            return self.output
        self.inputCache._a[self.startIdx:self.startIdx + n] = input._a
        cache = self.inputCache._a
        self.prob.resize(1, c)
        self.prob._a[...] = cache.sum(axis=0, keepdims=True) / cache.sum()
        y = self.output._a
        y /= self.prob._a
        self.sum.resize(n, 1)
        self.sum._a[...] = y.sum(axis=1, keepdims=True)
        y /= self.sum._a
        self.startIdx += self.batchSize
        if self.startIdx >= self.inputCache._size[0]:
            self.startIdx = 0
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        n, c = input._size
        self.gradInput.resizeAs(gradOutput).copy(gradOutput)
        g = self.gradInput._a
        g /= self.sum._a.reshape(n, 1)
        g /= self.prob._a.reshape(1, c)
        return self.gradInput
