"""nn.SpatialMaxPooling(kW, kH, dW=kW, dH=kH, padW=0, padH=0): max over kW x kH windows of
each plane; :ceil() / :floor() choose how the output size rounds.  `indices` (a LongTensor
shaped like the output) holds the 0-based flat index h*W+w of each max inside its input plane
(Torch7 stores it 1-based: converted on t7 load and save)."""
from ..errors import TorchValueError
from ..tensor import LongTensor
from .Module import Module
from . import utils
from . import _spatial as S


class SpatialMaxPooling(Module):
    t7_index_fields = ("indices",)

    def __init__(self, kW, kH, dW=None, dH=None, padW=0, padH=0):
        super().__init__()
        self.kW, self.kH = kW, kH
        self.dW = kW if dW is None else dW
        self.dH = kH if dH is None else dH
        self.padW, self.padH = padW, padH
        self.ceil_mode = False
        self.indices = LongTensor()

    def ceil(self):
        self.ceil_mode = True
        return self

    def floor(self):
        self.ceil_mode = False
        return self

    def _dilation(self):
        return 1, 1

    def _sizes(self, input):
        expected = "a 3D (nPlane x H x W) or 4D (batch x nPlane x H x W) tensor"
        x = S.planes(self, input, expected)
        H, W = x.shape[1:]
        dilH, dilW = self._dilation()
        if self.kW // 2 < self.padW or self.kH // 2 < self.padH:
            utils.bad_input(self, "padding at most half the kernel size (pad %d,%d for kernel %dx%d)"
                            % (self.padW, self.padH, self.kW, self.kH), input)
        ceil = bool(S.get(self, "ceil_mode", False))
        oH = S.pool_size(H, self.kH, self.dH, self.padH, ceil, dilH)
        oW = S.pool_size(W, self.kW, self.dW, self.padW, ceil, dilW)
        if oH < 1 or oW < 1:
            utils.bad_input(self, expected + " of at least the kernel size %dx%d" % (self.kH, self.kW), input)
        return x, input._size[:-2] + (oH, oW)

    def updateOutput(self, input):
        x, osize = self._sizes(input)
        y = S.out(self.output, osize).reshape((x.shape[0],) + osize[-2:])
        ind = S.index_buffer(self, "indices", osize).reshape(y.shape)
        dilH, dilW = self._dilation()
        S.kernels("pool", input).spatial_max_pool_forward(x, y, ind, self.kH, self.kW, self.dH, self.dW,
                                                           self.padH, self.padW, dilH, dilW)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        x, osize = self._sizes(input)
        S.check_grad(self, gradOutput, osize)
        if not isinstance(self.indices, LongTensor) or self.indices._size != osize:
            raise TorchValueError("%s: updateGradInput needs the indices of a forward on this input"
                                        % self.typename)
        g = S.arr(gradOutput).reshape((x.shape[0],) + osize[-2:])
        gi = S.out(self.gradInput, input._size).reshape(x.shape)
        S.kernels("pool", input).spatial_max_pool_backward(g, gi, S.arr(self.indices).reshape(g.shape))
        return self.gradInput

    def clearState(self):
        utils.clear(self, "indices")
        return super().clearState()

    @classmethod
    def _t7_fields_in(cls, fields):
        ind = fields.get("indices")
        if ind is not None and hasattr(ind, "nElement") and ind.nElement():
            fields["indices"] = ind.type("torch.LongTensor")   # older files keep them in a real tensor
        return super()._t7_fields_in(fields)

    def __tostring__(self):
        s = "%s(%dx%d, %d,%d" % (self.typename, self.kW, self.kH, self.dW, self.dH)
        if self.padW != 0 or self.padH != 0:
            s += ", %d,%d" % (self.padW, self.padH)
        return s + ")"
