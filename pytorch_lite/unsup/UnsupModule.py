"""unsup.UnsupModule: the base of unsup's learning modules, an nn.Module that can also
renormalise its dictionary (``normalize``, called after each parameter update)."""
from ..errors import TorchTypeError
from ..nn.Module import Module


class UnsupModule(Module):
    typename = "unsup.UnsupModule"

    def normalize(self):
        raise TorchTypeError("Every unsupervised module has to implement normalize function")


class EncoderDecoder(UnsupModule):
    """What unsup's encoder/decoder modules (AutoEncoder, SparseAutoEncoder, PSD) share: their
    parameters are the encoder's then the decoder's, and each call below goes to both."""

    def parameters(self):
        from ._common import pair_parameters
        return pair_parameters(self.encoder, self.decoder)

    def initDiagHessianParameters(self):
        self.encoder.initDiagHessianParameters()
        self.decoder.initDiagHessianParameters()

    def reset(self, stdv=None):
        self.decoder.reset(stdv)
        self.encoder.reset(stdv)
        return self

    def zeroGradParameters(self):
        self.encoder.zeroGradParameters()
        self.decoder.zeroGradParameters()

    def updateParameters(self, learningRate):
        """learningRate: one number for both, or a pair (encoder's, decoder's)."""
        from ._common import pair_rates
        enc, dec = pair_rates(learningRate)
        self.encoder.updateParameters(enc)
        self.decoder.updateParameters(dec)
