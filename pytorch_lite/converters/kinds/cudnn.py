"""cudnn's classes whose forward is nn's (pytorch_lite.nn.cudnn.SAME_AS_NN) convert as nn's do;
cudnn's softmaxes over each instance; its own convolutions, ClippedReLU and volumetric softmaxes
are declared with their families (convolutions.py, pointwise.py)."""
from ..declare import DECLARATIONS, declare
from ...nn.cudnn import SAME_AS_NN
from . import convolutions, normalization, pointwise, pooling  # noqa: F401  (nn's declarations first)

for _name in SAME_AS_NN:
    DECLARATIONS["cudnn." + _name] = DECLARATIONS["nn." + _name]


@declare("cudnn.SoftMax", "cudnn.LogSoftMax")
def instance_softmax(m, g, x, s):
    # over everything but the batch: nn's softmax where that is one dimension (1D, 2D inputs)
    d = s.xin.dim()
    if d > 2:
        s.fail("cudnn's softmax over all of C x H x W of each sample has no declaration (nn's works per pixel)")
    return g.softmax(x, d - 1, log=m.typename == "cudnn.LogSoftMax")
