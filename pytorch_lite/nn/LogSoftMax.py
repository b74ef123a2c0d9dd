"""nn.LogSoftMax(): x_i - log sum_j exp(x_j) over the feature dimension (max-shifted)."""
import numpy as np

from ._softmax import FeatureAxisModule


class LogSoftMax(FeatureAxisModule):
    def fw(self, x, y, ax):
        m = x.max(axis=ax, keepdims=True)
        logsum = m + np.log(np.exp(x - m).sum(axis=ax, keepdims=True))
        np.subtract(x, logsum, out=y)

    def bw(self, y, g, ax, gi):
        np.subtract(g, np.exp(y) * g.sum(axis=ax, keepdims=True), out=gi)
