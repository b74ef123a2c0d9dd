"""nn.SpatialAutoCropMSECriterion(sizeAverage=True): MSECriterion between a 3D/4D input and the
centre crop of a spatially larger (or equal) target to the input's height and width."""
from ..errors import TorchValueError
from .MSECriterion import MSECriterion


def _hw(t):
    return t._size[-2], t._size[-1]


def center_crop(t, h, w):
    H, W = _hw(t)
    r0 = (H - h) // 2
    c0 = (W - w) // 2
    return t.narrow(t.dim() - 2, r0, h).narrow(t.dim() - 1, c0, w)


class SpatialAutoCropMSECriterion(MSECriterion):
    def _crop(self, input, target):
        if input.dim() != target.dim():
            raise TorchValueError("%s: input and target should have the same number of dimensions" % self.typename)
        if input.dim() not in (3, 4):
            raise TorchValueError("%s: input and target must have 3 or 4 dimensions" % self.typename)
        (h, w), (H, W) = _hw(input), _hw(target)
        if h > H or w > W:
            raise TorchValueError("%s: spatial resolution of input (%dx%d) should be less than or equal to that "
                                  "of the target (%dx%d)" % (self.typename, h, w, H, W))
        return center_crop(target, h, w)

    def updateOutput(self, input, target):
        return super().updateOutput(input, self._crop(input, target))

    def updateGradInput(self, input, target):
        return super().updateGradInput(input, self._crop(input, target))
