"""optim.adam: Adam (Kingma & Ba, http://arxiv.org/pdf/1412.6980.pdf)."""
import math

from ._util import evaluate, tables, zero_buffers


def adam(opfunc, x, config=None, state=None):
    """One Adam step: ``x, [fx] = adam(opfunc, x, config, state)``.

    config fields: ``learningRate`` (1e-3), ``learningRateDecay`` (0; ``lr / (1 + t*lrd)`` with
    the step count before this step), ``beta1`` (0.9), ``beta2`` (0.999), ``epsilon`` (1e-8),
    ``weightDecay`` (0).
    state fields: ``t`` (steps taken), ``m`` (mean of dfdx), ``v`` (mean of dfdx^2),
    ``denom`` (sqrt(v) + epsilon).
    """
    config, state = tables(config, state)
    lr = config.get('learningRate', 0.001)
    lrd = config.get('learningRateDecay', 0)
    beta1 = config.get('beta1', 0.9)
    beta2 = config.get('beta2', 0.999)
    epsilon = config.get('epsilon', 1e-8)
    wd = config.get('weightDecay', 0)

    fx, dfdx = evaluate(opfunc, x, wd)

    state['t'] = state.get('t', 0)
    zero_buffers(state, x, dfdx.size(), 'm', 'v', 'denom')

    clr = lr / (1 + state['t'] * lrd)

    state['t'] = state['t'] + 1

    state['m'].mul(beta1).add(1 - beta1, dfdx)
    state['v'].mul(beta2).addcmul(1 - beta2, dfdx, dfdx)
    state['denom'].copy(state['v']).sqrt().add(epsilon)

    biasCorrection1 = 1 - beta1 ** state['t']
    biasCorrection2 = 1 - beta2 ** state['t']
    stepSize = clr * math.sqrt(biasCorrection2) / biasCorrection1
    x.addcdiv(-stepSize, state['m'], state['denom'])

    return x, [fx]
