"""optim.cmaes and optim.de against independent NumPy oracles that follow Torch7's Lua
(optim/cmaes.lua, optim/de.lua) step by step.  The oracles take their random numbers from the
THRandom-exact stream (our torch.randn / torch.random / torch.uniform after the same seed, drawn
in the same order and shapes as the Lua code draws them); all the arithmetic is NumPy's."""
import math

import numpy as np
import pytest

import pytorch_lite as torch
from pytorch_lite import optim
from pytorch_lite.errors import TorchError


def np_of(t):
    return np.array(t._a, dtype=np.float64).reshape(-1).copy()


def rosenbrock_np(x):
    return float(np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2))


def rosenbrock(x):
    """Torch7 opfunc: returns f and a (here unused) gradient, as Lua functions may."""
    return rosenbrock_np(np_of(x)), None


def sphere(x):
    return float(np.sum(np_of(x) ** 2))


# -- CMA-ES ------------------------------------------------------------------------------------

def cmaes_oracle(f, x0, sigma, maxEval=None, popsize=None, ftarget=None, min_iterations=1):
    """Torch7's optim.cmaes in NumPy (double); normals come from torch.randn(N), one call per
    candidate, as Lua's ``D:clone():normal(0,1)``.  Returns (bestx, f_hist, counteval)."""
    xmean = np.array(x0, dtype=np.float64).reshape(-1)
    N = xmean.size
    maxEval = float(maxEval) if maxEval is not None else 1e3 * N ** 2
    lam = popsize if popsize is not None else 4 + math.floor(3 * math.log(N))
    mu = lam / 2
    nw = int(math.floor(mu - 1)) + 1                   # #torch.range(0, mu-1)
    weights = np.array([math.log(mu + 0.5) - math.log(i + 1) for i in range(nw)])
    weights = weights / weights.sum()
    mueff = weights.sum() ** 2 / np.sum(weights ** 2)
    cc = (4 + mueff / N) / (N + 4 + 2 * mueff / N)
    cs = (mueff + 2) / (N + mueff + 5)
    c1 = 2 / ((N + 1.3) ** 2 + mueff)
    cmu = min(1 - c1, 2 * (mueff - 2 + 1 / mueff) / ((N + 2) ** 2 + mueff))
    damps = 2 * mueff / lam + 0.3 + cs
    pc, ps = np.zeros(N), np.zeros(N)
    B, D, C, invsqrtC = np.eye(N), np.ones(N), np.eye(N), np.eye(N)
    eigeneval = counteval = 0
    f_hist = [f(np.array(x0, dtype=np.float64).reshape(-1))]
    fitvals = np.zeros(0)
    best_x = best_f = None
    iteration = 0

    def stopped():
        if counteval <= 0:
            return False
        return (counteval >= maxEval
                or (ftarget is not None and fitvals[0] <= ftarget)
                or D.max() > 1e7 * D.min()
                or (fitvals.size > 1 and fitvals[-1] - fitvals[0] < 1e-12)
                or sigma * D.max() < 1e-11)

    while not stopped() or iteration < min_iterations:
        iteration += 1
        # ask
        if counteval - eigeneval > lam / (c1 + cmu) / N / 10:
            eigeneval = counteval
            C = np.triu(C) + np.triu(C, 1).T
            evals, B = np.linalg.eigh(C, UPLO='U')
            D = np.sqrt(evals)
            invsqrtC = B @ np.diag(D ** -1.0) @ B.T
        X = np.empty((lam, N))
        for k in range(lam):
            z = np_of(torch.randn(N)) * D
            X[k] = xmean + (B @ z) * sigma
        fit = np.array([f(X[k]) for k in range(lam)])
        # tell
        counteval += lam
        xold = xmean.copy()
        order = np.argsort(fit, kind='stable')
        fitvals = fit[order]
        arx = X[order[:nw]]
        f_hist.append(fitvals[0])
        if best_f is None or fitvals[0] < best_f:
            best_x, best_f = arx[0].copy(), fitvals[0]
        xmean = arx.T @ weights
        y = xmean - xold
        z = invsqrtC @ y
        c = (cs * (2 - cs) * mueff) ** 0.5 / sigma
        ps = ps - ps * cs + z * c
        hsig = 1.0 if (np.sum(ps ** 2) / (1 - (1 - cs) ** (2 * counteval / lam)) / N
                       < 2 + 4. / (N + 1)) else 0.0
        c = (cc * (2 - cc) * mueff) ** 0.5 / sigma
        pc = pc - pc * cc + y * c * hsig
        c1a = c1 - (1 - hsig ** 2) * c1 * cc * (2 - cc)
        dev = arx - xold
        Cmu = np.einsum('k,ki,kj->ij', weights, dev, dev) / sigma ** 2
        C = C + ((-c1a - cmu) * C + c1 * np.outer(pc, pc) + cmu * Cmu)
        sigma = sigma * math.exp(min(0.6, (cs / damps) * (np.sum(ps ** 2) / N - 1) / 2))
    f_hist.append(best_f)
    return best_x, f_hist, counteval


def run_cmaes(f, x0, seed, **cfg):
    cfg.setdefault('verb_disp', 0)
    torch.manualSeed(seed)
    x = torch.Tensor(x0)
    best, fh, n = optim.cmaes(lambda t: f(t), x, cfg)
    return np_of(best), fh, n


def oracle_cmaes(f_np, x0, seed, **cfg):
    cfg.pop('verb_disp', None)
    torch.manualSeed(seed)
    return cmaes_oracle(f_np, x0, **cfg)


@pytest.mark.parametrize('x0,cfg', [
    ([-1.2, 1.0], dict(sigma=0.5, maxEval=240)),                  # lambda 6, mu 3
    ([0.5, -0.3, 1.5], dict(sigma=0.3, maxEval=210)),             # lambda 7, mu 3.5 (fractional)
    ([0.2, 0.1, -0.4, 0.3], dict(sigma=0.2, maxEval=160, popsize=9)),
])
def test_cmaes_matches_numpy_oracle_on_rosenbrock(x0, cfg):
    best, fh, n = run_cmaes(rosenbrock, x0, 11, **cfg)
    obest, ofh, on = oracle_cmaes(rosenbrock_np, x0, 11, **cfg)
    assert n == on and len(fh) == len(ofh) > 15
    np.testing.assert_allclose(fh, ofh, rtol=1e-10, atol=0)
    np.testing.assert_allclose(best, obest, rtol=1e-10, atol=0)


def test_cmaes_stops_at_ftarget_and_honours_min_iterations():
    f_np = lambda v: float(np.sum(v ** 2))
    x0 = [1.0, -2.0, 0.5]
    best, fh, n = run_cmaes(sphere, x0, 3, sigma=0.5, ftarget=1e-3)
    obest, ofh, on = oracle_cmaes(f_np, x0, 3, sigma=0.5, ftarget=1e-3)
    assert n == on and n < 3 * 3 * 1000 and ofh[-2] <= 1e-3
    np.testing.assert_allclose(fh, ofh, rtol=1e-10)
    np.testing.assert_allclose(best, obest, rtol=1e-10)
    # a reached ftarget still runs min_iterations generations
    best, fh, n = run_cmaes(sphere, x0, 3, sigma=0.5, ftarget=1e9, min_iterations=4)
    obest, ofh, on = oracle_cmaes(f_np, x0, 3, sigma=0.5, ftarget=1e9, min_iterations=4)
    assert n == on == 4 * 7
    np.testing.assert_allclose(fh, ofh, rtol=1e-10)


def test_cmaes_reads_state_before_config_and_keeps_x():
    x = torch.Tensor([[0.5, -0.3], [1.5, 0.2]])            # a matrix: flattened as Lua does
    seen = []

    def f(t):
        seen.append(t.size())
        return rosenbrock_np(np_of(t))
    torch.manualSeed(5)
    best, fh, n = optim.cmaes(f, x, {'sigma': 9.0}, {'sigma': 0.3, 'maxEval': 80,
                                                     'verb_disp': 0})
    assert all(s == x.size() for s in seen) and x[0][0] == 0.5 and best.dim() == 1
    torch.manualSeed(5)
    obest, ofh, on = cmaes_oracle(rosenbrock_np, [0.5, -0.3, 1.5, 0.2], 0.3, maxEval=80)
    np.testing.assert_allclose(fh, ofh, rtol=1e-10)
    np.testing.assert_allclose(np_of(best), obest, rtol=1e-10)


def test_cmaes_float_input_stays_float():
    torch.manualSeed(2)
    x = torch.FloatTensor([-1.2, 1.0])
    best, fh, n = optim.cmaes(lambda t: rosenbrock_np(np_of(t)), x,
                              {'sigma': 0.5, 'maxEval': 120, 'verb_disp': 0})
    assert best.typename == 'torch.FloatTensor' and n == 120
    ob, ofh, on = oracle_cmaes(rosenbrock_np, [-1.2, 1.0], 2, sigma=0.5, maxEval=120)
    np.testing.assert_allclose(fh, ofh, rtol=1e-3)


def test_cmaes_missing_fields_fail_as_in_torch7():
    # Torch7: 'verb_disp' nil -> arithmetic on nil in disp() (or 'verb_disp > 0' at the end)
    with pytest.raises(TorchError, match='verb_disp'):
        optim.cmaes(sphere, torch.Tensor([1.0, 2.0]), {'sigma': 0.5, 'maxEval': 12})
    # no sigma: Lua fails multiplying by nil
    with pytest.raises(TorchError, match='sigma'):
        optim.cmaes(sphere, torch.Tensor([1.0, 2.0]), {'verb_disp': 0, 'maxEval': 12})
    with pytest.raises(TorchError, match='Float- or DoubleTensor'):
        optim.cmaes(sphere, torch.LongTensor([1, 2]), {'sigma': 1, 'verb_disp': 0})


def test_cmaes_display_follows_torch7_format(capsys):
    torch.manualSeed(4)
    best, fh, n = optim.cmaes(sphere, torch.Tensor([1.0, 2.0]),
                              {'sigma': 0.5, 'maxEval': 18, 'verb_disp': 1})
    lines = capsys.readouterr().out.split('\n')
    assert lines[0] == 'evals:\t ax-ratio max(std)   f-value'
    assert lines[1].startswith('6:  ') and lines[1].endswith(' ' + '%.14g' % fh[1])
    assert [ln.split(':')[0] for ln in lines[1:4]] == ['6', '12', '18']
    import re
    for ln, f in zip(lines[1:4], fh[1:4]):
        assert re.fullmatch(r'\d+:  [ \d]{3}\d\.\d  \d\.\de[-+]\d\d ' + re.escape('%.14g' % f), ln)
    assert 'termination by\tevals\t=\t18' in lines
    assert 'best f-value =\t%.14g' % fh[-1] in lines
    found = [ln for ln in lines if ln.startswith('best found at iteration: ')][0]
    assert found.endswith(' , total iterations: \t3')


# -- DE ----------------------------------------------------------------------------------------

def de_oracle(f, x0, popsize=None, scaleFactor=None, crossoverRate=None, maxFEs=None,
              maxRegion=None, minRegion=None, dtype=np.float64):
    """Torch7's optim.de in NumPy; the random stream is a torch.Generator seeded with 1, used in
    Lua's order: pop:uniform, then per child random(1,popsize) x2 (with rejection), random(1,D),
    D x uniform(0,1)."""
    D = len(x0)
    popsize = popsize or 10 * D
    maxRegion = 30 if maxRegion is None else maxRegion
    minRegion = -30 if minRegion is None else minRegion
    gen = torch.Generator()
    torch.manualSeed(gen, 1)
    T = torch.FloatTensor if dtype == np.float32 else torch.DoubleTensor
    pop = np_of(T(popsize, D).uniform(gen, minRegion, maxRegion)).reshape(popsize, D)
    pop = pop.astype(dtype)
    fx = []
    fitness = np.array([f(p) for p in pop], dtype=dtype)
    fx.extend(fitness)
    ib = int(np.argmax(fitness))            # Torch7 starts from the *largest* fitness
    best_fitness, best = fitness[ib], pop[ib].copy()
    while len(fx) + 1 < maxFEs:
        children = np.empty_like(pop)
        cfit = np.empty(popsize, dtype=dtype)
        for i in range(1, popsize + 1):
            r1 = torch.random(gen, 1, popsize)
            while r1 == i:
                r1 = torch.random(gen, 1, popsize)
            r2 = torch.random(gen, 1, popsize)
            while r2 == r1 or r2 == i:
                r2 = torch.random(gen, 1, popsize)
            jrand = torch.random(gen, 1, D)
            for j in range(1, D + 1):
                if torch.uniform(gen, 0, 1) < crossoverRate or i == jrand:
                    children[i - 1, j - 1] = (float(best[j - 1]) + scaleFactor
                                              * (float(pop[r1 - 1, j - 1]) - float(pop[r2 - 1, j - 1])))
                else:
                    children[i - 1, j - 1] = pop[i - 1, j - 1]
            cfit[i - 1] = f(children[i - 1])
            fx.append(cfit[i - 1])
        for i in range(popsize):
            if cfit[i] <= fitness[i]:
                pop[i] = children[i]
                fitness[i] = cfit[i]
                if fitness[i] < best_fitness:
                    best_fitness, best = fitness[i], children[i].copy()
    return best, np.array(fx)


@pytest.mark.parametrize('x0,cfg', [
    ([1.0, 2.0], dict(popsize=12, scaleFactor=0.5, crossoverRate=0.9, maxFEs=240)),
    ([0.0, 0.0, 0.0], dict(scaleFactor=0.8, crossoverRate=0.3, maxFEs=301,
                           maxRegion=2, minRegion=-2)),      # popsize 30; last slot untouched
])
def test_de_matches_numpy_oracle_on_rosenbrock(x0, cfg):
    best, fx = optim.de(rosenbrock, torch.Tensor(x0), dict(cfg))
    obest, ofx = de_oracle(rosenbrock_np, x0, **cfg)
    assert fx.size(0) == cfg['maxFEs'] and len(ofx) in (cfg['maxFEs'], cfg['maxFEs'] - 1)
    np.testing.assert_allclose(np_of(fx)[:len(ofx)], ofx, rtol=1e-10, atol=0)
    np.testing.assert_allclose(np_of(best), obest, rtol=1e-10, atol=0)


def test_de_float_and_global_generator_untouched():
    torch.manualSeed(7)
    before = torch.uniform()
    torch.manualSeed(7)
    cfg = dict(popsize=10, scaleFactor=0.6, crossoverRate=0.5, maxFEs=100)
    best, fx = optim.de(rosenbrock, torch.FloatTensor([1.0, 2.0]), cfg)
    assert torch.uniform() == before
    assert best.typename == 'torch.FloatTensor' and fx.typename == 'torch.FloatTensor'
    obest, ofx = de_oracle(lambda v: rosenbrock_np(v.astype(np.float64)), [1.0, 2.0],
                           dtype=np.float32, **cfg)
    np.testing.assert_array_equal(np_of(fx), ofx)
    np.testing.assert_array_equal(np_of(best), obest)


def test_de_missing_or_bad_config_fails_as_in_torch7():
    # Torch7 indexes fx past maxFEs when maxFEs is not a multiple of popsize (+1): an error
    with pytest.raises(TorchError):
        optim.de(sphere, torch.Tensor([1.0, 2.0]),
                 dict(popsize=10, scaleFactor=0.5, crossoverRate=0.5, maxFEs=25))
    with pytest.raises(TorchError, match='maxFEs'):
        optim.de(sphere, torch.Tensor([1.0, 2.0]), dict(scaleFactor=0.5, crossoverRate=0.5))
    with pytest.raises(TorchError, match='crossoverRate'):
        optim.de(sphere, torch.Tensor([1.0, 2.0]), dict(scaleFactor=0.5, maxFEs=60))
    with pytest.raises(TorchError, match='scaleFactor'):
        optim.de(sphere, torch.Tensor([1.0, 2.0]), dict(crossoverRate=0.5, maxFEs=60))
    # no generation runs (maxFEs <= popsize + 1): the rates are never read, as in Torch7
    best, fx = optim.de(sphere, torch.Tensor([1.0, 2.0]), dict(popsize=5, maxFEs=6))
    assert fx.size(0) == 6
