"""nn.SpatialMaxSampling{owidth=, oheight=}: adaptive max pooling of a planes x H x W input to
planes x oheight x owidth; output (i, j) is the max over rows [floor(i*dH), max(that+1,
floor((i+1)*dH))) and the same for columns, with dH = H/oheight and dW = W/owidth in single
precision, as nnx's kernel.  indices (2 x planes x oheight x owidth: row then column offset of
the max inside its window, the first one in row-major order) are 0-based here, 1-based in Lua
and t7 files."""
import numpy as np

from ..nn.Module import Module
from ..nn import utils
from ..nn import _spatial as S
from ..tensor import Tensor
from ._args import options


def _windows(n_in, n_out):
    step = np.float32(n_in) / np.float32(n_out)
    at = np.arange(n_out + 1, dtype=np.float32) * step
    start = at[:-1].astype(np.int64)
    end = np.maximum(start + 1, at[1:].astype(np.int64))
    return start, end


class SpatialMaxSampling(Module):
    typename = "nn.SpatialMaxSampling"
    t7_index_fields = ("indices",)

    def __init__(self, *args, **kw):
        super().__init__()
        opts = options("nn.SpatialMaxSampling", args, kw, ("owidth", "oheight"))
        for k, v in opts.items():
            if v is not None:
                self.__dict__[k] = v
        self.indices = Tensor()

    def _layout(self, input):
        if input.dim() != 3:
            utils.bad_input(self, "a 3D (planes x H x W) tensor", input)
        c, h, w = input._size
        oh, ow = int(self.oheight), int(self.owidth)
        (ys, ye), (xs, xe) = _windows(h, oh), _windows(w, ow)
        return c, h, w, oh, ow, ys, ye, xs, xe

    def updateOutput(self, input):
        c, h, w, oh, ow, ys, ye, xs, xe = self._layout(input)
        kh, kw = int((ye - ys).max()), int((xe - xs).max())
        yy, xx = ys[:, None] + np.arange(kh), xs[:, None] + np.arange(kw)        # oh x kh, ow x kw
        ok = (yy < ye[:, None])[:, :, None, None] & (xx < xe[:, None])[None, None]  # oh x kh x ow x kw
        a = S.arr(input)
        win = a[:, np.minimum(yy, h - 1)][:, :, :, np.minimum(xx, w - 1)]         # c x oh x kh x ow x kw
        win = np.where(ok, win, -np.inf).transpose(0, 1, 3, 2, 4).reshape(c, oh, ow, kh * kw)
        best = win.argmax(axis=3)
        y = S.out(self.output, (c, oh, ow))
        y[...] = np.take_along_axis(win, best[..., None], axis=3)[..., 0]
        ind = S.out(self.indices, (2, c, oh, ow))
        ind[0], ind[1] = best // kw, best % kw
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        c, h, w, oh, ow, ys, ye, xs, xe = self._layout(input)
        S.check_grad(self, gradOutput, (c, oh, ow))
        ind = np.asarray(self.indices._a).astype(np.int64)
        rows = ys[None, :, None] + ind[0]
        cols = xs[None, None, :] + ind[1]
        planes = np.broadcast_to(np.arange(c)[:, None, None], rows.shape)
        gi = S.out(self.gradInput, input._size)
        gi[...] = 0
        np.add.at(gi, (planes, rows, cols), S.arr(gradOutput))
        return self.gradInput
