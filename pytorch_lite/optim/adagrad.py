"""optim.adagrad: AdaGrad (Duchi et al., 2011)."""
from ._util import buffer_like, evaluate, tables


def adagrad(opfunc, x, config=None, state=None):
    """One AdaGrad step: ``x, [fx] = adagrad(opfunc, x, config, state)``.

    ``paramVariance += dfdx^2``; ``x -= clr * dfdx / (sqrt(paramVariance) + 1e-10)``.

    config fields: ``learningRate`` (1e-3), ``learningRateDecay`` (0), ``weightDecay`` (0).
    state fields: ``evalCounter``, ``paramVariance``, ``paramStd``.
    """
    if config is None and state is None:
        print('no state table, ADAGRAD initializing')
    config, state = tables(config, state)
    lr = config.get('learningRate', 1e-3)
    lrd = config.get('learningRateDecay', 0)
    wd = config.get('weightDecay', 0)
    state['evalCounter'] = state.get('evalCounter', 0)
    nevals = state['evalCounter']

    fx, dfdx = evaluate(opfunc, x, wd)

    clr = lr / (1 + nevals * lrd)

    if state.get('paramVariance') is None:
        state['paramVariance'] = buffer_like(x, dfdx).zero()
        state['paramStd'] = buffer_like(x, dfdx)
    state['paramVariance'].addcmul(1, dfdx, dfdx)
    state['paramStd'].resizeAs(state['paramVariance']).copy(state['paramVariance']).sqrt()
    x.addcdiv(-clr, dfdx, state['paramStd'].add(1e-10))

    state['evalCounter'] = state['evalCounter'] + 1
    return x, [fx]
