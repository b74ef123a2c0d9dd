"""nn.Mean(dimension=0, nInputDims=None): Sum with sizeAverage."""
from .Sum import Sum


class Mean(Sum):
    def __init__(self, dimension=0, nInputDims=None, squeeze=True):
        super().__init__(dimension, nInputDims, True, squeeze)
