"""nn.SpatialRadialMatching(maxh): for inputs {a (K x H x W), b (K x (H+maxh-1) x W or more)},
output[y][x][d] (H x W x maxh) = the squared distance between a's pixel (y, x) and b's pixel
(y + d, x): a one-column window below each pixel (nn.SpatialMatching's window with maxw = 1,
without its last dim)."""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ..nn.Module import Module
from ..nn import utils
from ..nn import _spatial as S
from ..tensor import Tensor


class SpatialRadialMatching(Module):
    typename = "nn.SpatialRadialMatching"

    def __init__(self, maxh):
        super().__init__()
        self.maxh = int(maxh)
        self.gradInput1 = Tensor()
        self.gradInput2 = Tensor()

    def _inputs(self, input):
        ok = isinstance(input, (list, tuple)) and len(input) == 2 and all(
            isinstance(t, Tensor) and t.dim() == 3 for t in input)
        if not ok:
            utils.bad_input(self, "a table of two K x H x W tensors", input)
        a, b = input
        k, h, w = a._size
        if b._size[0] != k or b._size[1] < h + self.maxh - 1 or b._size[2] < w:
            utils.bad_input(self, "a second map of K x (H+maxh-1) x W or more", input)
        win = sliding_window_view(S.arr(b), self.maxh, axis=1)[:, :h, :w]   # K x H x W x maxh
        return a, b, S.arr(a)[..., None] - win

    def updateOutput(self, input):
        a, b, diff = self._inputs(input)
        y = S.out(self.output, a._size[1:] + (self.maxh,))
        np.einsum("khwd,khwd->hwd", diff, diff, out=y)
        return self.output

    def updateGradInput(self, input, gradOutput):
        a, b, diff = self._inputs(input)
        k, h, w = a._size
        S.check_grad(self, gradOutput, (h, w, self.maxh))
        d = 2 * diff * S.arr(gradOutput)
        gi1 = S.out(self.gradInput1, a._size)
        d.sum(axis=3, out=gi1)
        gi2 = S.out(self.gradInput2, b._size)
        gi2[...] = 0
        for off in range(self.maxh):   # one shifted, vectorised add per offset
            gi2[:, off:off + h, :w] -= d[..., off]
        self.gradInput = [self.gradInput1, self.gradInput2]
        return self.gradInput
