"""optim.polyinterp: minimum of the polynomial interpolating values and derivatives."""
import math

import pytorch_lite as torch

from ..errors import TorchValueError
from ._util import fdiv, fsqrt


def polyinterp(points, xminBound=None, xmaxBound=None):
    """Minimum of the polynomial through N points ``(x, f, g)`` (rows of an N x 3 tensor).

    With two points and no bounds (the common case) it returns the cubic's minimiser clipped
    to the points (the mean of the x's when the cubic has no real minimum).  Otherwise it fits
    the degree 2N-1 polynomial by least squares (``torch.gels``), takes the real roots of its
    derivative (companion-matrix eigenvalues, ``torch.eig``) together with the bounds and the
    points, and returns ``(minPos, fmin)``, the best of those inside
    [xminBound, xmaxBound] (bounds default to the smallest and largest x); with no candidate
    inside, minPos is the middle of the bounds and fmin is inf.
    """
    nPoints = points.size(0)
    order = nPoints * 2 - 1

    if nPoints == 2 and order == 3 and xminBound is None and xmaxBound is None:
        # x2 is the farthest point:
        #   d1 = g1 + g2 - 3*(f1-f2)/(x1-x2); d2 = sqrt(d1^2 - g1*g2)
        #   minPos = x2 - (x2 - x1)*((g2 + d2 - d1)/(g2 - g1 + 2*d2)), clipped to [x1, x2]
        _, pos = points.select(1, 0).min(0)
        lo = int(pos[0])
        hi = 1 - lo
        P = [[points[i][j] for j in range(3)] for i in range(2)]
        d1 = P[lo][2] + P[hi][2] - fdiv(3 * (P[lo][1] - P[hi][1]), P[lo][0] - P[hi][0])
        d2 = fsqrt(d1 ** 2 - P[lo][2] * P[hi][2])
        if d2 == d2:
            t = P[hi][0] - (P[hi][0] - P[lo][0]) * fdiv(P[hi][2] + d2 - d1,
                                                        P[hi][2] - P[lo][2] + 2 * d2)
            return _lua_min(_lua_max(t, P[lo][0]), P[hi][0])
        return torch.mean(points.select(1, 0))

    xs = points.select(1, 0)
    xmin = xs.min()
    xmax = xs.max()
    if xminBound is None:
        xminBound = xmin
    if xmaxBound is None:
        xmaxBound = xmax

    # constraints on function values, then on derivatives
    A = torch.zeros(nPoints * 2, order + 1)
    b = torch.zeros(nPoints * 2, 1)
    for i in range(nPoints):
        xi = points[i][0]
        constraint = torch.zeros(order + 1)
        for j in range(order, -1, -1):
            constraint[order - j] = xi ** j
        A[i].copy(constraint)
        b[i][0] = points[i][1]
    for i in range(nPoints):
        xi = points[i][0]
        constraint = torch.zeros(order + 1)
        for j in range(1, order + 1):
            constraint[j - 1] = (order - j + 1) * xi ** (order - j)
        A[nPoints + i].copy(constraint)
        b[nPoints + i][0] = points[i][2]

    res = torch.gels(b, A)[0]
    params = res.narrow(0, 0, nPoints * 2).squeeze()
    params[torch.le(torch.abs(params), 1e-12)] = 0

    # critical points
    dParams = torch.zeros(order)
    for i in range(params.size(0) - 1):
        dParams[i] = params[i] * (order - i)

    nans = torch.ne(dParams, dParams).max() > 0 or torch.eq(dParams, math.inf).max() > 0
    cp = torch.cat(torch.Tensor([xminBound, xmaxBound]), xs, 0)
    if not nans:
        cproots = _roots(dParams)
        cpi = torch.zeros(cp.size(0), 2)
        cpi.select(1, 0).copy(cp)
        cp = torch.cat(cpi, cproots, 0) if cproots.nElement() > 0 else cpi

    fmin = math.inf
    minPos = (xminBound + xmaxBound) / 2
    if cp.dim() == 1:   # no roots were added: every candidate is real
        candidates = [(cp[i], 0.0) for i in range(cp.size(0))]
    else:
        candidates = [(cp[i][0], cp[i][1]) for i in range(cp.size(0))]
    for rxCP, ixCP in candidates:
        if ixCP == 0 and xminBound <= rxCP <= xmaxBound:
            fCP = _polyval(params, rxCP)
            if fCP < fmin:
                minPos = rxCP
                fmin = fCP
    return minPos, fmin


def _roots(c):
    """Roots of the polynomial with coefficients c (highest power first), as n x 2 (re, im)."""
    c = c.clone()
    c[torch.lt(torch.abs(c), 1e-12)] = 0
    nonzero = torch.ne(c, 0)
    if nonzero.max() == 0:
        raise TorchValueError('polyinterp: the derivative polynomial is zero')
    _, pos = torch.max(nonzero, 0)
    c = c.narrow(0, int(pos[0]), c.size(0) - int(pos[0]))

    nz = 0
    for i in range(c.size(0) - 1, -1, -1):
        if c[i] != 0:
            break
        nz += 1
    c = c.narrow(0, 0, c.size(0) - nz)

    n = c.size(0) - 1
    if n == 1:
        e = torch.Tensor([[-c[1] / c[0], 0]])
    elif n > 1:
        A = torch.diag(torch.ones(n - 1), -1)
        A[0].copy(-c.narrow(0, 1, n) / c[0])
        e = torch.eig(A, 'N')[0]
    else:
        e = None
    if nz > 0:
        z = torch.zeros(nz, 2)
        return torch.cat(e, z, 0) if e is not None else z
    return e if e is not None else torch.Tensor()


def _polyval(p, x):
    pwr = p.size(0)
    val = 0
    for i in range(p.size(0)):
        pwr -= 1
        val = val + p[i] * x ** pwr
    return val


def _lua_min(a, b):
    return a if a < b else b


def _lua_max(a, b):
    return a if a > b else b
