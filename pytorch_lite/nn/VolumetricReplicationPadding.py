"""nn.VolumetricReplicationPadding(pleft, pright=pleft, ptop=pleft, pbottom=pleft, pfront=pleft,
pback=pleft): pads the W, H and T dims of a 4D/5D input by repeating the border values;
negative sizes crop.  The gradient of a repeated cell is summed back into the border."""
import numpy as np

from .Module import Module
from . import utils
from . import _spatial as S
from ..cuda.device import array_module as _xp


class VolumetricReplicationPadding(Module):
    def __init__(self, pleft, pright=None, ptop=None, pbottom=None, pfront=None, pback=None):
        super().__init__()
        self.pleft = pleft
        self.pright = pleft if pright is None else pright
        self.ptop = pleft if ptop is None else ptop
        self.pbottom = pleft if pbottom is None else pbottom
        self.pfront = pleft if pfront is None else pfront
        self.pback = pleft if pback is None else pback

    def _index(self, input):
        S.check_tensor(self, input, (4, 5), "a 4D (nPlane x T x H x W) or 5D (batch x nPlane x T x H x W) tensor")
        idx = []
        for n, a, b in zip(input._size[-3:], (self.pfront, self.ptop, self.pleft),
                           (self.pback, self.pbottom, self.pright)):
            i = np.clip(np.arange(-a, n + b), 0, n - 1)
            if i.size < 1:
                utils.bad_input(self, "a tensor larger than the cropping", input)
            idx.append(i)
        return idx

    def updateOutput(self, input):
        it, ih, iw = self._index(input)
        x = S.arr(input)
        y = x[..., it, :, :][..., ih, :][..., iw]
        S.out(self.output, y.shape)[...] = y
        return self.output

    def updateGradInput(self, input, gradOutput):
        it, ih, iw = self._index(input)
        S.check_grad(self, gradOutput, input._size[:-3] + (it.size, ih.size, iw.size))
        g = S.arr(gradOutput)
        T, H, W = input._size[-3:]
        xp = _xp(g)   # the sums are made where gradOutput lives
        gi = xp.zeros(input._size, g.dtype)
        gw = xp.zeros(g.shape[:-1] + (W,), g.dtype)
        np.add.at(gw, (Ellipsis, iw), g)
        gh = xp.zeros(gw.shape[:-2] + (H, W), g.dtype)
        np.add.at(gh, (Ellipsis, ih, slice(None)), gw)
        np.add.at(gi, (Ellipsis, it, slice(None), slice(None)), gh)
        S.out(self.gradInput, input._size)[...] = gi
        return self.gradInput

    def __tostring__(self):
        return "%s(left=%d, right=%d, top=%d, bottom=%d, front=%d, back=%d)" % (
            self.typename, self.pleft, self.pright, self.ptop, self.pbottom, self.pfront, self.pback)
