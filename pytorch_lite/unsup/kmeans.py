"""unsup.kmeans: Lloyd's k-means over minibatches, as unsup computes it."""
import numpy as np

from ..errors import TorchValueError
from ..progress import progress

HELP = "centroids,count = unsup.kmeans(Tensor(npoints,dim), k [, niter, batchsize, callback, verbose])"


def _lua_true(v):
    return v is not None and v is not False


def kmeans(x=None, k=None, niter=None, batchsize=None, callback=None, verbose=None):
    """The k centroids of x's rows (M x N, or M x ... flattened per sample) after niter (1)
    iterations, and how many samples each centroid won over all iterations.

    Centroids start as k random normal vectors scaled to unit norm (the torch generator's
    draws, as unsup's); each iteration assigns every sample to its nearest centroid, minibatch by
    minibatch (batchsize, default min(1000, M)), then moves each centroid that won samples to
    their mean.  ``callback(iteration, centroids, totalcounts)`` runs before the first
    iteration (0) and after each one; a result other than None/False stops early.  The
    centroids have x's shape with k rows.
    """
    if x is None or k is None:
        raise TorchValueError("missing argument: " + HELP)
    k = int(k)
    niter = 1 if niter is None else int(niter)
    if x.dim() < 2 or x.size(0) < 1 or k < 1:
        raise TorchValueError("kmeans: expected at least one sample of a 2D (or more) tensor and k >= 1: " + HELP)
    batchsize = min(1000, x.size(0)) if batchsize is None else int(batchsize)
    if batchsize < 1:
        raise TorchValueError("kmeans: batchsize must be positive")
    k_size = list(x.size())
    k_size[0] = k
    if x.dim() > 2:
        x = x.reshape(x.size(0), x.nElement() // x.size(0))
    nsamples, ndims = x.size(0), x.size(1)
    data = x._a
    half_x2 = 0.5 * (data * data).sum(axis=1)

    centroids = x.new(k, ndims).normal()
    for i in range(k):
        row = centroids[i]
        row.div(row.norm())
    totalcounts = x.new(k).zero()
    if callback is not None:
        callback(0, centroids.reshape(*k_size), totalcounts)

    c = centroids._a
    for it in range(1, niter + 1):
        if _lua_true(verbose):
            progress(it, niter)
        half_c2 = 0.5 * (c * c).sum(axis=1)
        summation = np.zeros((k, ndims), c.dtype)
        counts = np.zeros(k, c.dtype)
        loss = 0.0
        for start in range(0, nsamples, batchsize):
            batch = data[start:start + batchsize]
            # nearest centroid = largest c.x - |c|^2 / 2 (the first one on ties)
            score = c @ batch.T - half_c2[:, None]
            labels = score.argmax(axis=0)
            loss += float((half_x2[start:start + batchsize] - score.max(axis=0)).sum())
            np.add.at(summation, labels, batch)
            counts += np.bincount(labels, minlength=k).astype(c.dtype)
        won = counts != 0
        c[won] = summation[won] / counts[won][:, None]
        totalcounts._a[...] += counts
        if callback is not None:
            if _lua_true(callback(it, centroids.reshape(*k_size), totalcounts)):
                break
    return centroids.reshape(*k_size), totalcounts
