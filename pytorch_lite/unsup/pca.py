"""unsup.pcacov and unsup.pca: principal components of the rows of an M x N data matrix."""
import math

import pytorch_lite as torch

from ..errors import TorchValueError


def _centered(x, what):
    if x.dim() != 2 or x.size(0) < 2:
        raise TorchValueError("%s: expected an M x N matrix of M >= 2 samples, got a %s tensor"
                              % (what, "x".join(str(s) for s in x.size()) or "empty"))
    return x - torch.mean(x, 0).expandAs(x)


def pcacov(x):
    """(eigenvalues, eigenvectors as columns) of the samples' covariance matrix (divided by M - 1),
    eigenvalues in increasing order."""
    xm = _centered(x, "pcacov")
    c = torch.mm(xm.t(), xm)
    c.div(x.size(0) - 1)
    return torch.symeig(c, "V")


def pca(x):
    """(variances, principal directions as columns) from the SVD of the centred data, in
    decreasing order; the same spectrum as pcacov's, reversed."""
    xm = _centered(x, "pca")
    xm.div(math.sqrt(x.size(0) - 1))
    w, s, _ = torch.svd(xm.t())
    s.cmul(s)
    return s, w
