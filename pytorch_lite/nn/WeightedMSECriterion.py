"""nn.WeightedMSECriterion(weight): MSECriterion between the input and weight .* target (the
weight broadcast over the batch dim when the input has one more dim), as Torch7 defines it."""

from .MSECriterion import MSECriterion
from . import utils


class WeightedMSECriterion(MSECriterion):
    def __init__(self, weight):
        super().__init__()
        self.weight = weight.clone()

    def _weighted(self, input, target):
        utils.diff(self, input, target)
        w = self.weight._a
        t = target._a.reshape(input._a.shape)
        if input.dim() - 1 == self.weight.dim():
            w = w.reshape((1,) + t.shape[1:])
        else:
            w = w.reshape(t.shape)
        self.buffer = input.new(*input._size)
        self.buffer._a[...] = t * w
        return self.buffer

    def updateOutput(self, input, target):
        return super().updateOutput(input, self._weighted(input, target))

    def updateGradInput(self, input, target):
        return super().updateGradInput(input, self._weighted(input, target))
