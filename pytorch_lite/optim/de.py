"""optim.de: differential evolution (DE/best/1/bin), as in Torch7's optim."""
import pytorch_lite as torch

from ._util import tables


def de(opfunc, x, config=None, state=None):
    """Differential evolution: ``best_solution, fx = de(opfunc, x, config, state)``.

    ``opfunc(x)`` returns f(x) (a gradient, if returned, is ignored).  The population is drawn
    uniformly in [minRegion, maxRegion] from a private generator seeded with 1, so runs are
    reproducible and leave the global generator alone.  ``fx`` is a tensor of every value
    computed, in evaluation order (of size maxFEs; slots past the last evaluation are left
    uninitialised, as in Torch7).  As in Torch7, the first "best" is the population's *largest*
    fitness, later ones the smallest seen.

    config fields: ``popsize`` (10 * dimension), ``scaleFactor`` (F, usually 0.4..1),
    ``crossoverRate`` (CR, usually 0.1..0.9), ``maxFEs`` (number of function evaluations),
    ``maxRegion`` (30), ``minRegion`` (-30).
    """
    config, _ = tables(config, state)
    popsize = config.get('popsize')
    scaleFactor = config.get('scaleFactor')
    crossoverRate = config.get('crossoverRate')
    maxFEs = int(config.get('maxFEs'))
    maxRegion = config.get('maxRegion', 30)
    minRegion = config.get('minRegion', -30)
    xmean = x.clone().view(-1)
    D = xmean.size(0)
    if popsize is None:
        popsize = 10 * D

    fx = x.new(maxFEs)
    pop = x.new(popsize, D)
    children = x.new(popsize, D)
    fitness = x.new(popsize)
    children_fitness = x.new(popsize)
    fes = 1
    best_solution = x.new(D)

    gen = torch.Generator()
    torch.manualSeed(gen, 1)

    pop.uniform(gen, minRegion, maxRegion)
    for i in range(popsize):
        fitness[i] = _value(opfunc(pop[i]))
        fx[fes - 1] = fitness[i]
        fes += 1

    best, index = fitness.max(0)
    best_fitness = best[0]
    best_solution.copy(pop[int(index[0])])

    while fes < maxFEs:
        for i in range(1, popsize + 1):
            r1 = torch.random(gen, 1, popsize)
            while r1 == i:
                r1 = torch.random(gen, 1, popsize)
            r2 = torch.random(gen, 1, popsize)
            while r2 == r1 or r2 == i:
                r2 = torch.random(gen, 1, popsize)
            jrand = torch.random(gen, 1, D)
            child, parent, a, b = children[i - 1], pop[i - 1], pop[r1 - 1], pop[r2 - 1]
            for j in range(1, D + 1):
                if torch.uniform(gen, 0, 1) < crossoverRate or i == jrand:
                    child[j - 1] = best_solution[j - 1] + scaleFactor * (a[j - 1] - b[j - 1])
                else:
                    child[j - 1] = parent[j - 1]
            children_fitness[i - 1] = _value(opfunc(child))
            fx[fes - 1] = children_fitness[i - 1]
            fes += 1

        for i in range(popsize):
            if children_fitness[i] <= fitness[i]:
                pop[i].copy(children[i])
                fitness[i] = children_fitness[i]
                if fitness[i] < best_fitness:
                    best_fitness = fitness[i]
                    best_solution.copy(children[i])
    return best_solution, fx


def _value(result):
    """opfunc may return f or (f, dfdx); Lua keeps the first value."""
    return result[0] if isinstance(result, tuple) else result
