"""nn.SpatialReflectionPadding(pad_l, pad_r=pad_l, pad_t=pad_l, pad_b=pad_l): pads the last two
dimensions with the mirror image of the input (the edge pixel itself is not repeated).  A
negative pad crops that side instead, as THNN does (the crop comes first, then the padding)."""
import numpy as np

from .Module import Module
from . import utils
from . import _spatial as S


class SpatialReflectionPadding(Module):
    _reflect = True

    def __init__(self, pad_l, pad_r=None, pad_t=None, pad_b=None):
        super().__init__()
        self.pad_l = pad_l
        self.pad_r = pad_l if pad_r is None else pad_r
        self.pad_t = pad_l if pad_t is None else pad_t
        self.pad_b = pad_l if pad_b is None else pad_b

    def _geometry(self, input):
        """(planes, the window kept after the negative pads' crops, output size)."""
        x = S.planes(self, input, "a 3D (nPlane x H x W) or 4D (batch x nPlane x H x W) tensor")
        P, H, W = x.shape
        oH, oW = H + self.pad_t + self.pad_b, W + self.pad_l + self.pad_r
        pads = (self.pad_l, self.pad_r, self.pad_t, self.pad_b)
        keep = (slice(None), slice(max(0, -self.pad_t), H - max(0, -self.pad_b)),
                slice(max(0, -self.pad_l), W - max(0, -self.pad_r)))
        cH, cW = keep[1].stop - keep[1].start, keep[2].stop - keep[2].start
        l, r, t, b = (max(0, p) for p in pads)
        if oH < 1 or oW < 1 or cH < 1 or cW < 1 or (self._reflect and (max(l, r) >= cW or max(t, b) >= cH)):
            utils.bad_input(self, "padding %s than the input (pad %d,%d,%d,%d)"
                            % ("smaller" if self._reflect else "no larger", *pads), input)
        return x, keep, input._size[:-2] + (oH, oW)

    def updateOutput(self, input):
        x, keep, osize = self._geometry(input)
        y = S.out(self.output, osize).reshape((x.shape[0],) + osize[-2:])
        S.kernels("pool", input).pad2d_forward(S.contiguous(x[keep]), y, max(0, self.pad_l),
                                               max(0, self.pad_t), self._reflect)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        x, keep, osize = self._geometry(input)
        S.check_grad(self, gradOutput, osize)
        g = S.arr(gradOutput).reshape((x.shape[0],) + osize[-2:])
        gi = S.out(self.gradInput, input._size).reshape(x.shape)
        part = np.zeros_like(x[keep])
        S.kernels("pool", input).pad2d_backward(g, part, max(0, self.pad_l), max(0, self.pad_t), self._reflect)
        gi[...] = 0
        gi[keep] = part
        return self.gradInput

    def __tostring__(self):
        return "%s(l=%d, r=%d, t=%d, b=%d)" % (self.typename, self.pad_l, self.pad_r, self.pad_t, self.pad_b)
