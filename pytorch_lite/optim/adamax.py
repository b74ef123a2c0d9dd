"""optim.adamax: AdaMax, Adam's infinity-norm variant (http://arxiv.org/pdf/1412.6980.pdf)."""
import pytorch_lite as torch

from ._util import evaluate, tables, zero_buffers


def adamax(opfunc, x, config=None, state=None):
    """One AdaMax step: ``x, [fx] = adamax(opfunc, x, config, state)``.

    config fields: ``learningRate`` (0.002), ``beta1`` (0.9), ``beta2`` (0.999),
    ``epsilon`` (1e-38), ``weightDecay`` (0).
    state fields: ``t``, ``m`` (mean of dfdx), ``u`` (decayed infinity norm; like Torch7's
    ``u:max(max, 1)`` it takes the 1 x n shape of a max over dim 0), ``max`` (2 x n buffer).
    """
    config, state = tables(config, state)
    lr = config.get('learningRate', 0.002)
    beta1 = config.get('beta1', 0.9)
    beta2 = config.get('beta2', 0.999)
    epsilon = config.get('epsilon', 1e-38)
    wd = config.get('weightDecay', 0)

    fx, dfdx = evaluate(opfunc, x, wd)

    state['t'] = state.get('t', 0)
    zero_buffers(state, x, dfdx.size(), 'm', 'u')
    if state.get('max') is None:
        state['max'] = x.new(2, *[dfdx.size(i) for i in range(dfdx.dim())]).zero()

    state['t'] = state['t'] + 1

    state['m'].mul(beta1).add(1 - beta1, dfdx)
    state['max'][0].copy(state['u']).mul(beta2)
    state['max'][1].copy(dfdx).abs().add(epsilon)
    torch.max(state['u'], torch.LongTensor(), state['max'], 0)

    biasCorrection1 = 1 - beta1 ** state['t']
    stepSize = lr / biasCorrection1
    x.addcdiv(-stepSize, state['m'], state['u'])

    return x, [fx]
