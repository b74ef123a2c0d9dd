"""cudnn.VolumetricSoftMax(fast=False): the softmax over the feature planes at every voxel of a
4D (C x T x H x W) or 5D (batch x C x T x H x W) input (cudnn folds T and H into one spatial
dimension and runs its SpatialSoftMax, kept in the field ssm)."""
from ..Module import Module
from ..SpatialSoftMax import SpatialSoftMax
from .. import utils


def fold(module, t):
    """t viewed with T and H merged: the spatial (C x TH x W) layout ssm computes over."""
    if not hasattr(t, "dim") or t.dim() not in (4, 5):
        utils.bad_input(module, "a 4D (C x T x H x W) or 5D (batch x C x T x H x W) tensor", t)
    s = t.size()
    s = list(s) if not hasattr(s, "tolist") else s.tolist()
    return t.contiguous().view(*(s[:-3] + [s[-3] * s[-2], s[-1]]))


class VolumetricSoftMax(Module):
    typename = "cudnn.VolumetricSoftMax"
    spatial = SpatialSoftMax

    def __init__(self, fast=False):
        super().__init__()
        self.ssm = self.spatial()

    def _spatial(self):
        # a file from cudnn holds a cudnn.SpatialSoftMax whose mode says softmax or log-softmax
        # (it loads as nn.SpatialSoftMax): the class decides, as the mode did
        if type(self.__dict__.get("ssm")) is not self.spatial:
            self.ssm = self.spatial().type(self.output.type())
        return self.ssm

    def updateOutput(self, input):
        self._spatial().updateOutput(fold(self, input))
        self.output = self.ssm.output.view(input.size())
        return self.output

    def updateGradInput(self, input, gradOutput):
        utils.check_grad(self, input, gradOutput)
        self._spatial().updateGradInput(fold(self, input), fold(self, gradOutput))
        self.gradInput = self.ssm.gradInput.view(input.size())
        return self.gradInput

    def clearState(self):
        self.ssm.clearState()
        return super().clearState()
