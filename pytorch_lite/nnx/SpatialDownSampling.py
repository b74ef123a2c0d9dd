"""nn.SpatialDownSampling(rW, rH): each plane of a 3D (planes x H x W) input averaged over
rH x rW blocks (the output is floor(H/rH) x floor(W/rW); leftover rows and columns are dropped
and get no gradient)."""
from ..errors import TorchValueError
from ..nn.Module import Module
from ..nn import utils
from ..nn import _spatial as S
from ._args import options


class SpatialDownSampling(Module):
    typename = "nn.SpatialDownSampling"

    def __init__(self, *args, **kw):
        super().__init__()
        opts = options("nn.SpatialDownSampling", args, kw, ("rW", "rH"), required=("rW", "rH"))
        self.rW, self.rH = int(opts["rW"]), int(opts["rH"])
        if self.rW < 1 or self.rH < 1:
            raise TorchValueError("nn.SpatialDownSampling: rW and rH must be positive")

    def _sizes(self, input):
        if input.dim() != 3:
            utils.bad_input(self, "a 3D (planes x H x W) tensor", input)
        p, h, w = input._size
        if h < self.rH:
            raise TorchValueError("input too small in dimension 2")
        if w < self.rW:
            raise TorchValueError("input too small in dimension 3")
        return p, h, w, h // self.rH, w // self.rW

    def updateOutput(self, input):
        p, h, w, oh, ow = self._sizes(input)
        x = input._a[:, :oh * self.rH, :ow * self.rW].reshape(p, oh, self.rH, ow, self.rW)
        y = S.out(self.output, (p, oh, ow))
        x.mean(axis=(2, 4), out=y)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        p, h, w, oh, ow = self._sizes(input)
        S.check_grad(self, gradOutput, (p, oh, ow))
        gi = S.out(self.gradInput, input._size)
        gi[...] = 0
        blocks = gi[:, :oh * self.rH, :ow * self.rW].reshape(p, oh, self.rH, ow, self.rW)
        blocks[...] = S.arr(gradOutput)[:, :, None, :, None] / (self.rH * self.rW)
        return self.gradInput
