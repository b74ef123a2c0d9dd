"""cudnn.SoftMax(fast=False): cuDNN's instance softmax, over everything but the batch dimension:
over a 1D input or each row of a 2D one (nn's SoftMax), but over all of C x H x W of a 3D
(C x H x W) input or of each sample of a 4D one, where nn's SoftMax works pixel by pixel."""
from ..SoftMax import SoftMax as _NNSoftMax
from .. import utils


def instance_axes(module, input):
    """The axes of one instance: cudnn views a 1D or 3D input as one sample, 2D/4D as a batch."""
    d = input.dim() if hasattr(input, "dim") else -1
    if d not in (1, 2, 3, 4):
        utils.bad_input(module, "a 1D, 2D, 3D or 4D tensor", input)
    return tuple(range(0 if d in (1, 3) else 1, d))


class InstanceMode:
    """The forward and backward of a FeatureAxisModule (fw/bw) over instance_axes."""

    def __init__(self, fast=False):
        super().__init__()   # `fast` picks cuDNN's unshifted algorithm: the shifted one is exact

    def updateOutput(self, input):
        ax = instance_axes(self, input)
        self.output.resizeAs(input)
        self.fw(input._a, self.output._a, ax)
        return self.output

    def updateGradInput(self, input, gradOutput):
        utils.check_grad(self, input, gradOutput)
        ax = instance_axes(self, input)
        y = self.output._a
        self.gradInput.resizeAs(input)
        self.bw(y, gradOutput._a.reshape(y.shape), ax, self.gradInput._a)
        return self.gradInput


class SoftMax(InstanceMode, _NNSoftMax):
    typename = "cudnn.SoftMax"
