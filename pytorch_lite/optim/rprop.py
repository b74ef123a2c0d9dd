"""optim.rprop: resilient backpropagation (Riedmiller & Braun)."""
import pytorch_lite as torch

from ._util import tables


def rprop(opfunc, x, config=None, state=None):
    """``niter`` RPROP steps: ``x, fhist = rprop(opfunc, x, config, state)``.

    Each parameter has its own step size, multiplied by ``etaplus`` while its gradient keeps
    its sign and by ``etaminus`` when the sign flips (that step then skips the parameter), and
    clipped to [stepsizemin, stepsizemax]; x moves by ``-sign(dfdx) * stepsize``.

    config fields: ``stepsize`` (0.1, initial step), ``etaplus`` (1.2), ``etaminus`` (0.5),
    ``stepsizemax`` (50), ``stepsizemin`` (1e-6), ``niter`` (1, steps per call).
    state fields: ``delta`` (last gradient), ``stepsize`` (tensor), ``sign``, ``psign``,
    ``nsign``, ``zsign``, ``dminmax`` (ByteTensor masks).
    Returns the list of f values, one per step.
    """
    if config is None and state is None:
        print('no state table RPROP initializing')
    config, state = tables(config, state)
    stepsize = config.get('stepsize', 0.1)
    etaplus = config.get('etaplus', 1.2)
    etaminus = config.get('etaminus', 0.5)
    stepsizemax = config.get('stepsizemax', 50.0)
    stepsizemin = config.get('stepsizemin', 1E-06)
    niter = config.get('niter', 1)

    hfx = []
    for _ in range(int(niter)):
        fx, dfdx = opfunc(x)

        if state.get('delta') is None:
            state['delta'] = dfdx.new(dfdx.size()).zero()
            state['stepsize'] = dfdx.new(dfdx.size()).fill(stepsize)
            state['sign'] = dfdx.new(dfdx.size())
            state['psign'] = torch.ByteTensor(dfdx.size())
            state['nsign'] = torch.ByteTensor(dfdx.size())
            state['zsign'] = torch.ByteTensor(dfdx.size())
            state['dminmax'] = torch.ByteTensor(dfdx.size())
        sign, steps = state['sign'], state['stepsize']

        # sign of derivative from last step to this one
        torch.cmul(sign, dfdx, state['delta'])
        torch.sign(sign, sign)

        torch.gt(state['psign'], sign, 0)
        torch.lt(state['nsign'], sign, 0)
        torch.eq(state['zsign'], sign, 0)

        sign[state['psign']] = etaplus
        sign[state['nsign']] = etaminus
        sign[state['zsign']] = 1

        steps.cmul(sign)

        torch.gt(state['dminmax'], steps, stepsizemax)
        steps[state['dminmax']] = stepsizemax
        torch.lt(state['dminmax'], steps, stepsizemin)
        steps[state['dminmax']] = stepsizemin

        # a sign flip skips this step for that parameter
        dfdx[state['nsign']] = 0
        torch.sign(sign, dfdx)

        x.addcmul(-1, sign, steps)

        state['delta'].copy(dfdx)
        hfx.append(fx)

    return x, hfx
