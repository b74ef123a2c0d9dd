"""What unsup's modules share: dictionaries renormalised to unit-norm atoms, and an
(encoder, decoder) pair's parameters and learning rates."""
from ..errors import TorchValueError

_EPS = 1e-12   # keeps an all-zero atom from dividing by zero


def normalize_atoms(w):
    """Each atom of the dictionary w divided by its L2 norm (+1e-12), in place: the columns of a
    2D (linear) weight, the 2D kernels (last two dims) of a 3D, 4D or 5D (convolution) weight."""
    if w is None or w.dim() < 2:
        return
    a = w._a
    if w.dim() == 2:
        a /= ((a * a).sum(axis=0, keepdims=True) ** 0.5) + _EPS
    elif w.dim() <= 5:
        a /= ((a * a).sum(axis=(-2, -1), keepdims=True) ** 0.5) + _EPS
    else:
        raise TorchValueError("I do not know what kind of weight matrix this is (%dD)" % w.dim())


def pair_parameters(first, second):
    """(params, gradParams) of two modules, first's before second's (a Sequential of the two)."""
    params, grads = [], []
    for m in (first, second):
        got = m.parameters()
        if got and got[0]:
            params.extend(got[0])
            grads.extend(got[1])
    return params, grads


def pair_rates(learningRate):
    """A number is both modules' rate; a pair (list or tuple) gives (rate[0], rate[1])."""
    if isinstance(learningRate, (list, tuple)):
        return learningRate[0], learningRate[1]
    return learningRate, learningRate
