"""nn.SpatialGraph{dist='euclid'|'cosine', normalize=true, connex=4}: the edge weights of the
4-connected pixel graph of a K x H x W map, as a 2 x H x W output: plane 0 the edge from (y, x)
to (y, x+1), plane 1 the edge to (y+1, x); edges off the map are 0.

'euclid': the distance between the pixels' K-vectors, times 1/sqrt(K) when normalize (inputs in
[0, 1] then give weights in [0, 1]).  'cosine' (normalize false only, as in nnx): K minus the
dot product of the two vectors, each shifted by 1e-12 so that zero vectors count as similar.
The fields keep nnx's encodings: dist 0 (euclid) or 1 (cosine), normalize 1 or 0."""
import numpy as np

from ..errors import TorchValueError
from ..nn.Module import Module
from ..nn import utils
from ..nn import _spatial as S
from ._args import options

EPS = 1e-12


class SpatialGraph(Module):
    typename = "nn.SpatialGraph"

    def __init__(self, *args, **kw):
        super().__init__()
        opts = options("nn.SpatialGraph", args, kw, ("dist", "normalize", "connex"),
                       defaults={"dist": "euclid", "normalize": True, "connex": 4})
        self.connex = opts["connex"]
        if self.connex != 4:
            raise TorchValueError("nn.SpatialGraph: 4 is the only connexity supported, for now")
        if opts["dist"] not in ("euclid", "cosine"):
            raise TorchValueError("nn.SpatialGraph: dist must be 'euclid' or 'cosine'")
        self.dist = 0 if opts["dist"] == "euclid" else 1
        self.normalize = 1 if opts["normalize"] else 0
        if self.dist == 1 and self.normalize == 1:
            raise TorchValueError("nn.SpatialGraph: normalized cosine is not supported")

    def _check(self, input):
        if input.dim() != 3:
            utils.bad_input(self, "a 3D (K x H x W) tensor", input)

    @staticmethod
    def _pairs(a):
        """(this pixel, right neighbour), (this pixel, lower neighbour): K x H x (W-1), K x (H-1) x W."""
        return (a[:, :, :-1], a[:, :, 1:]), (a[:, :-1, :], a[:, 1:, :])

    def updateOutput(self, input):
        self._check(input)
        k, h, w = input._size
        a = S.arr(input)
        y = S.out(self.output, (self.connex // 2, h, w))
        y[...] = 0
        right, down = y[0, :, :-1], y[1, :-1, :]
        if self.dist == 0:
            normer = 1 / np.sqrt(k) if self.normalize else 1.0
            for (p, q), o in zip(self._pairs(a), (right, down)):
                o[...] = np.sqrt(((p - q) ** 2).sum(axis=0)) * normer
        else:
            b = a + EPS
            for (p, q), o in zip(self._pairs(b), (right, down)):
                o[...] = k - (p * q).sum(axis=0)
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is None:
            return None
        self._check(input)
        k, h, w = input._size
        S.check_grad(self, gradOutput, (self.connex // 2, h, w))
        a, g, y = S.arr(input), S.arr(gradOutput), S.arr(self.output)
        gi = S.out(self.gradInput, input._size)
        gi[...] = 0
        (gr, gd), (yr, yd) = (g[0, :, :-1], g[1, :-1, :]), (y[0, :, :-1], y[1, :-1, :])
        grads = ((gi[:, :, :-1], gi[:, :, 1:]), (gi[:, :-1, :], gi[:, 1:, :]))
        if self.dist == 0:
            normer2 = 1.0 / k if self.normalize else 1.0
            for (p, q), go, yo, (gp, gq) in zip(self._pairs(a), (gr, gd), (yr, yd), grads):
                d = p - q
                part = np.divide(d, yo, out=np.zeros_like(d), where=d != 0) * (go * normer2)
                gp += part
                gq -= part
        else:
            for (p, q), go, (gp, gq) in zip(self._pairs(a), (gr, gd), grads):
                gp -= q * go
                gq -= p * go
        return self.gradInput
