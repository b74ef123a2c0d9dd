"""optim.rmsprop: RMSprop (Tieleman & Hinton, lecture 6e)."""
from ._util import buffer_like, evaluate, tables


def rmsprop(opfunc, x, config=None, state=None):
    """One RMSprop step: ``x, [fx] = rmsprop(opfunc, x, config, state)``.

    ``m = alpha*m + (1-alpha)*dfdx^2``; ``x -= lr * dfdx / (sqrt(m) + epsilon)``.

    config fields: ``learningRate`` (1e-2), ``alpha`` (0.99, smoothing), ``epsilon`` (1e-8),
    ``weightDecay`` (0), ``initialMean`` (0, the value m starts from).
    state fields: ``m`` (leaky mean of squared gradients), ``tmp`` (sqrt(m) + epsilon).
    """
    config, state = tables(config, state)
    lr = config.get('learningRate', 1e-2)
    alpha = config.get('alpha', 0.99)
    epsilon = config.get('epsilon', 1e-8)
    wd = config.get('weightDecay', 0)
    mfill = config.get('initialMean', 0)

    fx, dfdx = evaluate(opfunc, x, wd)

    if state.get('m') is None:
        state['m'] = buffer_like(x, dfdx).fill(mfill)
        state['tmp'] = buffer_like(x, dfdx)

    state['m'].mul(alpha)
    state['m'].addcmul(1.0 - alpha, dfdx, dfdx)

    state['tmp'].sqrt(state['m']).add(epsilon)
    x.addcdiv(-lr, dfdx, state['tmp'])

    return x, [fx]
