"""unsup.LinearPSD(inputSize, outputSize, lambda, beta [, params]): unsup.PSD with an
unsup.LinearFistaL1 decoder and, by ``params.encoderType``, a linear encoder ('linear', the
default), or Linear + Tanh + nn.Diag ('tanh'), or Linear + TanhShrink + nn.Diag ('tanh_shrink')."""
from .. import nn
from ..errors import TorchValueError
from .Diag import Diag
from .LinearFistaL1 import LinearFistaL1
from .PSD import PSD

ENCODER_TYPES = ("linear", "tanh", "tanh_shrink")


def make_encoder(encoderType, first, nOut):
    """first (a Linear or SpatialConvolutionMap), alone or followed by a squashing and nn.Diag."""
    if encoderType == "linear":
        return first
    if encoderType in ("tanh", "tanh_shrink"):
        squash = nn.Tanh() if encoderType == "tanh" else nn.TanhShrink()
        return nn.Sequential().add(first).add(squash).add(Diag(nOut))
    raise TorchValueError('params.encoderType unknown " %s' % (encoderType,))


class LinearPSD(PSD):
    typename = "unsup.LinearPSD"

    def __init__(self, inputSize, outputSize, lambda_, beta, params=None):
        self.beta = beta
        self.decoder = LinearFistaL1(inputSize, outputSize, lambda_, params)
        # a caller's params table is shared with the decoder (FISTA's state); none: a new one
        params = {} if params is None else params
        self.params = params
        params["encoderType"] = params.get("encoderType") or "linear"
        if params["encoderType"] not in ENCODER_TYPES:
            raise TorchValueError('params.encoderType unknown " %s' % (params["encoderType"],))
        self.encoder = make_encoder(params["encoderType"], nn.Linear(inputSize, outputSize), outputSize)
        PSD.__init__(self, self.encoder, self.decoder, self.beta, self.params)
