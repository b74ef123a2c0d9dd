"""What Torch7's criterions share (not a module file): the `sizeAverage` rule of the losses summed
over elements or samples, and the weighted sum of MultiCriterion / ParallelCriterion."""
import numpy as np

from .Criterion import Criterion
from . import utils


class SizeAveraged(Criterion):
    """A loss summed over n terms, divided by n when sizeAverage is true."""
    typename = None  # no Torch7 class of its own

    def __init__(self, sizeAverage=True, **first):
        """`first`: the fields Torch7's constructor sets before sizeAverage, in its order (a t7
        file lists the fields in the order they were set)."""
        super().__init__()
        self.__dict__.update(first)
        self.sizeAverage = sizeAverage

    def _average(self, s, n):
        """s / n when sizeAverage, else s (also the gradient's scale: _average(1.0, n))."""
        return s / n if self.sizeAverage else s

    def _set_gradInput(self, input, g, n, w=None):
        """gradInput := g (times the weights w), divided by n when sizeAverage."""
        if w is not None:
            g = g * w
        if self.sizeAverage:
            g = g / n
        self.gradInput.resizeAs(input)
        np.copyto(self.gradInput._a, g)
        return self.gradInput

    def _pair(self, input, target, check=True):
        """input's and target's arrays (target in input's shape); with check, an error unless they
        hold as many elements (the backward passes of DistKLDiv/SoftMargin/Margin/BCE skip it)."""
        if check:
            utils.diff(self, input, target)
        x, t = input._a, target._a.reshape(input._a.shape)
        if x.dtype == np.float16:   # a CudaHalfTensor loss is computed in float, as cunn's
            x, t = x.astype(np.float32), t.astype(np.float32)
        return x, t


class WeightedSum(Criterion):
    """MultiCriterion and ParallelCriterion: output = sum_i weights[i] * criterions[i](...)."""
    typename = None  # no Torch7 class of its own

    def __init__(self):
        super().__init__()
        self.criterions = []
        self.weights = []

    def add(self, criterion, weight=1):
        self.criterions.append(criterion)
        self.weights.append(weight)
        return self

    def _zero_gradInput(self, input):
        self.gradInput = utils.recursive_resize_as(self.gradInput, input)
        utils.recursive_fill(self.gradInput, 0)
