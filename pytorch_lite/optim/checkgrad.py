"""optim.checkgrad: a central-difference check of the gradient an opfunc returns."""
from ..tensor import Tensor


def _first(r):
    return r[0] if isinstance(r, tuple) else r


def checkgrad(opfunc, x, eps=1e-7):
    """``diff, dC, dC_est = checkgrad(opfunc, x, eps)``.

    ``opfunc(x)`` returns ``(f, dfdx)`` as for the optimisers; ``x`` is a 1-D tensor.  dC is the
    gradient opfunc gives (resized to x's size), dC_est its estimate ``(f(x+eps) - f(x-eps)) / 2eps``
    element by element (x is changed in place and put back), and diff
    ``|dC - dC_est| / |dC + dC_est|``, which should be near 0 (Torch7's default eps is 1e-7).
    """
    if eps is None:
        eps = 1e-7
    first = opfunc(x)
    c0, dC = first[0], first[1]
    dC.resize(x.size())
    keep = type(c0)().resizeAs(c0) if isinstance(c0, Tensor) else None
    est = type(dC)().resizeAs(dC)
    for i in range(dC.size(0)):
        orig = x[i]
        x[i] = x[i] + eps
        c1 = _first(opfunc(x))
        if keep is not None:   # opfunc may hand back the same tensor for the second call
            c1 = keep.copy(c1)
        x[i] = x[i] - 2 * eps
        c2 = _first(opfunc(x))
        x[i] = orig
        d = c1 - c2
        est[i] = (d.sum() if isinstance(d, Tensor) else d) / (2 * eps)
    diff = (dC - est).norm() / (dC + est).norm()
    return diff, dC, est
