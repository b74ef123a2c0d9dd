"""nn.SpatialFovea{nInputPlane=, ratios=, processors=, preProcessors=, fov=1, sub=1, bilinear=false,
cachePrePreproc=false}: a multi-scale pipeline over a planes x H x W image:

    input -> downsample by ratios[i] -> preProcessors[i] -> pad (fov - sub) -> processors[i]
          -> upsample by ratios[i] -> all scales' planes stacked in one map

Downsampling averages r x r blocks (a SpatialSubSampling with weights 1/r^2) or, with bilinear,
resamples bilinearly; upsampling repeats pixels (SpatialUpSampling) or resamples bilinearly.
After focus(x, y[, fov]) (a pixel: 0-based here, 1-based in Lua) each scale only processes the
fov x fov window of its padded map at that point and nothing is upsampled; focus() unfocuses.
With cachePrePreproc, padded pyramids are cached by the input's sum and std and no gradient
goes past the processors (gradInput is then the table of their gradients)."""
import math

from ..errors import TorchValueError
from ..nn.Module import Module
from .. import nn
from ..tensor import Tensor
from .SpatialPadding import SpatialPadding
from .SpatialReSampling import SpatialReSampling
from .SpatialUpSampling import SpatialUpSampling
from ._args import options


class SpatialFovea(Module):
    typename = "nn.SpatialFovea"
    t7_index_fields = ("x", "y")

    def __init__(self, *args, **kw):
        super().__init__()
        opts = options("nn.SpatialFovea", args, kw,
                       ("nInputPlane", "ratios", "processors", "preProcessors", "fov", "sub", "bilinear",
                        "cachePrePreproc"),
                       defaults={"fov": 1, "sub": 1, "bilinear": False, "cachePrePreproc": False},
                       required=("nInputPlane", "ratios", "processors"))
        for k, v in opts.items():
            if v is not None:
                self.__dict__[k] = v
        self.ratios, self.processors = list(self.ratios), list(self.processors)
        pre = opts["preProcessors"] or []
        self.preProcessors = list(pre.values()) if isinstance(pre, dict) else list(pre)
        for name in ("downsamplers", "padders", "upsamplers", "pyramid", "preProcessed", "padded", "narrowed",
                     "processed", "upsampled", "gradUpsampled", "gradProcessed", "gradNarrowed", "gradPadded",
                     "gradPreProcessed", "gradPyramid"):
            self.__dict__[name] = [None] * len(self.ratios)
        self.padding = self.fov - self.sub
        if len(self.processors) != len(self.ratios):
            raise TorchValueError("nn.SpatialFovea: the number of processors provided should == the number "
                                  "of ratios (scales): %d" % len(self.ratios))
        self.modules = self.processors
        self.focused = False
        self.reset()

    def focus(self, x=None, y=None, fov=None):
        self.x, self.y = x, y
        if fov is not None:
            self.fov = fov
        self.focused = x is not None and y is not None and self.fov is not None

    def configure(self, width, height):
        t = self.output.type()
        for i, r in enumerate(self.ratios):
            if self.bilinear:
                down = SpatialReSampling(1 / r, 1 / r)
                up = SpatialReSampling(r, r)
            else:
                down = nn.SpatialSubSampling(self.nInputPlane, r, r, r, r)
                down.weight.fill(1 / r ** 2)
                down.bias.zero()
                up = SpatialUpSampling(r, r)
            pad = math.floor(self.padding / 2)
            padder = nn.Identity() if self.padding == 0 else SpatialPadding(pad, pad, pad, pad)
            self.downsamplers[i], self.padders[i], self.upsamplers[i] = down.type(t), padder.type(t), up.type(t)

    def _window(self, i):
        """The focused window's top-left corner (0-based) in scale i's padded map."""
        r, sub = self.ratios[i], self.sub
        return (math.floor(math.floor(self.x / r) / sub) * sub, math.floor(math.floor(self.y / r) / sub) * sub)

    def updateOutput(self, input):
        if input.dim() != 3:
            raise TorchValueError("nn.SpatialFovea: input must be 3d")
        if input._size[0] != self.nInputPlane:
            raise TorchValueError("nn.SpatialFovea: input must have %d input planes" % self.nInputPlane)
        n = len(self.ratios)
        self.configure(input._size[2], input._size[1])
        retrieved, key = False, None
        if self.cachePrePreproc:
            cache = self.__dict__.setdefault("cachedPreProcessed", {})
            key = "%r%r" % (input.sum(), input.std())
            if key in cache:
                self.padded = list(cache[key])
                retrieved = True
        if not retrieved:
            for i in range(n):
                self.pyramid[i] = self.downsamplers[i].updateOutput(input)
                pre = self.preProcessors[i] if i < len(self.preProcessors) else None
                self.preProcessed[i] = pre.updateOutput(self.pyramid[i]) if pre is not None else self.pyramid[i]
                self.padded[i] = self.padders[i].updateOutput(self.preProcessed[i])
            if self.cachePrePreproc:
                self.cachedPreProcessed[key] = [p.clone() for p in self.padded]
        for i in range(n):
            if self.focused:
                ox, oy = self._window(i)
                self.narrowed[i] = self.padded[i].narrow(2, ox, self.fov).narrow(1, oy, self.fov)
            else:
                self.narrowed[i] = self.padded[i]
            self.processed[i] = self.processors[i].updateOutput(self.narrowed[i])
            self.upsampled[i] = (self.processed[i] if self.focused
                                 else self.upsamplers[i].updateOutput(self.processed[i]))
        planes = sum(p._size[0] for p in self.processed)
        self.output.resize(planes, self.upsampled[0]._size[1], self.upsampled[0]._size[2])
        at = 0
        for u in self.upsampled:
            self.output.narrow(0, at, u._size[0]).copy(u)
            at += u._size[0]
        return self.output

    def updateGradInput(self, input, gradOutput):
        n = len(self.ratios)
        at = 0
        for i in range(n):
            self.gradUpsampled[i] = gradOutput.narrow(0, at, self.processed[i]._size[0])
            at += self.upsampled[i]._size[0]
            self.gradProcessed[i] = (self.gradUpsampled[i] if self.focused else
                                     self.upsamplers[i].updateGradInput(self.processed[i], self.gradUpsampled[i]))
            self.gradNarrowed[i] = self.processors[i].updateGradInput(self.narrowed[i], self.gradProcessed[i])
        if self.cachePrePreproc:
            self.gradInput = list(self.gradNarrowed)
            return self.gradInput
        for i in range(n):
            if self.focused:
                g = self.padded[i].new().resizeAs(self.padded[i]).zero()
                ox, oy = self._window(i)
                g.narrow(2, ox, self.fov).narrow(1, oy, self.fov).copy(self.gradNarrowed[i])
                self.gradPadded[i] = g
            else:
                self.gradPadded[i] = self.gradNarrowed[i]
            self.gradPreProcessed[i] = self.padders[i].updateGradInput(self.preProcessed[i], self.gradPadded[i])
            pre = self.preProcessors[i] if i < len(self.preProcessors) else None
            self.gradPyramid[i] = (pre.updateGradInput(self.pyramid[i], self.gradPreProcessed[i])
                                   if pre is not None else self.gradPreProcessed[i])
        self.gradInput = input.new().resizeAs(input).zero()
        for i in range(n):
            self.gradInput.add(self.downsamplers[i].updateGradInput(input, self.gradPyramid[i]))
        return self.gradInput

    def reset(self, stdv=None):
        for p in self.processors:
            if hasattr(p, "reset"):
                p.reset(stdv)
        return self

    def zeroGradParameters(self):
        for p in self.processors:
            p.zeroGradParameters()

    def accGradParameters(self, input, gradOutput, scale=1):
        for i, p in enumerate(self.processors):
            p.accGradParameters(self.narrowed[i], self.gradProcessed[i], scale)

    def updateParameters(self, learningRate):
        for p in self.processors:
            p.updateParameters(learningRate)

    def parameters(self):
        w, gw = [], []
        for m in self.modules:
            mw, mgw = m.parameters()
            w += list(mw)
            gw += list(mgw)
        return w, gw

    def type(self, typename=None, tensorCache=None):
        super().type(typename, tensorCache)
        if typename is not None:
            for m in self.processors + self.preProcessors + [m for m in self.upsamplers + self.downsamplers
                                                               + self.padders if m is not None]:
                m.type(typename, tensorCache)
        return self
