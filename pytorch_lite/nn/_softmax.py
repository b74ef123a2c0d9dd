"""The softmax axis shared by SoftMax / LogSoftMax / SoftMin: THNN normalises over the feature
dimension: the only one of a 1D input, dim 1 of a batch (2D), dim 0 of a 3D map, dim 1 of 4D."""
from . import utils


def softmax_axis(module, input):
    d = input.dim() if hasattr(input, "dim") else -1
    if d == 1 or d == 3:
        return 0
    if d == 2 or d == 4:
        return 1
    utils.bad_input(module, "a 1D, 2D, 3D or 4D tensor", input)
