"""unsup.PSD(encoder, decoder, beta [, params]): Predictive Sparse Decomposition (Kavukcuoglu et
al.): a sparse-coding decoder (unsup.LinearFistaL1, SpatialConvFistaL1 or any FistaL1) and an
encoder trained to predict its optimal code.

``updateOutput(input)`` runs the encoder, then the decoder's FISTA inference started from that
prediction, and returns ``decoder energy + beta * |prediction - code|^2, history``;
``updateGradInput(input)`` backpropagates beta times the prediction error into the encoder, and
``accGradParameters(input)`` updates both the dictionary's and the encoder's gradients."""
from .. import nn
from ._common import pair_rates
from .UnsupModule import EncoderDecoder


class PSD(EncoderDecoder):
    typename = "unsup.PSD"

    def __init__(self, encoder, decoder, beta, params=None):
        EncoderDecoder.__init__(self)
        self.beta = beta
        self.encoder = encoder
        self.decoder = decoder
        self.predcost = nn.MSECriterion()
        self.predcost.sizeAverage = False
        self.params = {} if params is None else params
        self.reset()

    def updateOutput(self, input, target=None):
        prediction = self.encoder.updateOutput(input)
        fval, history = self.decoder.updateOutput(input, prediction)
        perr = self.predcost.updateOutput(prediction, self.decoder.code)
        return fval + perr * self.beta, history

    def updateGradInput(self, input, gradOutput=None):
        predgrad = self.predcost.updateGradInput(self.encoder.output, self.decoder.code)
        predgrad.mul(self.beta)
        self.encoder.updateGradInput(input, predgrad)
        # unsup's PSD returns nothing here: the encoder's gradInput is encoder.gradInput

    def accGradParameters(self, input, gradOutput=None, scale=None):
        self.decoder.accGradParameters(input)
        self.encoder.accGradParameters(input, self.predcost.gradInput)

    def updateDiagHessianInput(self, input, diagHessianOutput=None):
        predhess = self.predcost.updateDiagHessianInput(self.encoder.output, self.decoder.code)
        predhess.mul(self.beta)
        self.encoder.updateDiagHessianInput(input, predhess)
        self.diagHessianInput = self.encoder.diagHessianInput
        return self.diagHessianInput

    def accDiagHessianParameters(self, input, diagHessianOutput=None):
        self.decoder.accDiagHessianParameters(input)
        self.encoder.accDiagHessianParameters(input, self.predcost.diagHessianInput)

    def updateParameters(self, learningRate):
        enc, dec = pair_rates(learningRate)
        self.decoder.updateParameters(dec)
        self.encoder.updateParameters(enc)

    def normalize(self):
        self.decoder.normalize()
