"""nn.SpatialMaxUnpooling(poolingModule): the partial inverse of a SpatialMaxPooling (kernel ==
stride): each input value goes back to the position its max came from (the pooling module's
0-based `indices`), zeros elsewhere.  The output size is the pooling module's last input size
(``iheight``/``iwidth`` when it recorded them, as Torch7's patched pooling does; otherwise
output * kernel)."""
import numpy as np

from ..errors import TorchValueError
from .Module import Module
from . import utils
from ..cuda.device import array_module as _xp


class SpatialMaxUnpooling(Module):
    def __init__(self, poolingModule):
        super().__init__()
        if poolingModule.typename != "nn.SpatialMaxPooling":
            raise TorchValueError("nn.SpatialMaxUnpooling: argument must be a nn.SpatialMaxPooling module")
        if poolingModule.kH != poolingModule.dH or poolingModule.kW != poolingModule.dW:
            raise TorchValueError("nn.SpatialMaxUnpooling: the size of pooling module's kernel must be equal "
                                  "to its stride")
        self.pooling = poolingModule

    def setParams(self, input):
        p = self.pooling
        self.indices = p.indices
        self.oheight = p.__dict__.get("iheight") or input._size[-2] * p.kH
        self.owidth = p.__dict__.get("iwidth") or input._size[-1] * p.kW

    def _check(self, input):
        if input.dim() not in (3, 4) or self.indices._size != input._size:
            utils.bad_input(self, "a 3D or 4D tensor of the size of the pooling module's indices (%s)"
                            % utils.shape_str(self.indices), input)

    def updateOutput(self, input):
        self.setParams(input)
        self._check(input)
        x = input._a.reshape(-1, input._size[-2] * input._size[-1])
        ind = self.indices._a.reshape(x.shape)
        oH, oW = self.oheight, self.owidth
        if ind.size and (ind.min() < 0 or ind.max() >= oH * oW):
            raise TorchValueError("nn.SpatialMaxUnpooling: found an invalid max index %d (output size %dx%d)"
                                  % (ind.max(), oH, oW))
        xp = _xp(x)   # the indices are a pooling module's LongTensor: copied over for a Cuda input
        y = xp.zeros((x.shape[0], oH * oW), x.dtype)
        np.put_along_axis(y, xp.asarray(ind), x, axis=1)
        self.output.resize(*(input._size[:-2] + (oH, oW)))
        self.output._a[...] = y.reshape(self.output._a.shape)
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.setParams(input)
        self._check(input)
        g = gradOutput._a.reshape(-1, self.oheight * self.owidth)
        ind = self.indices._a.reshape(g.shape[0], -1)
        self.gradInput.resizeAs(input)
        self.gradInput._a[...] = np.take_along_axis(g, _xp(g).asarray(ind), axis=1).reshape(input._a.shape)
        return self.gradInput

    def clearState(self):
        self.__dict__.pop("indices", None)
        return super().clearState()

    def __tostring__(self):
        return "nn.SpatialMaxUnpooling associated to %s" % self.pooling
