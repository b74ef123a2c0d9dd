"""nn.SpatialNormalization(nInputPlane, kernel[, threshold]): nnx's (deprecated) local contrast
normalisation of a planes x H x W map (or an H x W image).  The local mean is a kernel-weighted
average taken over all planes at once, with replication-free edges corrected by the kernel's
coverage (coef, the same filter applied to ones); it is subtracted, and the result divided by the
local standard deviation computed the same way, floored at `threshold` (default: the mean of that
standard deviation, at least 1e-3, recomputed on every forward and not differentiated).

kernel is a 2D K x K tensor, or a pair {kv (K x 1), kh (1 x K)} of 1D kernels applied one after
the other; as nnx does, the kernels given are divided by their sums in place.  Built from nn
modules as nnx builds it: padding, a one-to-one SpatialConvolutionMap, Sum over planes and
Replicate, then CSub/CDiv/Square/Sqrt/Threshold."""
import math

from ..errors import TorchValueError
from ..nn.Module import Module
from .. import nn
from ..tensor import Tensor
from .SpatialPadding import SpatialPadding
from ._args import options


def _local_sum(nf, ker):
    """planes x H x W -> planes x H x W: the kernel applied to each plane (size kept by an
    asymmetric pad for an even kernel), summed over planes, replicated nf times."""
    kh, kw = ker._size
    pw, ph = kw // 2, kh // 2
    seq = nn.Sequential()
    seq.add(SpatialPadding(pw, pw - (1 - kw % 2), ph, ph - (1 - kh % 2)))
    conv = nn.SpatialConvolutionMap(nn.tables.oneToOne(nf), kw, kh)
    for i in range(nf):
        conv.weight[i].copy(ker)
    conv.bias.zero()
    seq.add(conv)
    seq.add(nn.Sum(0))
    seq.add(nn.Replicate(nf))
    return seq


class SpatialNormalization(Module):
    typename = "nn.SpatialNormalization"

    def __init__(self, *args, **kw):
        super().__init__()
        print("<SpatialNormalization> WARNING: this module has been deprecated,")
        print(" please use SpatialContrastiveNormalization instead")
        opts = options("nn.SpatialNormalization", args, kw, ("nInputPlane", "kernel", "threshold"),
                       required=("nInputPlane",))
        nf, ker, thres = int(opts["nInputPlane"]), opts["kernel"], opts["threshold"]
        if ker is None:
            raise TorchValueError("nn.SpatialNormalization: please provide kernel(s)")
        self.kernel = ker
        kers = list(ker) if isinstance(ker, (list, tuple)) else [ker]
        for k in kers:
            if not isinstance(k, Tensor) or k.dim() != 2:
                raise TorchValueError("nn.SpatialNormalization: a kernel is a 2D tensor (1D kernels: K x 1, 1 x K)")
            k.div(k.sum())
        self.nfeatures = nf
        self.fixedThres = thres
        first, second = kers[0], (kers[1] if len(kers) > 1 else None)
        self.padW, self.padH = first._size[1] // 2, first._size[0] // 2
        self.kerWisPair, self.kerHisPair = 1 - first._size[1] % 2, 1 - first._size[0] % 2
        self.pad2W = second._size[1] // 2 if second is not None else 0
        self.pad2H = second._size[0] // 2 if second is not None else 0
        self.ker2WisPair = 1 - second._size[1] % 2 if second is not None else 0
        self.ker2HisPair = 1 - second._size[0] % 2 if second is not None else 0
        self.convo = self._filter(nf, kers)
        self.convostd = self._filter(nf, kers)
        self.squareMod = nn.Square()
        self.sqrtMod = nn.Sqrt()
        self.subtractMod = nn.CSubTable()
        self.meanDiviseMod = nn.CDivTable()
        self.stdDiviseMod = nn.CDivTable()
        self.diviseMod = nn.CDivTable()
        self.thresMod = nn.Threshold()
        self.coef = Tensor(1, 1)

    @staticmethod
    def _filter(nf, kers):
        if len(kers) == 1:
            return _local_sum(nf, kers[0])
        pack = nn.Sequential()
        for k in kers:
            pack.add(_local_sum(nf, k))
        return pack

    def _input3d(self, input):
        if input.dim() == 2:
            return input.clone().resize(1, *input._size)
        if input.dim() != 3 or input._size[0] != self.nfeatures:
            raise TorchValueError("nn.SpatialNormalization: expected a %d x H x W tensor, got %s"
                                  % (self.nfeatures, "x".join(map(str, input._size))))
        return input

    def updateOutput(self, input):
        x = self._input3d(input)
        if tuple(self.coef._size) != tuple(x._size[1:]) and tuple(self.coef._size[-2:]) != tuple(x._size[1:]):
            ones = x.new().resize(self.nfeatures, *x._size[1:]).fill(1)
            self.coef = self.convo.updateOutput(ones).clone()
        self.inConvo = self.convo.updateOutput(x)
        self.inMean = self.meanDiviseMod.updateOutput([self.inConvo, self.coef])
        self.inputZeroMean = self.subtractMod.updateOutput([x, self.inMean])
        self.inputZeroMeanSq = self.squareMod.updateOutput(self.inputZeroMean)
        self.inConvoVar = self.convostd.updateOutput(self.inputZeroMeanSq)
        self.inStdDevNotUnit = self.sqrtMod.updateOutput(self.inConvoVar)
        self.inStdDev = self.stdDiviseMod.updateOutput([self.inStdDevNotUnit, self.coef])
        fixed = self.__dict__.get("fixedThres")   # nil: not in a t7 file
        th = fixed if fixed is not None else max(self.inStdDev.mean(), 1e-3)
        self.thresMod.threshold = th
        self.thresMod.val = th
        self.stdDev = self.thresMod.updateOutput(self.inStdDev)
        self.output = self.diviseMod.updateOutput([self.inputZeroMean, self.stdDev])
        return self.output

    def updateGradInput(self, input, gradOutput):
        x = self._input3d(input)
        self.gradInput.resizeAs(x).zero()
        gradZeroMean, gradThres = self.diviseMod.updateGradInput([self.inputZeroMean, self.stdDev], gradOutput)
        gradInStd = self.thresMod.updateGradInput(self.inStdDev, gradThres)
        gradStdNotUnit = self.stdDiviseMod.updateGradInput([self.inStdDevNotUnit, self.coef], gradInStd)[0]
        gradVar = self.sqrtMod.updateGradInput(self.inConvoVar, gradStdNotUnit)
        gradZeroMeanSq = self.convostd.updateGradInput(self.inputZeroMeanSq, gradVar)
        gradZeroMean.add(self.squareMod.updateGradInput(self.inputZeroMean, gradZeroMeanSq))
        gradDiff = self.subtractMod.updateGradInput([x, self.inMean], gradZeroMean)
        gradInConvo = self.meanDiviseMod.updateGradInput([self.inConvo, self.coef], gradDiff[1])[0]
        self.gradInput.add(gradDiff[0])
        self.gradInput.add(self.convo.updateGradInput(x, gradInConvo))
        return self.gradInput

    def type(self, typename=None, tensorCache=None):
        super().type(typename, tensorCache)
        if typename is not None:
            for m in (self.convo, self.meanDiviseMod, self.subtractMod, self.squareMod, self.convostd,
                      self.sqrtMod, self.stdDiviseMod, self.thresMod, self.diviseMod):
                m.type(typename, tensorCache)
        return self
