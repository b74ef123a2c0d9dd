"""nn.VolumetricDilatedMaxPooling(kT, kW, kH, dT, dW, dH, padT, padW, padH, dilationT, dilationW,
dilationH): VolumetricMaxPooling whose window taps are dilation apart.  `indices` keeps THNN's
encoding of the max's tap inside its window (t + 256*y + 65536*x, 0-based taps, unchanged in t7
files), including THNN's shifted tap numbering in windows cut by the padding."""
import numpy as np

from .VolumetricMaxPooling import VolumetricMaxPooling
from . import utils
from . import _spatial as S
from ..cuda.device import to_host
from ..cuda.device import array_module as _xp


def _taps(n, o, k, d, pad, dil):
    """For one dim: (positions, valid, tap codes), each (o, k), as THNN's frame loop visits them."""
    start = np.arange(o) * d - pad
    kern = np.minimum(k, k + start)
    adj = np.where(start < 0, start + ((-start + dil - 1) // dil) * dil, start)
    z = np.arange(k)[None, :]
    pos = adj[:, None] + z * dil
    valid = (z < kern[:, None]) & (pos < n)
    code = z + (k - kern)[:, None]
    return np.where(valid, pos, 0), valid, code


class VolumetricDilatedMaxPooling(VolumetricMaxPooling):
    def __init__(self, kT, kW, kH, dT=None, dW=None, dH=None, padT=0, padW=0, padH=0,
                 dilationT=1, dilationW=1, dilationH=1):
        super().__init__(kT, kW, kH, dT, dW, dH, padT, padW, padH)
        self.dilationT = dilationT or 1
        self.dilationW = dilationW or 1
        self.dilationH = dilationH or 1

    def _geom(self, input):
        dil = (self.dilationT, self.dilationH, self.dilationW)
        out = S.pool3d_out(self, input, dil)
        if min(out) < 1:
            utils.bad_input(self, S.PLANES_3D + " large enough for the dilated kernel", input)
        ins = input._size[-3:]
        k = (self.kT, self.kH, self.kW)
        d = (self.dT, self.dH, self.dW)
        p = (self.padT, self.padH, self.padW)
        return ins, out, k, d, p, dil

    def updateOutput(self, input):
        self.itime, self.iheight, self.iwidth = input._size[-3:]
        ins, out, k, d, p, dil = self._geom(input)
        x = S.arr(input).reshape((-1,) + ins)
        P = x.shape[0]
        taps = [_taps(*a) for a in zip(ins, out, k, d, p, dil)]
        strides = (ins[1] * ins[2], ins[2], 1)
        flat = np.zeros((1,) * 6, np.int64)
        valid = np.ones((1,) * 6, bool)
        code = np.zeros((1,) * 6, np.int64)
        for j, ((pos, ok, c), mult) in enumerate(zip(taps, (1, 256, 65536))):
            shape = [1] * 6
            shape[j], shape[3 + j] = out[j], k[j]
            flat = flat + pos.reshape(shape) * strides[j]
            valid = valid & ok.reshape(shape)
            code = code + c.reshape(shape) * mult
        win = out + (-1,)
        flat = np.broadcast_to(flat, out + k).reshape(win)
        valid = np.broadcast_to(valid, out + k).reshape(win)
        code = np.broadcast_to(code, out + k).reshape(win)
        xp = _xp(x)   # the window geometry is made on the host: copied over for a Cuda tensor
        flat, valid, code = xp.asarray(flat), xp.asarray(valid), xp.asarray(code)
        vals = x.reshape(P, -1)[:, flat]
        vals = np.where(valid[None], vals, -np.inf)
        best = np.argmax(vals, axis=-1)
        osize = input._size[:-3] + out
        y = S.out(self.output, osize).reshape((P,) + out)
        y[...] = np.take_along_axis(vals, best[..., None], axis=-1)[..., 0]
        ind = S.index_buffer(self, "indices", osize).reshape((P,) + out)
        # indices stay a LongTensor (on the host) as for the other pooling modules
        codes = np.take_along_axis(np.broadcast_to(code, (P,) + code.shape), best[..., None], axis=-1)[..., 0]
        ind[...] = to_host(codes)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        ins, out, k, d, p, dil = self._geom(input)
        osize = input._size[:-3] + out
        S.check_grad(self, gradOutput, osize)
        self._check_indices(osize)
        ind = np.asarray(self.indices._a).reshape((-1,) + out)
        P = ind.shape[0]
        codes = (ind & 255, (ind >> 8) & 255, (ind >> 16) & 255)
        flat = np.zeros(ind.shape, np.int64)
        for j, (c, stride) in enumerate(zip(codes, (ins[1] * ins[2], ins[2], 1))):
            shape = [1, 1, 1]
            shape[j] = out[j]
            o = np.arange(out[j]).reshape(shape)
            flat += (c * dil[j] + o * d[j] - p[j]) * stride
        m = ins[0] * ins[1] * ins[2]
        flat += (np.arange(P) * m).reshape(-1, 1, 1, 1)
        g = S.arr(gradOutput).reshape(-1)
        xp = _xp(g)
        gi = xp.bincount(xp.asarray(flat.reshape(-1)), weights=g.astype(np.float64), minlength=P * m)
        S.out(self.gradInput, input._size)[...] = gi.reshape(input._size)
        return self.gradInput

    def __tostring__(self):
        s = "%s(%dx%dx%d, %d,%d,%d" % (self.typename, self.kT, self.kW, self.kH, self.dT, self.dW, self.dH)
        if self.padT != 0 or self.padW != 0 or self.padH != 0:
            s += ", %d,%d,%d" % (self.padT, self.padW, self.padH)
        return s + ", %d,%d,%d)" % (self.dilationT, self.dilationW, self.dilationH)
