"""optim: Torch7's optimisation package (torch/optim), one algorithm per file.

Every algorithm has Torch7's functional form::

    x, fs = optim.sgd(feval, x, config, state)   # feval(x) -> (f, dfdx); fs == [f(x before)]

``x`` (a flat parameter tensor, e.g. from ``model.getParameters()``) is updated in place.
``config`` and ``state`` are dicts with Torch7's field names; ``state`` defaults to ``config``
and evolves exactly as Torch7's table does, so a state saved by Torch7 resumes here and ours
resumes there.  The arithmetic follows Torch7's operation order, so trajectories match it.

Importing this package registers ``optim.ConfusionMatrix`` and ``optim.Logger`` with the t7
reader/writer (``torch.load`` / ``torch.save``), in Torch7's field layout.
"""
from .sgd import sgd
from .asgd import asgd
from .nag import nag
from .adagrad import adagrad
from .adadelta import adadelta
from .adam import adam
from .adamax import adamax
from .rmsprop import rmsprop
from .rprop import rprop
from .cg import cg
from .lbfgs import lbfgs
from .lswolfe import lswolfe
from .polyinterp import polyinterp
from .cmaes import cmaes
from .de import de
from .fista import FistaLS
from .checkgrad import checkgrad
from .ConfusionMatrix import ConfusionMatrix
from .Logger import Logger


def _register_t7():
    from ..serialization.registry import register_class
    register_class('optim.ConfusionMatrix', ConfusionMatrix)
    register_class('optim.Logger', Logger)


_register_t7()

__all__ = ['sgd', 'asgd', 'nag', 'adagrad', 'adadelta', 'adam', 'adamax', 'rmsprop', 'rprop',
           'cg', 'lbfgs', 'lswolfe', 'polyinterp', 'cmaes', 'de', 'FistaLS', 'ConfusionMatrix',
           'Logger']
