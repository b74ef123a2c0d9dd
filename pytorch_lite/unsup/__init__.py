"""pytorch_lite.unsup: koraykv/unsup, Torch7's unsupervised learning package.

    from pytorch_lite import unsup, nn
    fista = unsup.LinearFistaL1(30, 100, 0.1)       # sparse coding over a 30 x 100 dictionary
    energy, history = fista.forward(x)               # fista.code: the sparse code of x
    psd = unsup.LinearPSD(64, 32, lambda_=0.5, beta=1)
    centroids, counts = unsup.kmeans(data, 16, 10)
    white, means, P, invP = unsup.zca_whiten(data)

Modules (nn-style, t7-serialisable under their Torch names): UnsupModule, AutoEncoder,
SparseAutoEncoder, FistaL1, LinearFistaL1, SpatialConvFistaL1, PSD, LinearPSD, ConvPSD, and
nn.Diag; the trainer UnsupTrainer; functions kmeans, pca, pcacov, zca_whiten, zca_colour,
zca_layer, inv_zca_layer, pca_whiten, pca_colour, pca_layer, inv_pca_layer and shrinkage.
``lambda`` (a Python keyword) is the constructors' ``lambda_`` and the modules' field
``m.__dict__['lambda']`` (``lambda`` in Lua and in t7 files, as unsup names it).
"""
from ..nn import hessian as _hessian
from .UnsupModule import UnsupModule
from .Diag import Diag, enable_hessian
from .AutoEncoder import AutoEncoder
from .SparseAutoEncoder import SparseAutoEncoder
from .FistaL1 import FistaL1
from .LinearFistaL1 import LinearFistaL1
from .SpatialConvFistaL1 import SpatialConvFistaL1
from .PSD import PSD
from .LinearPSD import LinearPSD
from .ConvPSD import ConvPSD
from .UnsupTrainer import UnsupTrainer
from .kmeans import kmeans
from .pca import pca, pcacov
from .whitening import (zca_whiten, zca_colour, zca_layer, inv_zca_layer, pca_whiten, pca_colour,
                        pca_layer, inv_pca_layer)
from .util import shrinkage

# Torch class name -> class: the nn modules (for the t7 registry and the Lua bridge) ...
CLASSES = {c.typename: c for c in (UnsupModule, Diag, AutoEncoder, SparseAutoEncoder, FistaL1,
                                    LinearFistaL1, SpatialConvFistaL1, PSD, LinearPSD, ConvPSD)}
# ... and the torch classes that are not modules (Lua only: no t7 form)
OTHER_CLASSES = {UnsupTrainer.typename: UnsupTrainer}


def _register_t7():
    from ..serialization.registry import register_class
    for name, cls in CLASSES.items():
        register_class(name, cls)


_register_t7()


def _hessian_enable_with_diag(_enable=_hessian.enable):
    _enable()
    enable_hessian()


# as unsup does: nn.hessian.enable() also gives nn.Diag its Hessian methods
if not getattr(_hessian.enable, "_with_unsup_diag", False):
    _hessian_enable_with_diag._with_unsup_diag = True
    _hessian.enable = _hessian_enable_with_diag
enable_hessian()
