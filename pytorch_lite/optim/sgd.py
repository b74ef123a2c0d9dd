"""optim.sgd: stochastic gradient descent, Torch7's arithmetic step for step."""
from ._util import tables, buffer_like


def sgd(opfunc, x, config=None, state=None):
    """One SGD step: ``x, [fx] = sgd(opfunc, x, config, state)``.

    ``opfunc(x)`` returns ``(f, dfdx)``; ``x`` is updated in place and returned with a one-element
    list holding f(x) before the update (Torch7 returns ``{fx}``).

    config fields (Torch7 names and defaults):
      - ``learningRate`` (1e-3), ``learningRateDecay`` (0): step ``lr / (1 + evalCounter*lrd)``
      - ``weightDecay`` (0): adds ``wd * x`` to dfdx (dfdx is modified in place, as in Torch7)
      - ``weightDecays``: tensor of per-parameter weight decays (used when weightDecay is 0)
      - ``momentum`` (0), ``dampening`` (defaults to momentum), ``nesterov`` (False; needs
        momentum > 0 and dampening 0)
      - ``learningRates``: tensor of per-parameter learning rates
    state fields: ``evalCounter``, ``dfdx`` (momentum buffer), ``decayParameters``,
    ``deltaParameters``.  Without ``state``, config holds the state (Torch7's ``state or config``).
    """
    config, state = tables(config, state)
    lr = config.get('learningRate', 1e-3)
    lrd = config.get('learningRateDecay', 0)
    wd = config.get('weightDecay', 0)
    mom = config.get('momentum', 0)
    damp = config.get('dampening', mom)
    nesterov = config.get('nesterov', False)
    lrs = config.get('learningRates')
    wds = config.get('weightDecays')
    state['evalCounter'] = state.get('evalCounter', 0)
    nevals = state['evalCounter']
    assert not nesterov or (mom > 0 and damp == 0), \
        "Nesterov momentum requires a momentum and zero dampening"

    fx, dfdx = opfunc(x)

    if wd != 0:
        dfdx.add(wd, x)
    elif wds is not None:
        if state.get('decayParameters') is None:
            state['decayParameters'] = buffer_like(x, dfdx)
        state['decayParameters'].copy(wds).cmul(x)
        dfdx.add(state['decayParameters'])

    if mom != 0:
        if state.get('dfdx') is None:
            state['dfdx'] = dfdx.new().resizeAs(dfdx).copy(dfdx)
        else:
            state['dfdx'].mul(mom).add(1 - damp, dfdx)
        if nesterov:
            dfdx.add(mom, state['dfdx'])
        else:
            dfdx = state['dfdx']

    clr = lr / (1 + nevals * lrd)

    if lrs is not None:
        if state.get('deltaParameters') is None:
            state['deltaParameters'] = buffer_like(x, dfdx)
        state['deltaParameters'].copy(lrs).cmul(dfdx)
        x.add(-clr, state['deltaParameters'])
    else:
        x.add(-clr, dfdx)

    state['evalCounter'] = state['evalCounter'] + 1
    return x, [fx]
