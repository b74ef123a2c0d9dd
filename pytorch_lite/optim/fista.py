"""optim.FistaLS: FISTA with backtracking line search (Beck & Teboulle, 2009)."""
import math

import pytorch_lite as torch

from ..errors import TorchRuntimeError


def FistaLS(f, g, pl, xinit, params=None):
    """Minimise f(x) + g(x), f smooth and g not: ``x, history = FistaLS(f, g, pl, xinit, params)``.

    - ``f(x, 'dx')`` returns ``(f(x), grad f(x))``; ``f(x)`` returns f(x)
    - ``g(x)`` returns the non-smooth term
    - ``pl(x, L)`` solves the proximal problem in place (e.g. soft shrinkage by 1/L)
    - ``xinit`` receives the solution on return

    params fields: ``L`` (0.1, 1/step size; the last one used is written back), ``Lstep`` (1.5,
    multiplier per line-search step), ``maxiter`` (50), ``maxline`` (20, line-search steps per
    iteration), ``errthres`` (1e-4, convergence threshold on F), ``doFistaUpdate`` (FISTA when
    true, ISTA otherwise; when missing it is ISTA, as Torch7's code reads it, although Torch7's
    doc gives true as the default), ``verbose`` (store and print every iteration).
    Buffers kept in params: ``xkm`` (previous iterate), ``y`` (FISTA point), ``ply``.
    history[k] holds ``nline``, ``L``, ``F``, ``Fply``, ``Gply``, ``Q`` (and ``xk``, ``y``
    when verbose) for iteration k (0-based).
    """
    params = params if params is not None else {}
    L = params.get('L', 0.1)
    Lstep = params.get('Lstep', 1.5)
    maxiter = params.get('maxiter', 50)
    maxline = params.get('maxline', 20)
    errthres = params.get('errthres', 1e-4)
    doFistaUpdate = params.get('doFistaUpdate')
    verbose = params.get('verbose')

    for name in ('xkm', 'y', 'ply'):
        if params.get(name) is None:
            params[name] = torch.Tensor()
    xkm, y, ply = params['xkm'], params['y'], params['ply']

    xk = xinit
    xkm.resizeAs(xk).zero()
    ply.resizeAs(xk).zero()
    y.resizeAs(xk).zero()

    history = []
    niter = 0
    tk = 1
    tkp = 0

    g(y)
    fval = math.inf
    while niter < maxiter:
        fy, gfy = f(y, 'dx')

        fply = 0
        gply = 0
        Q = 0

        # line search for the new current point, starting from the FISTA point
        nline = 0
        linesearchdone = False
        while not linesearchdone:
            ply.copy(y)
            ply.add(-1 / L, gfy)
            pl(ply, L)
            xk.copy(ply)
            fply = f(ply)

            ply.add(-1, y)
            Q2 = gfy.dot(ply)
            Q3 = L / 2 * ply.dot(ply)
            Q = fy + Q2 + Q3

            if verbose:
                print('nline=%d L=%g fply=%g Q=%g fy=%g Q2=%g Q3=%g' % (nline, L, fply, Q, fy, Q2, Q3))
            if fply <= Q:
                linesearchdone = True
            elif nline >= maxline:
                linesearchdone = True
                xk.copy(xkm)  # no better point: keep the previous iterate
            else:
                L = L * Lstep
            nline += 1

        if doFistaUpdate:
            tkp = (1 + math.sqrt(1 + 4 * tk * tk)) / 2
            xkm.add(-1, xk)
            y.copy(xk)
            y.add((1 - tk) / tkp, xkm)
            xkm.copy(xk)
        else:
            y.copy(xk)
        tk = tkp
        fply = f(y)
        gply = g(y)
        if verbose:
            print('iter=%d eold=%g enew=%g' % (niter, fval, fply + gply))

        niter += 1

        fval = fply + gply
        h = {'nline': nline, 'L': L, 'F': fval, 'Fply': fply, 'Gply': gply, 'Q': Q}
        if verbose:
            h['xk'] = xk.clone()
            h['y'] = y.clone()
        history.append(h)
        params['L'] = L

        if niter > 1 and abs(history[-1]['F'] - history[-2]['F']) <= errthres:
            xinit.copy(y)
            return y, history
        if niter >= maxiter:
            xinit.copy(y)
            return y, history
    raise TorchRuntimeError('FistaLS: not supposed to be here')
