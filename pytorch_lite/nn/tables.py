"""nn.tables: connection tables for SpatialConvolutionMap / SpatialFullConvolutionMap (not a
module file).  A table is a K x 2 tensor of (input plane, output plane) pairs, 0-based here
(Torch7's are 1-based; the modules' t7 hooks convert)."""

import numpy as np

from ..tensor import Tensor


def full(nin, nout):
    """Every input plane to every output plane (output-major, as Torch7 lists them)."""
    i, o = np.meshgrid(np.arange(nin), np.arange(nout))
    return Tensor(np.stack([i.reshape(-1), o.reshape(-1)], axis=1).astype(np.float64))


def oneToOne(nfeat):
    a = np.arange(nfeat, dtype=np.float64)
    return Tensor(np.stack([a, a], axis=1))


def random(nin, nout, nto):
    """nto randomly chosen input planes per output plane, drawn with torch.randperm as Torch7's
    nn.tables.random draws them (a new permutation whenever one is used up)."""
    from .. import randperm
    nfi = nin // nto  # distinct chunks of nto in one permutation
    fi = np.asarray(randperm(nin)._a, np.int64)
    frm = np.empty(nto * nout, np.int64)
    to = np.repeat(np.arange(nout), nto)
    chunk = 0
    for i in range(nout):
        frm[i * nto:(i + 1) * nto] = fi[chunk * nto:(chunk + 1) * nto]
        chunk += 1
        if chunk == nfi:
            fi = np.asarray(randperm(nin)._a, np.int64)
            chunk = 0
    return Tensor(np.stack([frm, to], axis=1).astype(np.float64))
