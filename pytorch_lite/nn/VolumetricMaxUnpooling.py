"""nn.VolumetricMaxUnpooling(poolingModule): the partial inverse of a VolumetricMaxPooling: each
input value goes back to the position its max came from (the pooling module's `indices`, THNN's
packed window offsets t + 256*h + 65536*w), zeros elsewhere.  The output size is the pooling
module's last input size (``itime``/``iheight``/``iwidth``) when recorded, else the smallest
one the pooling geometry allows."""
import numpy as np

from ..errors import TorchValueError
from .Module import Module
from . import utils
from ..cuda.device import array_module as _xp


class VolumetricMaxUnpooling(Module):
    def __init__(self, poolingModule):
        super().__init__()
        if poolingModule.typename != "nn.VolumetricMaxPooling":
            raise TorchValueError("nn.VolumetricMaxUnpooling: argument must be a nn.VolumetricMaxPooling module")
        p = poolingModule
        self.pooling = p
        self.dT, self.dH, self.dW = p.dT, p.dH, p.dW
        self.padT, self.padH, self.padW = p.padT, p.padH, p.padW

    def setParams(self, input):
        p = self.pooling
        self.indices = p.indices
        T, H, W = input._size[-3:]
        self.otime = p.__dict__.get("itime") or (T - 1) * p.dT + p.kT - 2 * p.padT
        self.oheight = p.__dict__.get("iheight") or (H - 1) * p.dH + p.kH - 2 * p.padH
        self.owidth = p.__dict__.get("iwidth") or (W - 1) * p.dW + p.kW - 2 * p.padW

    def _targets(self, input):
        self.setParams(input)
        if input.dim() not in (4, 5) or self.indices._size != input._size:
            utils.bad_input(self, "a 4D or 5D tensor of the size of the pooling module's indices (%s)"
                            % utils.shape_str(self.indices), input)
        T, H, W = input._size[-3:]
        ind = self.indices._a.reshape(-1, T, H, W)
        t = np.arange(T)[:, None, None] * self.dT - self.padT + (ind & 0xff)
        h = np.arange(H)[None, :, None] * self.dH - self.padH + ((ind >> 8) & 0xff)
        w = np.arange(W)[None, None, :] * self.dW - self.padW + ((ind >> 16) & 0xff)
        oT, oH, oW = self.otime, self.oheight, self.owidth
        bad = (t < 0) | (t >= oT) | (h < 0) | (h >= oH) | (w < 0) | (w >= oW)
        if bad.any():
            raise TorchValueError("nn.VolumetricMaxUnpooling: found an invalid max index (output size %dx%dx%d)"
                                  % (oT, oH, oW))
        return ((t * oH + h) * oW + w).reshape(ind.shape[0], -1)

    def updateOutput(self, input):
        flat = self._targets(input)
        x = input._a.reshape(flat.shape)
        xp = _xp(x)   # the indices are a pooling module's LongTensor: copied over for a Cuda input
        y = xp.zeros((x.shape[0], self.otime * self.oheight * self.owidth), x.dtype)
        np.put_along_axis(y, xp.asarray(flat), x, axis=1)
        self.output.resize(*(input._size[:-3] + (self.otime, self.oheight, self.owidth)))
        self.output._a[...] = y.reshape(self.output._a.shape)
        return self.output

    def updateGradInput(self, input, gradOutput):
        flat = self._targets(input)
        g = gradOutput._a.reshape(flat.shape[0], -1)
        self.gradInput.resizeAs(input)
        self.gradInput._a[...] = np.take_along_axis(g, _xp(g).asarray(flat), axis=1).reshape(input._a.shape)
        return self.gradInput

    def clearState(self):
        self.__dict__.pop("indices", None)
        return super().clearState()

    def __tostring__(self):
        return "nn.VolumetricMaxUnpooling associated to %s" % self.pooling
