"""optim.lbfgs: limited-memory BFGS after minFunc (Mark Schmidt), Torch7's bookkeeping."""
import pytorch_lite as torch

from ._util import tables, verbose_printer


def lbfgs(opfunc, x, config=None, state=None):
    """Run up to ``maxIter`` L-BFGS iterations: ``x, f_hist, nEval = lbfgs(opfunc, x, config, state)``.

    Without a line search every iteration takes a fixed step of ``learningRate`` (the first one
    scaled by ``min(1, 1/sum|g|)``); with ``lineSearch`` (e.g. ``optim.lswolfe``) the step
    comes from that function, called as
    ``f, g, x, t, nEval = lineSearch(opfunc, x, t, d, f, g, gtd, lineSearchOptions)``.
    ``f_hist[0]`` is f before the first step and ``f_hist[-1]`` the last value computed.

    config fields: ``maxIter`` (20), ``maxEval`` (maxIter*1.25), ``tolFun`` (1e-5, on sum|g|),
    ``tolX`` (1e-9, on step and f progress), ``nCorrection`` (100, history length),
    ``lineSearch`` (None), ``lineSearchOptions``, ``learningRate`` (1), ``verbose`` (False).
    state fields: ``funcEval``, ``nIter`` (totals over calls), ``tmp1``, ``dir_bufs`` /
    ``stp_bufs`` (free history buffers), ``old_dirs`` / ``old_stps`` (the s and y history, named
    as in Torch7), ``ro``, ``al``, ``d``, ``t``, ``Hdiag``, ``g_old``, ``f_old``.
    """
    config, state = tables(config, state)
    maxIter = _number(config.get('maxIter'), 20)
    maxEval = _number(config.get('maxEval'), maxIter * 1.25)
    tolFun = config.get('tolFun', 1e-5)
    tolX = config.get('tolX', 1e-9)
    nCorrection = int(config.get('nCorrection', 100))
    lineSearch = config.get('lineSearch')
    lineSearchOpts = config.get('lineSearchOptions')
    learningRate = config.get('learningRate', 1)
    verbose = verbose_printer(config.get('verbose', False), '<optim.lbfgs> ')

    state['funcEval'] = state.get('funcEval', 0)
    state['nIter'] = state.get('nIter', 0)

    f, g = opfunc(x)
    f_hist = [f]
    currentFuncEval = 1
    state['funcEval'] = state['funcEval'] + 1
    p = g.size(0)

    if state.get('tmp1') is None:
        state['tmp1'] = g.new(g.size()).zero()
    tmp1 = state['tmp1']
    tmp1.copy(g).abs()
    if tmp1.sum() <= tolFun:
        verbose('optimality condition below tolFun')
        return x, f_hist

    for name in ('dir_bufs', 'stp_bufs', 'old_dirs', 'old_stps'):
        if isinstance(state.get(name), dict):   # a Lua table read back from a t7 file
            state[name] = _as_list(state[name])

    if state.get('dir_bufs') is None:
        verbose('creating recyclable direction/step/history buffers')
        dirs = g.new(nCorrection + 1, p)
        stps = g.new(nCorrection + 1, p)
        state['dir_bufs'] = [dirs.select(0, i) for i in range(nCorrection + 1)]
        state['stp_bufs'] = [stps.select(0, i) for i in range(nCorrection + 1)]

    d = state.get('d')
    t = state.get('t')
    old_dirs = state.get('old_dirs')
    old_stps = state.get('old_stps')
    Hdiag = state.get('Hdiag')
    g_old = state.get('g_old')
    f_old = state.get('f_old')

    nIter = 0
    while nIter < maxIter:
        nIter += 1
        state['nIter'] = state['nIter'] + 1

        # gradient descent direction
        if state['nIter'] == 1:
            d = g.clone().mul(-1)
            old_dirs = []
            old_stps = []
            Hdiag = 1
        else:
            # lbfgs update (update memory)
            y = state['dir_bufs'].pop()
            s = state['stp_bufs'].pop()
            y.add(g, -1, g_old)
            s.mul(d, t)
            ys = y.dot(s)
            if ys > 1e-10:
                if len(old_dirs) == nCorrection:
                    # shift history by one (limited memory)
                    state['dir_bufs'].append(old_dirs.pop(0))
                    state['stp_bufs'].append(old_stps.pop(0))
                old_dirs.append(s)
                old_stps.append(y)
                Hdiag = ys / y.dot(y)
            else:
                state['dir_bufs'].append(y)
                state['stp_bufs'].append(s)

            # approximate inverse Hessian times the gradient
            k = len(old_dirs)
            if state.get('ro') is None:
                state['ro'] = torch.Tensor(nCorrection)
            ro = state['ro']
            for i in range(k):
                ro[i] = 1 / old_stps[i].dot(old_dirs[i])

            q = tmp1  # tmp1 serves as the q buffer
            if state.get('al') is None:
                state['al'] = torch.zeros(nCorrection)
            al = state['al']

            q.mul(g, -1)
            for i in range(k - 1, -1, -1):
                al[i] = old_dirs[i].dot(q) * ro[i]
                q.add(-al[i], old_stps[i])

            r = d  # the old d is no longer needed: r and d share the buffer
            r.mul(q, Hdiag)
            for i in range(k):
                be_i = old_stps[i].dot(r) * ro[i]
                r.add(al[i] - be_i, old_dirs[i])
        if g_old is None:
            g_old = g.clone()
        g_old.copy(g)
        f_old = f

        # directional derivative
        gtd = g.dot(d)
        if gtd > -tolX:
            break

        # initial guess for the step size
        if state['nIter'] == 1:
            tmp1.copy(g).abs()
            t = min(1, 1 / tmp1.sum()) * learningRate
        else:
            t = learningRate

        lsFuncEval = 0
        if lineSearch is not None and callable(lineSearch):
            f, g, x, t, lsFuncEval = lineSearch(opfunc, x, t, d, f, g, gtd, lineSearchOpts)
            f_hist.append(f)
        else:
            x.add(t, d)
            if nIter != maxIter:
                # in a stochastic setting there is no use re-evaluating on the last iteration
                f, g = opfunc(x)
                lsFuncEval = 1
                f_hist.append(f)

        currentFuncEval = currentFuncEval + lsFuncEval
        state['funcEval'] = state['funcEval'] + lsFuncEval

        # stopping conditions
        if nIter == maxIter:
            verbose('reached max number of iterations')
            break
        if currentFuncEval >= maxEval:
            verbose('max nb of function evals')
            break
        tmp1.copy(g).abs()
        if tmp1.sum() <= tolFun:
            verbose('optimality condition below tolFun')
            break
        tmp1.copy(d).mul(t).abs()
        if tmp1.sum() <= tolX:
            verbose('step size below tolX')
            break
        if abs(f - f_old) < tolX:
            verbose('function value changing less than tolX')
            break

    state['old_dirs'] = old_dirs
    state['old_stps'] = old_stps
    state['Hdiag'] = Hdiag
    state['g_old'] = g_old
    state['f_old'] = f_old
    state['t'] = t
    state['d'] = d

    return x, f_hist, currentFuncEval


def _number(value, default):
    """Lua's ``tonumber(v) or default``."""
    if value is None:
        return default
    try:
        return float(value) if not isinstance(value, (int, float)) else value
    except (TypeError, ValueError):
        return default


def _as_list(table):
    """A Lua array read as a dict (1-based or 0-based integer keys, or empty) as a list."""
    return [table[k] for k in sorted(table)]
