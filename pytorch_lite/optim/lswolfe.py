"""optim.lswolfe: a line search satisfying the strong Wolfe conditions (after minFunc)."""
import pytorch_lite as torch

from ._util import fdiv, verbose_printer
from .polyinterp import polyinterp


def lswolfe(opfunc, x, t, d, f, g, gtd, options=None):
    """Search along d from x: ``f_new, g_new, x, t, lsFuncEval = lswolfe(opfunc, x, t, d, f, g, gtd)``.

    ``t`` is the initial step, ``f``/``g`` the value and gradient at x, ``gtd`` = g.d.  On return
    x = x_start + t*d (x is updated in place).

    options fields: ``c1`` (1e-4, sufficient decrease), ``c2`` (0.9, curvature), ``tolX``
    (1e-9, minimum bracket progress), ``maxIter`` (20), ``verbose`` (False).
    """
    options = options if options is not None else {}
    c1 = options.get('c1', 1e-4)
    c2 = options.get('c2', 0.9)
    tolX = options.get('tolX', 1e-9)
    maxIter = options.get('maxIter', 20)
    verbose = verbose_printer(options.get('verbose', False), '<optim.lswolfe> ')
    Tensor = torch.Tensor

    # evaluate objective and gradient using the initial step
    x_init = x.clone()
    x.add(t, d)
    f_new, g_new = opfunc(x)
    lsFuncEval = 1
    gtd_new = g_new.dot(d)

    # bracket an interval containing a point satisfying the Wolfe criteria
    LSiter, t_prev, done = 0, 0, False
    f_prev, g_prev, gtd_prev = f, g.clone(), gtd
    bracket = bracketFval = bracketGval = None
    while LSiter < maxIter:
        if (f_new > (f + c1 * t * gtd)) or (LSiter > 1 and f_new >= f_prev):
            bracket, bracketFval, bracketGval = _bracket2(t_prev, t, f_prev, f_new, g_prev, g_new)
            break
        elif abs(gtd_new) <= -c2 * gtd:
            bracket = Tensor([t])
            bracketFval = Tensor([f_new])
            bracketGval = Tensor(1, g_new.size(0))
            bracketGval[0].copy(g_new)
            done = True
            break
        elif gtd_new >= 0:
            bracket, bracketFval, bracketGval = _bracket2(t_prev, t, f_prev, f_new, g_prev, g_new)
            break

        # interpolate
        tmp = t_prev
        t_prev = t
        minStep = t + 0.01 * (t - tmp)
        maxStep = t * 10
        t = polyinterp(Tensor([[tmp, f_prev, gtd_prev], [t, f_new, gtd_new]]), minStep, maxStep)[0]

        # next step
        f_prev = f_new
        g_prev = g_new.clone()
        gtd_prev = gtd_new
        x.copy(x_init)
        x.add(t, d)
        f_new, g_new = opfunc(x)
        lsFuncEval += 1
        gtd_new = g_new.dot(d)
        LSiter += 1

    if LSiter == maxIter:
        bracket, bracketFval, bracketGval = _bracket2(0, t, f, f_new, g, g_new)

    # zoom phase: refine the bracket until a point satisfies the criteria
    insufProgress = False
    while not done and LSiter < maxIter:
        f_LO, LOpos = bracketFval.min(0)
        LOpos = int(LOpos[0])
        f_LO = f_LO[0]
        HIpos = 1 - LOpos

        t = polyinterp(Tensor([[bracket[0], bracketFval[0], bracketGval[0].dot(d)],
                               [bracket[1], bracketFval[1], bracketGval[1].dot(d)]]))

        # make sure we are making sufficient progress
        bmax, bmin = bracket.max(), bracket.min()
        if fdiv(min(bmax - t, t - bmin), bmax - bmin) < 0.1:
            if insufProgress or t >= bmax or t <= bmin:
                if abs(t - bmax) < abs(t - bmin):
                    t = bmax - 0.1 * (bmax - bmin)
                else:
                    t = bmin + 0.1 * (bmax - bmin)
                insufProgress = False
            else:
                insufProgress = True
        else:
            insufProgress = False

        x.copy(x_init)
        x.add(t, d)
        f_new, g_new = opfunc(x)
        lsFuncEval += 1
        gtd_new = g_new.dot(d)
        LSiter += 1
        if f_new > f + c1 * t * gtd or f_new >= f_LO:
            # Armijo condition not satisfied or not lower than the lowest point
            bracket[HIpos] = t
            bracketFval[HIpos] = f_new
            bracketGval[HIpos].copy(g_new)
        else:
            if abs(gtd_new) <= -c2 * gtd:
                done = True
            elif gtd_new * (bracket[HIpos] - bracket[LOpos]) >= 0:
                # old HI becomes new LO
                bracket[HIpos] = bracket[LOpos]
                bracketFval[HIpos] = bracketFval[LOpos]
                bracketGval[HIpos].copy(bracketGval[LOpos])
            # new point becomes new LO
            bracket[LOpos] = t
            bracketFval[LOpos] = f_new
            bracketGval[LOpos].copy(g_new)

        if not done and abs((bracket[0] - bracket[1]) * gtd_new) < tolX:
            break

    if LSiter == maxIter:
        verbose('reached max number of iterations')

    _, LOpos = bracketFval.min(0)
    LOpos = int(LOpos[0])
    t = bracket[LOpos]
    f_new = bracketFval[LOpos]
    g_new = bracketGval[LOpos]
    x.copy(x_init)
    x.add(t, d)
    return f_new, g_new, x, t, lsFuncEval


def _bracket2(t0, t1, f0, f1, g0, g1):
    bracketGval = torch.Tensor(2, g1.size(0))
    bracketGval[0].copy(g0)
    bracketGval[1].copy(g1)
    return torch.Tensor([t0, t1]), torch.Tensor([f0, f1]), bracketGval
