"""optim.adadelta: ADADELTA (Zeiler, 2012, http://arxiv.org/abs/1212.5701)."""
from ._util import buffer_like, evaluate, tables


def adadelta(opfunc, x, config=None, state=None):
    """One ADADELTA step: ``x, [fx] = adadelta(opfunc, x, config, state)``.

    config fields: ``rho`` (0.9, interpolation), ``eps`` (1e-6, numerical stability),
    ``weightDecay`` (0).
    state fields: ``evalCounter``, ``paramVariance`` (running mean of dfdx^2), ``paramStd``,
    ``delta``, ``accDelta`` (running mean of delta^2).
    """
    if config is None and state is None:
        print('no state table, ADADELTA initializing')
    config, state = tables(config, state)
    rho = config.get('rho', 0.9)
    eps = config.get('eps', 1e-6)
    wd = config.get('weightDecay', 0)
    state['evalCounter'] = state.get('evalCounter', 0)

    fx, dfdx = evaluate(opfunc, x, wd)

    if state.get('paramVariance') is None:
        state['paramVariance'] = buffer_like(x, dfdx).zero()
        state['paramStd'] = buffer_like(x, dfdx).zero()
        state['delta'] = buffer_like(x, dfdx).zero()
        state['accDelta'] = buffer_like(x, dfdx).zero()
    pv = state['paramVariance']
    pv.mul(rho).addcmul(1 - rho, dfdx, dfdx)
    state['paramStd'].resizeAs(pv).copy(pv).add(eps).sqrt()
    state['delta'].resizeAs(pv).copy(state['accDelta']).add(eps).sqrt() \
        .cdiv(state['paramStd']).cmul(dfdx)
    x.add(-1, state['delta'])
    state['accDelta'].mul(rho).addcmul(1 - rho, state['delta'], state['delta'])

    state['evalCounter'] = state['evalCounter'] + 1
    return x, [fx]
