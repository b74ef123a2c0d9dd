"""optim.cmaes: CMA-ES, Torch7's port of N. Hansen's barecmaes2 (www.lri.fr/~hansen)."""
import math

import pytorch_lite as torch

from ..errors import TorchTypeError
from ._util import tables, lua_number, lua_print


def cmaes(opfunc, x, config=None, state=None):
    """Covariance Matrix Adaptation Evolution Strategy: ``bestx, f_hist, nEval = cmaes(...)``.

    ``opfunc(x)`` returns f(x) (a gradient, if returned, is ignored); it is called with each
    candidate viewed in x's shape.  Candidates are drawn from the global generator (seed it with
    ``torch.manualSeed`` for reproducible runs).  ``x`` is left unchanged; ``bestx`` is the best
    candidate seen, flattened (1-D, x's type).  ``f_hist`` holds f(x) at the start, the best
    fitness of every generation, then the best overall; ``nEval`` counts the evaluations.

    Fields, read from ``state`` (which defaults to ``config``) as Torch7 does:

    - ``sigma``: initial step size (standard deviation in each coordinate); required.
    - ``maxEval``: maximal number of function evaluations (default 1e3 * N^2, N = x's size).
    - ``ftarget``: stop once the best fitness of a generation is <= ftarget (default: none).
    - ``popsize``: population size lambda (default 4 + floor(3 log N)); mu = lambda / 2
      parents (fractional for an odd lambda, as in Torch7: floor(mu) of them are used).
    - ``verb_disp``: print progress every verb_disp generations, 0 for never; required, as in
      Torch7, whose loop fails on a nil ``verb_disp`` (we raise at the start instead).
    - ``min_iterations``: run at least this many generations (default 1).

    Other stops, as Torch7's: condition of C above 1e14 (D ratio 1e7), fitness spread of a
    generation below 1e-12 (tolfun), sigma * max(D) below 1e-11 (tolx).
    """
    config, state = tables(config, state)
    if x.typename not in ('torch.FloatTensor', 'torch.DoubleTensor'):
        raise TorchTypeError('Unsupported Tensor %s please use Float- or DoubleTensor for x'
                             % x.typename)
    xmean = x.clone().view(-1)
    N = xmean.size(0)
    sigma = state.get('sigma')
    ftarget = state.get('ftarget')
    maxEval = state.get('maxEval')
    maxEval = float(maxEval) if maxEval is not None else 1e3 * N ** 2
    verb_disp = state.get('verb_disp')
    if verb_disp is None:
        raise TorchTypeError("cmaes: state.verb_disp is required (a number, 0 for no display); "
                             "Torch7 fails on it with 'attempt to perform arithmetic on local "
                             "'verb_modulo' (a nil value)'")
    min_iterations = state.get('min_iterations', 1)

    lam = state.get('popsize')
    if lam is None:
        lam = 4 + math.floor(3 * math.log(N))
    if isinstance(lam, float) and lam.is_integer():
        lam = int(lam)            # a t7 file or Lua hands numbers over as doubles

    # selection: mu (possibly fractional, as in Torch7) parents with log-decreasing weights
    mu = lam / 2
    nmu = int(mu)
    weights = torch.Tensor([math.log(mu + 0.5) - math.log(i + 1) for i in range(_range_len(mu))])
    weights.div(weights.sum())
    mueff = weights.sum() ** 2 / torch.pow(weights, 2).sum()
    weights = weights.typeAs(x)

    # adaptation
    cc = (4 + mueff / N) / (N + 4 + 2 * mueff / N)
    cs = (mueff + 2) / (N + mueff + 5)
    c1 = 2 / ((N + 1.3) ** 2 + mueff)
    cmu = min(1 - c1, 2 * (mueff - 2 + 1 / mueff) / ((N + 2) ** 2 + mueff))
    damps = 2 * mueff / lam + 0.3 + cs

    st = {
        'pc': torch.Tensor(N).zero().typeAs(x), 'ps': torch.Tensor(N).zero().typeAs(x),
        'B': torch.eye(N).typeAs(x), 'D': torch.Tensor(N).fill(1).typeAs(x),
        'C': torch.eye(N).typeAs(x), 'invsqrtC': torch.eye(N).typeAs(x),
        'sigma': sigma, 'eigeneval': 0, 'counteval': 0, 'fitvals': torch.Tensor(lam),
    }
    candidates = torch.Tensor(lam, N).typeAs(x)
    f_hist = [_value(opfunc(x))]
    if not isinstance(sigma, (int, float)) or isinstance(sigma, bool):
        raise TorchTypeError("cmaes: state.sigma (the initial step size, a number) is required; "
                             "got %r" % (sigma,))
    best = {'x': None, 'f': None, 'evals': 0}

    def ask():
        # eigendecomposition postponed to reach O(N^2) per generation
        if st['counteval'] - st['eigeneval'] > lam / (c1 + cmu) / st['C'].size(0) / 10:
            st['eigeneval'] = st['counteval']
            C = st['C']
            st['C'] = torch.triu(C) + torch.triu(C, 1).t()
            D, B = torch.symeig(st['C'], 'V')
            st['D'] = torch.sqrt(D)
            st['B'] = B
            st['invsqrtC'] = torch.mm(torch.mm(B, torch.diag(torch.pow(st['D'], -1))), B.t())
        for k in range(lam):
            z = st['D'].clone().normal(0, 1).cmul(st['D'])
            candidates[k].copy(torch.add(xmean, torch.mv(st['B'], z) * st['sigma']))
        return candidates

    def tell(arx):
        st['counteval'] += lam
        xold = xmean.clone()
        fitvals, arindex = torch.sort(st['fitvals'])
        st['fitvals'] = fitvals
        arx = arx.index(0, arindex.narrow(0, 0, nmu))

        f_hist.append(fitvals[0])
        if best['f'] is None or fitvals[0] < best['f']:
            best.update(x=arx[0].clone(), f=fitvals[0], evals=st['counteval'])

        xmean.zero()
        xmean.addmv(arx.t(), weights)

        # cumulation: evolution paths
        sigma = st['sigma']
        y = xmean - xold
        z = torch.mv(st['invsqrtC'], y)
        c = (cs * (2 - cs) * mueff) ** 0.5 / sigma
        ps = st['ps'] - st['ps'] * cs + z * c
        st['ps'] = ps
        hsig = (torch.sum(torch.pow(ps, 2)) / (1 - (1 - cs) ** (2 * st['counteval'] / lam)) / N
                < 2 + 4. / (N + 1))
        hsig = 1.0 if hsig else 0.0
        c = (cc * (2 - cc) * mueff) ** 0.5 / sigma
        pc = st['pc'] - st['pc'] * cc + y * c * hsig
        st['pc'] = pc

        # covariance matrix: rank-one and rank-mu updates
        c1a = c1 - (1 - hsig ** 2) * c1 * cc * (2 - cc)
        C = st['C']
        for i in range(N):
            for j in range(N):
                acc = 0.0
                for k in range(nmu):
                    acc = acc + weights[k] * (arx[k][i] - xold[i]) * (arx[k][j] - xold[j])
                Cmuij = acc / sigma ** 2
                C[i][j] = C[i][j] + ((-c1a - cmu) * C[i][j] + c1 * pc[i] * pc[j] + cmu * Cmuij)

        # step size, by a factor of at most exp(0.6)
        st['sigma'] = sigma * math.exp(min(0.6, (cs / damps)
                                           * (torch.sum(torch.pow(ps, 2)) / N - 1) / 2))

    def stop():
        res = {}
        fitvals, D = st['fitvals'], st['D']
        if st['counteval'] > 0:
            if st['counteval'] >= maxEval:
                res['evals'] = maxEval
            if ftarget is not None and fitvals.nElement() > 0 and fitvals[0] <= ftarget:
                res['ftarget'] = ftarget
            if torch.max(D) > 1e7 * torch.min(D):
                res['condition'] = 1e7
            if fitvals.nElement() > 1 and fitvals[fitvals.nElement() - 1] - fitvals[0] < 1e-12:
                res['tolfun'] = 1e-12
            if st['sigma'] * torch.max(D) < 1e-11:
                res['tolx'] = 1e-11
        return res

    def disp(verb_modulo):
        if verb_disp == 0:
            return
        iteration = st['counteval'] / lam
        if iteration == 1 or iteration % (10 * verb_modulo) == 0:
            print('evals:\t ax-ratio max(std)   f-value')
        if iteration <= 2 or iteration % verb_modulo == 0:
            max_std = math.sqrt(torch.max(torch.diag(st['C'])))
            print(lua_number(st['counteval']) + ':  %6.1f %8.1e ' % (
                torch.max(st['D']) / torch.min(st['D']), st['sigma'] * max_std)
                + lua_number(st['fitvals'][0]))

    iteration = 0
    while not stop() or iteration < min_iterations:
        iteration += 1
        X = ask()
        for i in range(lam):
            st['fitvals'][i] = _value(opfunc(X[i].viewAs(x)))
        tell(X)
        disp(verb_disp)

    if verb_disp > 0:
        for k, v in stop().items():
            lua_print('termination by', k, '=', v)
        lua_print('best f-value =', best['f'])
        print('solution = ')
        print(best['x'])
        lua_print('best found at iteration: ', best['evals'] / lam, ' , total iterations: ',
                  iteration)
    f_hist.append(best['f'])
    return best['x'], f_hist, st['counteval']


def _range_len(mu):
    """Number of values in torch.range(0, mu - 1)."""
    return int(math.floor(mu - 1)) + 1


def _value(result):
    return result[0] if isinstance(result, tuple) else result
