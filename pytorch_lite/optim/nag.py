"""optim.nag: SGD with Nesterov's accelerated gradient (Sutskever et al., ICML 2013)."""
from ..errors import TorchValueError
from ._util import buffer_like, evaluate, tables


def nag(opfunc, x, config=None, state=None):
    """One NAG step: ``x, [fx] = nag(opfunc, x, config, state)``.

    The gradient is taken at ``x + momentum * v`` (v = state['dfdx']), then
    ``v = momentum*v - clr*dfdx`` and ``x = x_old + v``.

    config fields: ``learningRate`` (1e-3), ``learningRateDecay`` (0), ``weightDecay`` (0),
    ``momentum`` (0.9; must be > 0), ``dampening`` (read, unused, as in Torch7),
    ``learningRates`` (per-parameter tensor).
    state fields: ``evalCounter``, ``x_copy``, ``dfdx`` (the velocity), ``deltaParameters``.
    """
    config, state = tables(config, state)
    lr = config.get('learningRate', 1e-3)
    lrd = config.get('learningRateDecay', 0)
    wd = config.get('weightDecay', 0)
    mom = config.get('momentum', 0.9)
    lrs = config.get('learningRates')
    state['evalCounter'] = state.get('evalCounter', 0)
    nevals = state['evalCounter']

    if mom <= 0:
        raise TorchValueError('Momentum must be positive for Nesterov Accelerated Gradient')

    # first step in the direction of the momentum vector, then take the gradient there
    if state.get('x_copy') is None:
        state['x_copy'] = x.clone()
    else:
        state['x_copy'].resizeAs(x).copy(x)
    if state.get('dfdx') is not None:
        x.add(mom, state['dfdx'])
    fx, dfdx = evaluate(opfunc, x, wd)

    clr = lr / (1 + nevals * lrd)

    if state.get('dfdx') is None:
        state['dfdx'] = dfdx.new().resizeAs(dfdx).fill(0)
    else:
        state['dfdx'].mul(mom)

    if lrs is not None:
        if state.get('deltaParameters') is None:
            state['deltaParameters'] = buffer_like(x, dfdx)
        state['deltaParameters'].copy(lrs).cmul(dfdx)
        state['dfdx'].add(-clr, state['deltaParameters'])
    else:
        state['dfdx'].add(-clr, dfdx)
    state['x_copy'].add(state['dfdx'])
    x.copy(state['x_copy'])

    state['evalCounter'] = state['evalCounter'] + 1
    return x, [fx]
