"""Missing config fields take Torch7's defaults (the values below are read off torch/optim's Lua
sources, ``config.X or default``): a run with an empty config equals a run with those values
spelled out, and the 'no state table' notices print as Torch7's do."""
import numpy as np
import pytest

import pytorch_lite as torch
from pytorch_lite import optim

rng = np.random.RandomState(1)
A = rng.randn(8, 4)
B = rng.randn(8)


def quad(x):
    r = A @ np.array(x._a, dtype=np.float64) - B
    return 0.5 * float(r @ r), torch.Tensor(list(A.T @ r))


TORCH7_DEFAULTS = {
    'sgd': dict(learningRate=1e-3, learningRateDecay=0, weightDecay=0, momentum=0),
    'asgd': dict(eta0=1e-4, **{'lambda': 1e-4}, alpha=0.75, t0=1e6),
    'nag': dict(learningRate=1e-3, learningRateDecay=0, weightDecay=0, momentum=0.9),
    'adagrad': dict(learningRate=1e-3, learningRateDecay=0, weightDecay=0),
    'adadelta': dict(rho=0.9, eps=1e-6, weightDecay=0),
    'adam': dict(learningRate=1e-3, learningRateDecay=0, beta1=0.9, beta2=0.999, epsilon=1e-8,
                 weightDecay=0),
    'adamax': dict(learningRate=0.002, beta1=0.9, beta2=0.999, epsilon=1e-38, weightDecay=0),
    'rmsprop': dict(learningRate=1e-2, alpha=0.99, epsilon=1e-8, weightDecay=0, initialMean=0),
    'rprop': dict(stepsize=0.1, etaplus=1.2, etaminus=0.5, stepsizemax=50.0, stepsizemin=1e-6,
                  niter=1),
    'cg': dict(rho=0.01, sig=0.5, int=0.1, ext=3.0, maxIter=20, ratio=100, maxEval=25),
    'lbfgs': dict(maxIter=20, maxEval=25, tolFun=1e-5, tolX=1e-9, nCorrection=100,
                  learningRate=1),
}


@pytest.mark.parametrize('name', sorted(TORCH7_DEFAULTS))
def test_missing_fields_take_torch7_defaults(name):
    method = getattr(optim, name)
    runs = []
    for config in ({}, dict(TORCH7_DEFAULTS[name])):
        x = torch.Tensor([0.5, -1.0, 2.0, 0.25])
        state = {}
        fs = []
        for _ in range(3):
            out = method(quad, x, config, state)
            fs.extend(out[1])
        runs.append((np.array(x._a).copy(), fs))
    np.testing.assert_array_equal(runs[0][0], runs[1][0])
    assert runs[0][1] == runs[1][1]


def test_lswolfe_defaults():
    runs = []
    for opts in (None, dict(c1=1e-4, c2=0.9, tolX=1e-9, maxIter=20)):
        x = torch.Tensor([0.5, -1.0, 2.0, 0.25])
        f, g = quad(x)
        d = g.clone().mul(-1)
        out = optim.lswolfe(quad, x, 1.0, d, f, g, g.dot(d), opts)
        runs.append((np.array(x._a).copy(), out[0], out[3], out[4]))
    np.testing.assert_array_equal(runs[0][0], runs[1][0])
    assert runs[0][1:] == runs[1][1:]


@pytest.mark.parametrize('name,notice', [('adagrad', 'no state table, ADAGRAD initializing'),
                                         ('adadelta', 'no state table, ADADELTA initializing'),
                                         ('rprop', 'no state table RPROP initializing')])
def test_no_state_table_notice(name, notice, capsys):
    getattr(optim, name)(quad, torch.Tensor([0.5, -1.0, 2.0, 0.25]))
    assert capsys.readouterr().out == notice + '\n'
    getattr(optim, name)(quad, torch.Tensor([0.5, -1.0, 2.0, 0.25]), {})
    assert capsys.readouterr().out == ''


def test_sgd_dampening_defaults_to_momentum():
    runs = []
    for config in ({'momentum': 0.5}, {'momentum': 0.5, 'dampening': 0.5}):
        x, st = torch.Tensor([0.5, -1.0, 2.0, 0.25]), {}
        for _ in range(3):
            optim.sgd(quad, x, config, st)
        runs.append(np.array(x._a).copy())
    np.testing.assert_array_equal(runs[0], runs[1])


def test_de_region_and_popsize_defaults():
    cfg = dict(scaleFactor=0.5, crossoverRate=0.5, maxFEs=41)
    b1, fx1 = optim.de(quad, torch.Tensor([0.0, 0.0, 0.0, 0.0]), dict(cfg))
    b2, fx2 = optim.de(quad, torch.Tensor([0.0, 0.0, 0.0, 0.0]),
                       dict(cfg, popsize=40, maxRegion=30, minRegion=-30))
    np.testing.assert_array_equal(np.array(fx1._a), np.array(fx2._a))
    np.testing.assert_array_equal(np.array(b1._a), np.array(b2._a))


def test_fista_missing_doFistaUpdate_is_ista():
    lam = 0.1

    def f(x, mode=None):
        v, g = quad(x)
        return (v, g) if mode == 'dx' else v

    def g(x):
        return lam * float(np.abs(np.array(x._a)).sum())

    def pl(x, L):
        a = np.array(x._a)
        x.copy(torch.Tensor(list(np.sign(a) * np.maximum(np.abs(a) - lam / L, 0))))
    hist = {}
    for key, params in (('none', {}), ('false', {'doFistaUpdate': False}),
                        ('true', {'doFistaUpdate': True})):
        x = torch.Tensor(4).zero()
        _, h = optim.FistaLS(f, g, pl, x, dict(params, maxiter=5))
        hist[key] = [r['F'] for r in h]
    assert hist['none'] == hist['false'] and hist['none'] != hist['true']
