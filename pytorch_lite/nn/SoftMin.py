"""nn.SoftMin(): SoftMax of -x."""
import numpy as np

from ._softmax import FeatureAxisModule, softmax


class SoftMin(FeatureAxisModule):
    def fw(self, x, y, ax):
        softmax(-x, y, ax)

    def bw(self, y, g, ax, gi):
        np.multiply(y, (g * y).sum(axis=ax, keepdims=True) - g, out=gi)
