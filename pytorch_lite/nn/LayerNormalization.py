"""nn.LayerNormalization(nOutput, bias=0, eps=1e-10, affine=True): layer normalisation (Ba, Kiros
and Hinton 2016) over the last dimension, built as Torch7's nn builds it, an nn.Sequential of
nn's modules: the input minus its mean (ConcatTable of Identity and Mean-Replicate, CSubTable),
scaled to unit L2 norm (Normalize(2, eps)) times sqrt(nOutput), then, when affine, a gain
(CMul, ones) and a bias (Add, filled with ``bias``)."""
import math

from .Sequential import Sequential


class LayerNormalization(Sequential):
    def __init__(self, nOutput=None, bias=None, eps=None, affine=None):
        super().__init__()
        if nOutput is None:   # an empty object (a t7 file fills it in)
            return
        from . import (Add, CMul, CSubTable, ConcatTable, Identity, Mean, MulConstant, Normalize,
                       Replicate)
        nOutput = int(nOutput)
        eps = 1e-10 if eps is None else eps
        affine = True if affine is None else bool(affine)
        bias = 0 if bias is None else bias
        centre = ConcatTable()
        centre.add(Identity())
        centre.add(Sequential().add(Mean(0, 1)).add(Replicate(nOutput, 0, 1)))
        self.add(centre)
        self.add(CSubTable())
        self.add(Normalize(2, eps))
        self.add(MulConstant(math.sqrt(nOutput)))
        if affine:
            gain = CMul(nOutput)
            gain.weight.fill(1.0)
            shift = Add(nOutput, False)
            shift.bias.fill(bias)
            self.add(gain)
            self.add(shift)
