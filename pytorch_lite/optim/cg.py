"""optim.cg: nonlinear conjugate gradient, Torch7's rewrite of C. E. Rasmussen's minimize.m."""
import math

from ._util import tables, fdiv, fsqrt


def cg(opfunc, x, config=None, state=None):
    """Polak-Ribiere conjugate gradients with a cubic/quadratic line search.

    ``x, fx, i = cg(opfunc, x, config, state)``: ``fx`` lists f at the start and after every
    successful line search, ``i`` counts function evaluations (the budget is ``maxEval``).

    config fields: ``rho`` (0.01) and ``sig`` (0.5), the Wolfe-Powell constants; ``int`` (0.1,
    don't reevaluate within 0.1 of the bracket limits); ``ext`` (3.0, extrapolate at most 3x the
    current step); ``maxIter`` (20, evaluations per line search); ``ratio`` (100, maximum slope
    ratio); ``maxEval`` (maxIter*1.25).
    state fields (temporary buffers, reused when present): ``df0``..``df3``, ``s`` (search
    direction), ``x0``.
    """
    config, state = tables(config, state)
    rho = config.get('rho', 0.01)
    sig = config.get('sig', 0.5)
    intv = config.get('int', 0.1)
    ext = config.get('ext', 3.0)
    maxIter = config.get('maxIter', 20)
    ratio = config.get('ratio', 100)
    maxEval = config.get('maxEval', maxIter * 1.25)
    red = 1

    i = 0
    fx = []

    # three points for the interpolation/extrapolation
    z1 = z2 = z3 = 0
    d1 = d2 = d3 = 0
    f1 = f2 = f3 = 0

    df1 = _buffer(state, 'df1', x)
    df2 = _buffer(state, 'df2', x)
    df3 = _buffer(state, 'df3', x)
    s = _buffer(state, 's', x)
    x0 = _buffer(state, 'x0', x)
    df0 = _buffer(state, 'df0', x)
    f0 = 0

    f1, tdf = opfunc(x)
    fx.append(f1)
    df1.copy(tdf)
    i += 1

    s.copy(df1).mul(-1)
    d1 = -s.dot(s)            # slope
    z1 = red / (1 - d1)       # initial step

    while i < abs(maxEval):
        x0.copy(x)
        f0 = f1
        df0.copy(df1)

        x.add(z1, s)
        f2, tdf = opfunc(x)
        df2.copy(tdf)
        i += 1
        d2 = df2.dot(s)
        f3, d3, z3 = f1, d1, -z1   # point 3 starts equal to point 1
        m = min(maxIter, maxEval - i)
        success = 0
        limit = -1

        while True:
            while (f2 > f1 + z1 * rho * d1 or d2 > -sig * d1) and m > 0:
                limit = z1
                if f2 > f1:
                    z2 = z3 - fdiv(0.5 * d3 * z3 * z3, d3 * z3 + f2 - f3)
                else:
                    A = fdiv(6 * (f2 - f3), z3) + 3 * (d2 + d3)
                    B = 3 * (f3 - f2) - z3 * (d3 + 2 * d2)
                    z2 = fdiv(fsqrt(B * B - A * d2 * z3 * z3) - B, A)
                if z2 != z2 or math.isinf(z2):
                    z2 = z3 / 2
                z2 = max(min(z2, intv * z3), (1 - intv) * z3)
                z1 = z1 + z2
                x.add(z2, s)
                f2, tdf = opfunc(x)
                df2.copy(tdf)
                i += 1
                m -= 1
                d2 = df2.dot(s)
                z3 = z3 - z2
            if f2 > f1 + z1 * rho * d1 or d2 > -sig * d1:
                break
            elif d2 > sig * d1:
                success = 1
                break
            elif m == 0:
                break
            A = fdiv(6 * (f2 - f3), z3) + 3 * (d2 + d3)
            B = 3 * (f3 - f2) - z3 * (d3 + 2 * d2)
            z2 = fdiv(-d2 * z3 * z3, B + fsqrt(B * B - A * d2 * z3 * z3))

            if z2 != z2 or math.isinf(z2) or z2 < 0:
                if limit < -0.5:
                    z2 = z1 * (ext - 1)
                else:
                    z2 = (limit - z1) / 2
            elif (limit > -0.5) and (z2 + z1) > limit:
                z2 = (limit - z1) / 2
            elif limit < -0.5 and (z2 + z1) > z1 * ext:
                z2 = z1 * (ext - 1)
            elif z2 < -z3 * intv:
                z2 = -z3 * intv
            elif limit > -0.5 and z2 < (limit - z1) * (1 - intv):
                z2 = (limit - z1) * (1 - intv)
            f3 = f2
            d3 = d2
            z3 = -z2
            z1 = z1 + z2
            x.add(z2, s)

            f2, tdf = opfunc(x)
            df2.copy(tdf)
            i += 1
            m -= 1
            d2 = df2.dot(s)
        if success == 1:
            f1 = f2
            fx.append(f1)
            ss = fdiv(df2.dot(df2) - df2.dot(df1), df1.dot(df1))
            s.mul(ss)
            s.add(-1, df2)
            tmp = df1.clone()
            df1.copy(df2)
            df2.copy(tmp)
            d2 = df1.dot(s)
            if d2 > 0:
                s.copy(df1)
                s.mul(-1)
                d2 = -s.dot(s)

            z1 = z1 * min(ratio, fdiv(d1, d2 - 1e-320))
            d1 = d2
        else:
            x.copy(x0)
            f1 = f0
            df1.copy(df0)
            # Torch7 tests `ls_failed or i > maxEval`; ls_failed is a number there, and every
            # Lua number is true, so a failed line search always ends the run.
            break
    state['df0'] = df0
    state['df1'] = df1
    state['df2'] = df2
    state['df3'] = df3
    state['x0'] = x0
    state['s'] = s
    return x, fx, i


def _buffer(state, name, x):
    buf = state.get(name)
    if buf is None:
        buf = x.new()
    return buf.resizeAs(x)
