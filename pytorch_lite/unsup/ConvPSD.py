"""unsup.ConvPSD(conntable, kw, kh, iw, ih, lambda, beta [, params]): convolutional unsup.PSD.

conntable rows are (input plane, code plane) as nn.SpatialConvolutionMap's (0-based in Python,
1-based from Lua).  The decoder is an unsup.SpatialConvFistaL1 over the reversed table; the
encoder, by ``params.encoderType``: an nn.SpatialConvolutionMap(conntable, kw, kh) ('linear', the
default), followed by Tanh ('tanh') or TanhShrink ('tanh_shrink') and nn.Diag."""
from .. import nn
from ..errors import TorchValueError
from .LinearPSD import ENCODER_TYPES, make_encoder
from .PSD import PSD
from .SpatialConvFistaL1 import SpatialConvFistaL1


class ConvPSD(PSD):
    typename = "unsup.ConvPSD"

    def __init__(self, conntable, kw, kh, iw, ih, lambda_, beta, params=None):
        self.beta = beta
        decodertable = conntable.clone()
        decodertable.select(1, 0).copy(conntable.select(1, 1))
        decodertable.select(1, 1).copy(conntable.select(1, 0))
        outputFeatures = int(conntable.select(1, 1).max()) + 1
        self.decoder = SpatialConvFistaL1(decodertable, kw, kh, iw, ih, lambda_, params)
        params = {} if params is None else params   # shared with the decoder when given
        self.params = params
        params["encoderType"] = params.get("encoderType") or "linear"
        if params["encoderType"] not in ENCODER_TYPES:
            raise TorchValueError('params.encoderType unknown " %s' % (params["encoderType"],))
        self.encoder = make_encoder(params["encoderType"], nn.SpatialConvolutionMap(conntable, kw, kh, 1, 1),
                                    outputFeatures)
        PSD.__init__(self, self.encoder, self.decoder, beta, params)
