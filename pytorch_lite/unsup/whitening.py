"""unsup's whitening: ZCA and PCA transforms of an M x N1 [x N2 ...] data tensor (samples are the
first dim, each flattened to N = N1 x N2 ... values), their inverses, and nn layers applying them.

``zca_whiten(data [, means, P, invP, epsilon])`` returns ``(whitened data, means, P, invP)``:
with all three given they are used as they are, otherwise computed from the data (means, then
P = V diag(1 / sqrt(e + epsilon)) V^T and its inverse from the covariance's eigendecomposition
``e, V = pcacov``); ``zca_colour(data, means, P, invP)`` undoes it.  ``pca_whiten`` /
``pca_colour`` are the same with P = V diag(1 / sqrt(e + 1e-5)) (the data rotated onto the
principal axes).  The inputs are never changed."""
import pytorch_lite as torch

from .. import nn
from ..errors import TorchValueError
from .pca import pcacov


def _flat(data, what):
    if data.dim() < 2:
        raise TorchValueError("%s: expected data of at least 2 dimensions (samples first)" % what)
    nsamples = data.size(0)
    n = data.nElement() // nsamples
    aux = data.clone()
    if data.dim() >= 3:
        aux = aux.view(nsamples, n)
    return aux, nsamples, n


def _subtract_means(aux, means, nsamples, n):
    aux.add(-1, means.contiguous().view(1, n).expand(nsamples, n))


def zca_whiten(data, means=None, P=None, invP=None, epsilon=None):
    epsilon = 1e-5 if epsilon is None else epsilon
    aux, nsamples, n = _flat(data, "zca_whiten")
    if means is None or P is None or invP is None:
        means = torch.mean(aux, 0).squeeze()
        ce, cv = pcacov(aux)
        ce.add(epsilon).sqrt()
        P = torch.mm(torch.mm(cv, torch.diag(ce.clone().pow(-1))), cv.t())
        invP = torch.mm(torch.mm(cv, torch.diag(ce)), cv.t())
    _subtract_means(aux, means, nsamples, n)
    aux = torch.mm(aux, P)
    aux.resizeAs(data)
    return aux, means, P, invP


def _colour(name, data, means, P, invP):
    """The whitened data back in its own space: times invP, plus the means."""
    if means is None or invP is None:
        raise TorchValueError("%s: means and invP are required" % name)
    aux, nsamples, n = _flat(data, name)
    aux = torch.mm(aux, invP)
    aux.add(means.contiguous().view(1, n).expand(nsamples, n))
    aux.resizeAs(data)
    return aux, means, P, invP


def zca_colour(data, means, P, invP):
    return _colour("zca_colour", data, means, P, invP)


def pca_whiten(data, means=None, P=None, invP=None):
    aux, nsamples, n = _flat(data, "pca_whiten")
    if means is None or P is None:
        means = torch.mean(aux, 0).squeeze()
        ce, cv = pcacov(aux)
        ce.add(1e-5).sqrt()
        P = torch.mm(cv, torch.diag(ce.clone().pow(-1)))
        invP = torch.mm(torch.diag(ce), cv.t())
    _subtract_means(aux, means, nsamples, n)
    aux = torch.mm(aux, P)
    aux.resizeAs(data)
    return aux, means, P, invP


def pca_colour(data, means, P, invP):
    return _colour("pca_colour", data, means, P, invP)


def _layer(data, weight, bias_from_means, means):
    """An nn.Linear(N, N) with the given weight (for y = W x + b) and bias, wrapped in Reshapes
    when the samples are not vectors (unsup's layout: the whole batch reshaped)."""
    n = data.nElement() // data.size(0)
    linear = nn.Linear(n, n)
    linear.weight.copy(weight)
    if bias_from_means:
        linear.bias.fill(0)
        linear.bias.copy(linear.forward(means).mul(-1))
    else:
        linear.bias.copy(means)
    if data.dim() > 2:
        return nn.Sequential().add(nn.Reshape(data.size(0), n)).add(linear).add(nn.Reshape(data.size()))
    return linear


def zca_layer(data, means=None, P=None, invP=None):
    """(layer, means, P, invP): an nn layer computing zca_whiten's transform."""
    if means is None or P is None or invP is None:
        _, means, P, invP = zca_whiten(data)
    return _layer(data, P.t(), True, means), means, P, invP


def inv_zca_layer(data, means=None, P=None, invP=None):
    """(layer, means, P, invP): an nn layer computing zca_colour's transform."""
    if means is None or P is None or invP is None:
        _, means, P, invP = zca_whiten(data)
    return _layer(data, invP.t(), False, means), means, P, invP


def pca_layer(data, means=None, P=None, invP=None):
    if means is None or P is None or invP is None:
        _, means, P, invP = pca_whiten(data)
    return _layer(data, P.t(), True, means), means, P, invP


def inv_pca_layer(data, means=None, P=None, invP=None):
    if means is None or P is None or invP is None:
        _, means, P, invP = pca_whiten(data)
    return _layer(data, invP.t(), False, means), means, P, invP
