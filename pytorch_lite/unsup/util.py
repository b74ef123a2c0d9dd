"""unsup's tensor helper: soft shrinkage, the proximal step of an L1 penalty (unsup adds it to
Float and Double tensors as ``x:shrinkage(lambda)``)."""
from ..cuda.device import array_module
from ..errors import TorchTypeError, TorchValueError
from ..tensor import Tensor


def shrinkage(x, lambda_):
    """x moved towards 0 by lambda_ in place: x - lambda_ above lambda_, x + lambda_ below
    -lambda_, 0 between (NaN too, as the C loop's comparisons leave it). Returns x."""
    if not isinstance(x, Tensor):
        raise TorchTypeError("shrinkage: expected a tensor, got %s" % type(x).__name__)
    if isinstance(lambda_, bool) or not isinstance(lambda_, (int, float)):
        raise TorchTypeError("shrinkage: lambda must be a number, got %r" % (lambda_,))
    if lambda_ < 0:
        raise TorchValueError("shrinkage: Lambda should be non-negative")
    if lambda_ == 0 or not x.nElement():
        return x
    a = x._a
    xp = array_module(a)
    a[...] = xp.where(a > lambda_, a - lambda_, xp.where(a < -lambda_, a + lambda_, 0))
    return x
