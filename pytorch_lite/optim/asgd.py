"""optim.asgd: averaged SGD, as in L. Bottou's sgd-2.0.

    x := (1 - lambda*eta_t) x - eta_t * df/dx
    a := a + mu_t (x - a)
    eta_t = eta0 / (1 + lambda*eta0*t)^alpha
    mu_t  = 1 / max(1, t - t0)
"""
from ._util import tables


def asgd(opfunc, x, config=None, state=None):
    """One ASGD step: ``x, [fx], ax = asgd(opfunc, x, config, state)``; ax is the average.

    config fields (written back with their defaults, as Torch7 does): ``eta0`` (1e-4, learning
    rate), ``lambda`` (1e-4, decay term), ``alpha`` (0.75, power in the eta update), ``t0``
    (1e6, the step at which averaging starts).
    state fields: ``eta_t``, ``mu_t``, ``t``, ``ax`` (the averaged x), ``tmp``.
    """
    config, state = tables(config, state)
    config['eta0'] = config.get('eta0', 1e-4)
    config['lambda'] = config.get('lambda', 1e-4)
    config['alpha'] = config.get('alpha', 0.75)
    config['t0'] = config.get('t0', 1e6)

    state['eta_t'] = state.get('eta_t', config['eta0'])
    state['mu_t'] = state.get('mu_t', 1)
    state['t'] = state.get('t', 0)

    fx, dfdx = opfunc(x)

    x.mul(1 - config['lambda'] * state['eta_t'])
    x.add(-state['eta_t'], dfdx)

    if state.get('ax') is None:
        state['ax'] = x.new().resizeAs(x).zero()
    if state.get('tmp') is None:
        state['tmp'] = state['ax'].new().resizeAs(state['ax'])
    if state['mu_t'] != 1:
        state['tmp'].copy(x)
        state['tmp'].add(-1, state['ax']).mul(state['mu_t'])
        state['ax'].add(state['tmp'])
    else:
        state['ax'].copy(x)

    state['t'] = state['t'] + 1
    state['eta_t'] = config['eta0'] / ((1 + config['lambda'] * config['eta0'] * state['t'])
                                       ** config['alpha'])
    state['mu_t'] = 1 / max(1, state['t'] - config['t0'])

    return x, [fx], state['ax']
