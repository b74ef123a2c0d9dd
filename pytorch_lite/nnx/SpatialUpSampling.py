"""nn.SpatialUpSampling(dW, dH[, yDim, xDim]): nearest-neighbour upsampling over two adjacent dims
(default the last two of a planes x H x W input; yDim/xDim 0-based here, 1-based in Lua and t7),
each pixel repeated dH x dW times; the gradient sums each block back."""
from ..errors import TorchValueError
from ..nn.Module import Module
from ..nn import utils
from ..nn import _spatial as S
from ._args import options
from . import _resample as R


class SpatialUpSampling(Module):
    typename = "nn.SpatialUpSampling"
    t7_index_fields = ("yDim", "xDim")

    def __init__(self, *args, **kw):
        super().__init__()
        opts = options("nn.SpatialUpSampling", args, kw, ("dW", "dH", "yDim", "xDim"),
                       defaults={"yDim": 1, "xDim": 2}, required=("dW", "dH"))
        self.dW, self.dH = int(opts["dW"]), int(opts["dH"])
        self.yDim, self.xDim = int(opts["yDim"]), int(opts["xDim"])
        if self.yDim + 1 != self.xDim:
            raise TorchValueError("nn.SpatialUpSampling: yDim must be equals to xDim-1")
        if self.dW < 1 or self.dH < 1:
            raise TorchValueError("nn.SpatialUpSampling: dW and dH must be positive")

    def _planes(self, input):
        if input.dim() <= self.xDim:
            utils.bad_input(self, "a tensor with at least %d dims" % (self.xDim + 1), input)
        return R.four_d(input._size, self.yDim, self.xDim)

    def updateOutput(self, input):
        k1, h, w, k2 = self._planes(input)
        size = list(input._size)
        size[self.yDim] *= self.dH
        size[self.xDim] *= self.dW
        y = S.out(self.output, size).reshape(k1, h, self.dH, w, self.dW, k2)
        y[...] = S.arr(input).reshape(k1, h, 1, w, 1, k2)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        k1, h, w, k2 = self._planes(input)
        g = S.arr(gradOutput).reshape(k1, h, self.dH, w, self.dW, k2)
        gi = S.out(self.gradInput, input._size).reshape(k1, h, w, k2)
        g.sum(axis=(2, 4), out=gi)
        return self.gradInput
