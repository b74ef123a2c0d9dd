"""nn.SoftMax(): exp(x_i - max) / sum_j exp(x_j - max) over the feature dimension."""
import numpy as np

from ._softmax import FeatureAxisModule, softmax


class SoftMax(FeatureAxisModule):
    def fw(self, x, y, ax):
        softmax(x, y, ax)

    def bw(self, y, g, ax, gi):
        np.multiply(y, g - (g * y).sum(axis=ax, keepdims=True), out=gi)
