"""optim.de: differential evolution (DE/best/1/bin), as in Torch7's optim."""
import pytorch_lite as torch

from ..errors import TorchTypeError
from ._util import tables


def de(opfunc, x, config=None, state=None):
    """Differential evolution: ``best_solution, fx = de(opfunc, x, config, state)``.

    ``opfunc(x)`` returns f(x) (a gradient, if returned, is ignored); ``x`` gives only the
    dimension and the tensor type (the population is not started from it).  The population is
    drawn uniformly in [minRegion, maxRegion] from a private generator seeded with 1, so runs are
    reproducible and leave the global generator alone.  ``fx`` is a tensor of every value
    computed, in evaluation order, of size maxFEs; slots past the last evaluation are left
    uninitialised, as in Torch7.  Every generation evaluates all popsize children, so, as in
    Torch7, maxFEs must be a multiple of popsize (or one more): otherwise the last generation
    writes past fx's end and fails.  As in Torch7, the first "best" is the initial population's
    *largest* fitness, later ones the smallest seen.  ``state`` is not used.

    config fields (Torch7 reads them from config only):

    - ``popsize``: population size (default 10 * D, D = x's number of elements).
    - ``scaleFactor``: F, the weight of the difference vector, usually 0.4..1; required.
    - ``crossoverRate``: CR, usually 0.1..0.9; required.
    - ``maxFEs``: number of function evaluations (the size of fx); required.
    - ``maxRegion`` / ``minRegion``: the initial population's range (defaults 30 / -30).
    """
    config, _ = tables(config, state)
    popsize = config.get('popsize')
    scaleFactor = config.get('scaleFactor')
    crossoverRate = config.get('crossoverRate')
    maxFEs = config.get('maxFEs')
    if isinstance(maxFEs, str):
        try:
            maxFEs = float(maxFEs)          # Lua's tonumber
        except ValueError:
            maxFEs = None
    if not isinstance(maxFEs, (int, float)) or isinstance(maxFEs, bool):
        raise TorchTypeError("de: config.maxFEs (the number of function evaluations) is "
                             "required; got %r" % (config.get('maxFEs'),))
    maxFEs = int(maxFEs)
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

    if fes < maxFEs:
        for name, value in (('crossoverRate', crossoverRate), ('scaleFactor', scaleFactor)):
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                raise TorchTypeError("de: config.%s is required (a number); got %r"
                                     % (name, value))
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
