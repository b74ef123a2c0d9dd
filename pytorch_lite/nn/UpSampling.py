"""nn.UpSampling(scale_factor | {[odepth=], oheight=, owidth=}, mode='nearest'): upsamples the
last two (4D input: batch x channels x H x W) or three (5D: ... x D x H x W) dimensions.

'nearest' repeats each element scale_factor times along every spatial dimension; 'linear'
(also 'bilinear'/'trilinear') interpolates linearly with the corners aligned, to in * scale_factor
or to the given sizes.  Both are one matrix per spatial dimension (out x in), so the backward
pass is the same product with the transposed matrices."""
import numpy as np

from ..errors import TorchValueError
from ..storage import LongStorage
from .Module import Module
from . import _spatial as S
from ..cuda.device import array_module as _xp


def _nearest(n_in, scale):
    m = np.zeros((n_in * scale, n_in))
    m[np.arange(n_in * scale), np.arange(n_in * scale) // scale] = 1
    return m


def _linear(n_in, n_out):
    m = np.zeros((n_out, n_in))
    src = np.arange(n_out) * ((n_in - 1) / (n_out - 1)) if n_out > 1 else np.zeros(1)
    lo = np.minimum(np.floor(src).astype(np.int64), n_in - 1)
    hi = np.minimum(lo + 1, n_in - 1)
    w = src - lo
    np.add.at(m, (np.arange(n_out), lo), 1 - w)
    np.add.at(m, (np.arange(n_out), hi), w)
    return m


class UpSampling(Module):
    odepth = owidth = oheight = scale_factor = None

    def __init__(self, params, mode=None):
        super().__init__()
        self.mode = "linear" if mode in ("linear", "bilinear", "trilinear") else "nearest"
        if isinstance(params, dict):
            if self.mode == "nearest":
                raise TorchValueError("Nearest neighbour upsampling requires a scale_factor")
            self.odepth, self.owidth, self.oheight = params.get("odepth"), params.get("owidth"), params.get("oheight")
            if self.owidth is None or self.oheight is None:
                raise TorchValueError("Output height and width parameters are required")
        else:
            if params < 1:
                raise TorchValueError("scale_factor must be greater than 1")
            if params != int(params):
                raise TorchValueError("scale_factor must be integer")
            self.scale_factor = int(params)
        self.inputSize = LongStorage(5).fill(0)
        self.outputSize = LongStorage(5).fill(0)

    def _matrices(self, input):
        """One (out x in) matrix per spatial dimension of input (also sets inputSize/outputSize)."""
        if input.dim() not in (4, 5):
            raise TorchValueError("UpSampling only supports 4D or 5D tensors, got a %dD tensor" % input.dim())
        spatial = input._size[2:]
        if self.scale_factor is not None:
            outs = tuple(n * self.scale_factor for n in spatial)
        else:
            if len(spatial) == 3 and self.odepth is None:
                raise TorchValueError("No output depth dimension was supplied for volumetric upsampling")
            outs = ((self.odepth,) if len(spatial) == 3 else ()) + (self.oheight, self.owidth)
        for i, n in enumerate(input._size):
            self.inputSize[i] = n
            self.outputSize[i] = n if i < 2 else outs[i - 2]
        if self.mode == "nearest":
            return [_nearest(n, self.scale_factor) for n in spatial], outs
        return [_linear(n, int(o)) for n, o in zip(spatial, outs)], outs

    @staticmethod
    def _apply(x, mats, transpose):
        xp = _xp(x)   # the matrices are made on the host: copied over for a Cuda tensor
        for axis, m in enumerate(mats, 2):
            m = xp.asarray(m)
            x = np.moveaxis(np.tensordot(m.T if transpose else m, np.moveaxis(x, axis, 0), axes=1), 0, axis)
        return x

    def updateOutput(self, input):
        mats, outs = self._matrices(input)
        y = self._apply(S.arr(input), mats, False)
        S.out(self.output, input._size[:2] + outs)[...] = y
        return self.output

    def updateGradInput(self, input, gradOutput):
        mats, outs = self._matrices(input)
        S.check_grad(self, gradOutput, input._size[:2] + outs)
        g = self._apply(S.arr(gradOutput), mats, True)
        S.out(self.gradInput, input._size)[...] = g
        return self.gradInput
