"""nn.SpatialZeroPadding(pad_l, pad_r=pad_l, pad_t=pad_l, pad_b=pad_l): pads the last two
dimensions with zeros; a negative pad crops."""
from .Module import Module
from . import utils
from . import _spatial as S


class SpatialZeroPadding(Module):
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
        if oH < 1 or oW < 1:
            utils.bad_input(self, "an input larger than the cropping (%d, %d, %d, %d)"
                            % (self.pad_l, self.pad_r, self.pad_t, self.pad_b), input)
        # the region of the input that survives, and where it lands in the output
        src = (slice(max(0, -self.pad_t), H - max(0, -self.pad_b)), slice(max(0, -self.pad_l), W - max(0, -self.pad_r)))
        dst = (slice(max(0, self.pad_t), oH - max(0, self.pad_b)), slice(max(0, self.pad_l), oW - max(0, self.pad_r)))
        return x, input._size[:-2] + (oH, oW), src, dst

    def updateOutput(self, input):
        x, osize, src, dst = self._geometry(input)
        y = S.out(self.output, osize).reshape((x.shape[0],) + osize[-2:])
        y[...] = 0
        y[:, dst[0], dst[1]] = x[:, src[0], src[1]]
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        x, osize, src, dst = self._geometry(input)
        S.check_grad(self, gradOutput, osize)
        g = S.arr(gradOutput).reshape((x.shape[0],) + osize[-2:])
        gi = S.out(self.gradInput, input._size).reshape(x.shape)
        gi[...] = 0
        gi[:, src[0], src[1]] = g[:, dst[0], dst[1]]
        return self.gradInput

    def __tostring__(self):
        return "%s(l=%d, r=%d, t=%d, b=%d)" % (self.typename, self.pad_l, self.pad_r, self.pad_t, self.pad_b)
