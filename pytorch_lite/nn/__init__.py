"""pytorch_lite.nn: Torch7's nn package, one class per file with Torch7's names.

    from pytorch_lite import nn
    model = nn.Sequential().add(nn.Linear(10, 5)).add(nn.Tanh())

Every ``<Name>.py`` in this folder defines the class ``<Name>``; they are all exported here
(so a new module is one new file).  Python indices are 0-based throughout.
"""
import importlib as _importlib
import os as _os

from .Module import Module
from .Container import Container
from .Sequential import Sequential
from .Criterion import Criterion
from . import utils
from . import jacobian as Jacobian              # nn.Jacobian.testJacobian(module, input)
from . import sparse_jacobian as SparseJacobian
from . import tables                            # nn.tables.full(nin, nout)
from . import hessian                           # nn.hessian.enable()

_HERE = _os.path.dirname(__file__)
CLASSES = {}  # 'nn.Linear' -> class, for the t7 registry and the Lua bridge


def _load_all():
    for fname in sorted(_os.listdir(_HERE)):
        name, ext = _os.path.splitext(fname)
        if ext != ".py" or not name[:1].isupper():
            continue
        mod = _importlib.import_module("." + name, __name__)
        cls = getattr(mod, name, None)
        if cls is None:
            continue
        globals()[name] = cls
        CLASSES[cls.typename] = cls


_load_all()

# cudnn's classes ('cudnn.SpatialConvolution' with groups, 'cudnn.ReLU', ...): nn.cudnn.<Name>, in
# CLASSES under their cudnn names (pytorch_lite/nn/cudnn/__init__.py)
from . import cudnn  # noqa: E402
CLASSES.update(cudnn.CLASSES)


def _register_t7():
    try:
        from ..serialization.registry import register_class
    except ImportError:  # the t7 layer is optional for nn itself
        return
    for name, cls in CLASSES.items():
        register_class(name, cls)
    # a cudnn checkpoint's SpatialDilatedConvolution (no cudnn.torch class has the name) reads as nn's
    register_class("cudnn.SpatialDilatedConvolution", CLASSES["nn.SpatialDilatedConvolution"])


_register_t7()

from .. import nngraph as _nngraph  # noqa: E402  (registers nn.gModule and the graph classes)
