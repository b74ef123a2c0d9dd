"""nn.SpatialMatching(maxh, maxw, full_output): for inputs {a, b} (K x H x W maps), the squared
distance between each pixel's K-vector in a and the vectors of a maxh x maxw window of b:
output[y][x][dy][dx] (H1 x W1 x maxh x maxw).

full_output false: a is H1 x W1 with H1 <= H - maxh + 1 (likewise W1) and the window at a's
(y, x) starts at b's (y, x).  full_output true: b is at least a's size (only its first H1 x W1 pixels are read), the window is centred
(offsets -(ceil(maxh/2)-1) .. floor(maxh/2)) and entries that fall outside b are 1e30."""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ..nn.Module import Module
from ..nn import utils
from ..nn import _spatial as S
from ..tensor import Tensor

FAR = 1e30   # the distance nnx gives offsets outside the second map


class SpatialMatching(Module):
    typename = "nn.SpatialMatching"

    def __init__(self, maxh=None, maxw=None, full_output=None):
        super().__init__()
        self.maxw = 11 if maxw is None else int(maxw)
        self.maxh = 11 if maxh is None else int(maxh)
        self.full_output = bool(full_output)
        self.gradInput1 = Tensor()
        self.gradInput2 = Tensor()

    def _halves(self):
        return -(-self.maxh // 2) - 1, self.maxh // 2 + 1, -(-self.maxw // 2) - 1, self.maxw // 2 + 1

    def _inputs(self, input):
        if not isinstance(input, (list, tuple)) or len(input) != 2:
            utils.bad_input(self, "a table of two K x H x W tensors", input)
        a, b = input
        for t in (a, b):
            if not isinstance(t, Tensor) or t.dim() != 3:
                utils.bad_input(self, "a table of two K x H x W tensors", input)
        k, h, w = a._size
        if b._size[0] != k:
            utils.bad_input(self, "two maps with the same number of planes", input)
        if self.full_output:
            if b._size[1] < h or b._size[2] < w:
                utils.bad_input(self, "a second map at least as large as the first (full_output)", input)
        elif b._size[1] < h + self.maxh - 1 or b._size[2] < w + self.maxw - 1:
            utils.bad_input(self, "a second map at least (H1+maxh-1) x (W1+maxw-1)", input)
        return a, b

    def _windows(self, a, b):
        """(b's windows K x H1 x W1 x maxh x maxw (b padded with zeros where full_output),
        a mask of the entries inside b or None, and the padded b's shape)."""
        k, h, w = a._size
        bb = S.arr(b)
        if not self.full_output:
            return sliding_window_view(bb, (self.maxh, self.maxw), axis=(1, 2))[:, :h, :w], None, None
        h1, h2, w1, w2 = self._halves()
        padded = np.zeros((k, h + self.maxh - 1, w + self.maxw - 1), dtype=bb.dtype)
        padded[:, h1:h1 + h, w1:w1 + w] = bb[:, :h, :w]
        inside = np.zeros(padded.shape[1:], dtype=bool)
        inside[h1:h1 + h, w1:w1 + w] = True
        mask = sliding_window_view(inside, (self.maxh, self.maxw))
        return sliding_window_view(padded, (self.maxh, self.maxw), axis=(1, 2)), mask, padded.shape

    def updateOutput(self, input):
        a, b = self._inputs(input)
        win, mask, _ = self._windows(a, b)
        diff = S.arr(a)[:, :, :, None, None] - win
        y = S.out(self.output, a._size[1:] + (self.maxh, self.maxw))
        np.einsum("khwij,khwij->hwij", diff, diff, out=y)
        if mask is not None:
            y[~mask] = FAR
        return self.output

    def updateGradInput(self, input, gradOutput):
        a, b = self._inputs(input)
        k, h, w = a._size
        S.check_grad(self, gradOutput, (h, w, self.maxh, self.maxw))
        win, mask, padded_shape = self._windows(a, b)
        g = S.arr(gradOutput)
        if mask is not None:
            g = np.where(mask, g, 0)
        d = 2 * (S.arr(a)[:, :, :, None, None] - win) * g          # K x H1 x W1 x maxh x maxw
        gi1 = S.out(self.gradInput1, a._size)
        d.sum(axis=(3, 4), out=gi1)
        acc = np.zeros(padded_shape if padded_shape is not None else b._size, dtype=d.dtype)
        gi2 = S.out(self.gradInput2, b._size)
        for dy in range(self.maxh):          # one vectorised shifted add per window offset
            for dx in range(self.maxw):
                acc[:, dy:dy + h, dx:dx + w] -= d[:, :, :, dy, dx]
        if padded_shape is not None:
            h1, _, w1, _ = self._halves()
            gi2[...] = 0
            gi2[:, :h, :w] = acc[:, h1:h1 + h, w1:w1 + w]
        else:
            gi2[...] = acc
        self.gradInput = [self.gradInput1, self.gradInput2]
        return self.gradInput
