"""nn.SpatialPyramid(ratios, processors, kW, kH, dW, dH[, xDimIn, yDimIn, xDimOut, yDimOut,
prescaled_input]): runs processors[i] on the input downscaled by ratios[i] (average mode) and
upsamples each result back by ratios[i], giving a table of maps, one per scale.

Unfocused (the default), the whole image goes through, padded by the processors' kW-dW / kH-dH
so that the sizes come back.  After focus(x, y, w, h) (a pixel: 0-based here, 1-based in Lua
and t7 files, where an unset point is 0), each scale
only crops the window whose processed output is w x h around (x, y) (negative pads of a
SpatialPadding), and no upsampling follows; focus() with no point unfocuses.  Dims are 0-based
here (default: planes x H x W), 1-based in Lua.  With prescaled_input the input is a table of
already downscaled maps (unfocused only)."""
import math

from ..errors import TorchValueError
from ..nn.Module import Module
from .. import nn
from .SpatialPadding import SpatialPadding
from .SpatialReSamplingEx import SpatialReSamplingEx


class SpatialPyramid(Module):
    typename = "nn.SpatialPyramid"
    t7_index_fields = ("x", "y")

    def __init__(self, ratios, processors, kW, kH, dW, dH, xDimIn=None, yDimIn=None,
                 xDimOut=None, yDimOut=None, prescaled_input=None):
        super().__init__()
        if len(ratios) != len(processors):
            raise TorchValueError("nn.SpatialPyramid: one processor per ratio")
        self.prescaled_input = bool(prescaled_input)
        self.ratios = list(ratios)
        self.kH, self.kW, self.dH, self.dW = kH, kW, dH, dW
        self.focused = False
        self.x = self.y = -1   # none yet (nnx's 0)
        self.wFocus = self.hFocus = 0
        self.processors = list(processors)
        wpad, hpad = kW - dW, kH - dH
        pads = (math.floor(wpad / 2), math.ceil(wpad / 2), math.floor(hpad / 2), math.ceil(hpad / 2))

        def resample(ratio, x, y, mode):
            return SpatialReSamplingEx(rwidth=ratio, rheight=ratio, xDim=x, yDim=y, mode=mode)

        self.focused_pipeline = nn.ConcatTable()
        for r, proc in zip(self.ratios, self.processors):
            seq = nn.Sequential()
            seq.add(SpatialPadding(0, 0, 0, 0, yDimIn, xDimIn))
            seq.add(resample(1.0 / r, xDimIn, yDimIn, "average"))
            seq.add(proc)
            self.focused_pipeline.add(seq)
        self.unfocused_pipeline = nn.ParallelTable() if self.prescaled_input else nn.ConcatTable()
        for r, proc in zip(self.ratios, self.processors):
            seq = nn.Sequential()
            if not self.prescaled_input:
                seq.add(resample(1.0 / r, xDimIn, yDimIn, "average"))
                seq.add(SpatialPadding(*pads, yDimIn, xDimIn))
            seq.add(proc)
            seq.add(resample(r, xDimOut, yDimOut, "simple"))
            self.unfocused_pipeline.add(seq)

    def focus(self, x=None, y=None, w=None, h=None):
        w = 1 if w is None else w
        h = 1 if h is None else h
        if x is not None and y is not None:
            self.x, self.y = x, y
            self.focused = True
            self.winWidth = [r * ((w - 1) * self.dW + self.kW) for r in self.ratios]
            self.winHeight = [r * ((h - 1) * self.dH + self.kH) for r in self.ratios]
        else:
            self.focused = False

    def configureFocus(self, wImg, hImg):
        for i in range(len(self.ratios)):
            padder = self.focused_pipeline.modules[i].modules[0]
            x, y = self.x + 1, self.y + 1   # nnx's window arithmetic is on 1-based pixels
            padder.pad_l = -x + math.ceil(self.winWidth[i] / 2)
            padder.pad_r = x + math.floor(self.winWidth[i] / 2) - wImg
            padder.pad_t = -y + math.ceil(self.winHeight[i] / 2)
            padder.pad_b = y + math.floor(self.winHeight[i] / 2) - hImg

    def checkSize(self, input):
        for r in self.ratios:
            if math.fmod(input._size[1], r) != 0 or math.fmod(input._size[2], r) != 0:
                raise TorchValueError("SpatialPyramid: input sizes must be multiple of ratios")

    def _pipeline(self):
        return self.focused_pipeline if self.focused else self.unfocused_pipeline

    def updateOutput(self, input):
        if not self.prescaled_input:
            self.checkSize(input)
        if self.focused:
            self.configureFocus(input._size[2], input._size[1])
        self.output = self._pipeline().updateOutput(input)
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput = self._pipeline().updateGradInput(input, gradOutput)
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        self._pipeline().accGradParameters(input, gradOutput, scale)

    def zeroGradParameters(self):
        self.focused_pipeline.zeroGradParameters()
        self.unfocused_pipeline.zeroGradParameters()

    def updateParameters(self, learningRate):
        self._pipeline().updateParameters(learningRate)

    def parameters(self):
        return self._pipeline().parameters()

    def type(self, typename=None, tensorCache=None):
        super().type(typename, tensorCache)
        if typename is not None:
            self.focused_pipeline.type(typename, tensorCache)
            self.unfocused_pipeline.type(typename, tensorCache)
        return self

    def __repr__(self):
        name = "focused" if self.focused else "unfocused"
        return "SpatialPyramid (%s)\n%s" % (name, repr(self._pipeline()).replace("\n", "\n    |    "))
