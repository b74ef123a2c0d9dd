"""nn.SpatialColorTransform(transform): colour-space conversions of a 3 x H x W image, with
image's formulas: the linear ones (yuv2rgb, rgb2yuv, rgb2y) as an nn.SpatialLinear with fixed
weights (so they have gradients), and hsl2rgb, hsv2rgb, rgb2hsl, rgb2hsv, rgb2nrgb and rgb2y+nrgb
(luma then normalised RGB, 4 planes) forward only.  (nnx itself never converts hsv2rgb: its
forward tests rgb2hsv twice; here hsv2rgb converts.)"""
import numpy as np

from ..errors import TorchValueError
from ..nn.Module import Module
from .SpatialLinear import SpatialLinear

LINEAR = {
    "yuv2rgb": [[1, 0, 1.13983], [1, -0.39465, -0.58060], [1, 2.03211, 0]],
    "rgb2yuv": [[0.299, 0.587, 0.114], [-0.14713, -0.28886, 0.436], [0.615, -0.51499, -0.10001]],
    "rgb2y": [[0.299, 0.587, 0.114]],
}
NONLINEAR = ("hsl2rgb", "hsv2rgb", "rgb2hsl", "rgb2hsv", "rgb2nrgb", "rgb2y+nrgb")


class SpatialColorTransform(Module):
    typename = "nn.SpatialColorTransform"

    def __init__(self, transform):
        super().__init__()
        if transform not in LINEAR and transform not in NONLINEAR:
            raise TorchValueError("nn.SpatialColorTransform: transform = yuv2rgb | rgb2yuv | rgb2y | hsl2rgb | "
                                  "hsv2rgb | rgb2hsl | rgb2hsv | rgb2nrgb | rgb2y+nrgb, got %r" % (transform,))
        self.transform = transform
        self.islinear = transform in LINEAR
        if self.islinear:
            w = np.array(LINEAR[transform], dtype=np.float64)
            self.linear = SpatialLinear(3, w.shape[0])
            self.linear.weight._a[...] = w
            self.linear.bias.zero()

    def updateOutput(self, input):
        if self.islinear:
            self.output = self.linear.updateOutput(input)
            return self.output
        from .. import image
        if input.dim() != 3 or input._size[0] < 3:
            raise TorchValueError("nn.SpatialColorTransform: expected a 3 x H x W image")
        if self.transform == "rgb2y+nrgb":
            self.output.resize(4, *input._size[1:])
            image.rgb2y(self.output.narrow(0, 0, 1), input)
            image.rgb2nrgb(self.output.narrow(0, 1, 3), input)
        else:
            fn = getattr(image, self.transform)
            self.output = fn(self.output, input)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if not self.islinear:
            raise TorchValueError("SpatialColorTransform.updateGradInput: not implemented for non-linear transforms")
        self.gradInput = self.linear.updateGradInput(input, gradOutput)
        return self.gradInput

    def type(self, typename=None, tensorCache=None):
        super().type(typename, tensorCache)
        if typename is not None and self.islinear:
            self.linear.type(typename, tensorCache)
        return self
