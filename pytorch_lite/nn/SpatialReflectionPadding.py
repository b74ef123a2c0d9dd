"""nn.SpatialReflectionPadding(pad_l, pad_r=pad_l, pad_t=pad_l, pad_b=pad_l): pads the last two
dimensions with the mirror image of the input (the edge pixel itself is not repeated)."""
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
        x = S.planes(self, input, "a 3D (nPlane x H x W) or 4D (batch x nPlane x H x W) tensor")
        P, H, W = x.shape
        oH, oW = H + self.pad_t + self.pad_b, W + self.pad_l + self.pad_r
        pads = (self.pad_l, self.pad_r, self.pad_t, self.pad_b)
        if min(pads) < 0 or oH < 1 or oW < 1 or (self._reflect and (max(self.pad_l, self.pad_r) >= W
                                                                    or max(self.pad_t, self.pad_b) >= H)):
            utils.bad_input(self, "non-negative padding %s than the input (pad %d,%d,%d,%d)"
                            % ("smaller" if self._reflect else "no larger", *pads), input)
        return x, input._size[:-2] + (oH, oW)

    def updateOutput(self, input):
        x, osize = self._geometry(input)
        y = S.out(self.output, osize).reshape((x.shape[0],) + osize[-2:])
        S.kernels("pool", input).pad2d_forward(x, y, self.pad_l, self.pad_t, self._reflect)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        x, osize = self._geometry(input)
        S.check_grad(self, gradOutput, osize)
        g = S.arr(gradOutput).reshape((x.shape[0],) + osize[-2:])
        gi = S.out(self.gradInput, input._size).reshape(x.shape)
        S.kernels("pool", input).pad2d_backward(g, gi, self.pad_l, self.pad_t, self._reflect)
        return self.gradInput

    def __tostring__(self):
        return "%s(l=%d, r=%d, t=%d, b=%d)" % (self.typename, self.pad_l, self.pad_r, self.pad_t, self.pad_b)
