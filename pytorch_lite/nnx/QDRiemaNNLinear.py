"""nnx.QDRiemaNNLinear(inputSize, outputSize, gamma=0.01, qdFlag=true): an nn.Linear whose
accGradParameters rescales the gradients by a running quasi-diagonal (qdFlag) or diagonal
estimate of the layer's Riemannian metric (Ollivier's "Riemannian metrics for neural networks"),
for a batch (2D) input: Mii ~ g^2 . x^2, M0i ~ g^2 . x, M00 ~ sum of g^2, each updated as
(1-gamma) M + gamma * (this batch) after the first batch sets them.  The weights start normal
with std 1/sqrt(inputSize) and a zero bias."""
import math

import numpy as np

from ..errors import TorchValueError
from ..nn.Linear import Linear
from ..tensor import Tensor


class QDRiemaNNLinear(Linear):
    typename = "nnx.QDRiemaNNLinear"

    def __init__(self, inputSize, outputSize, gamma=None, qdFlag=None):
        super().__init__(inputSize, outputSize)
        self.qdFlag = True if qdFlag is None else bool(qdFlag)
        self.gamma = 0.01 if gamma is None else gamma
        self.matReg = 1e-12
        self.initMetric = True
        self.Mii = Tensor(outputSize, inputSize)
        if self.qdFlag:
            self.M0i = Tensor(outputSize, inputSize)
        self.M00 = Tensor(outputSize)

    def reset(self, stdv=None):
        self.initMetric = True
        self.weight.normal(0, 1.0 / math.sqrt(self.weight._size[1]))
        self.bias.zero()
        return self

    def accGradParameters(self, input, gradOutput, scale=1):
        super().accGradParameters(input, gradOutput)   # nnx ignores the scale
        if input.dim() != 2:
            raise TorchValueError("nnx.QDRiemaNNLinear: the metric is estimated on a batch (2D input)")
        x = np.asarray(input._a)
        g2t = np.asarray(gradOutput._a).reshape(x.shape[0], -1).T ** 2      # out x batch
        batch = (g2t @ x ** 2, g2t @ x if self.qdFlag else None, g2t.sum(axis=1))
        fields = (self.Mii._a, self.M0i._a if self.qdFlag else None, self.M00._a)
        for m, new in zip(fields, batch):
            if m is None:
                continue
            if self.initMetric:
                m[...] = new
            else:
                m *= 1 - self.gamma
                m += self.gamma * new
        self.initMetric = False
        gw, gb = self.gradWeight._a, self.gradBias._a
        mii, m00 = self.Mii._a, self.M00._a
        if self.qdFlag:
            m0i = self.M0i._a
            num = gw * m00[:, None] - m0i * gb[:, None]
            den = np.clip(mii * m00[:, None] - m0i ** 2, self.matReg, 1e25)
            gw[...] = num / den
            gb[...] = (gb - (m0i * gw).sum(axis=1)) / (m00 + self.matReg)
        else:
            mii += self.matReg   # nnx regularises the metric itself, in place
            m00 += self.matReg
            gw /= mii
            gb /= m00
