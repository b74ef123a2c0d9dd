"""unsup.SparseAutoEncoder(encoder, decoder, beta, lambda [, loss]): an auto-encoder whose code pays
an L1 price: energy ``beta * loss(decoder(encoder(input)), target) + lambda * |code|_1`` (the loss
defaults to a summed nn.MSECriterion); the same protocol as unsup.AutoEncoder."""
from .. import nn
from .UnsupModule import EncoderDecoder


class SparseAutoEncoder(EncoderDecoder):
    typename = "unsup.SparseAutoEncoder"

    def __init__(self, encoder, decoder, beta, lambda_, loss=None):
        # no Module.__init__, as unsup's
        self.encoder = encoder
        self.decoder = decoder
        self.sparseCost = nn.L1Cost()
        self.beta = beta
        self.__dict__["lambda"] = lambda_
        if loss is None:
            loss = nn.MSECriterion()
            loss.sizeAverage = False
        self.loss = loss

    def updateOutput(self, input, target=None):
        self.encoder.updateOutput(input)
        self.decoder.updateOutput(self.encoder.output)
        out = self.beta * self.loss.updateOutput(self.decoder.output, target)
        self.output = out + self.__dict__["lambda"] * self.sparseCost.updateOutput(self.encoder.output)
        return self.output

    def updateGradInput(self, input, target=None):
        self.loss.updateGradInput(self.decoder.output, target).mul(self.beta)
        self.sparseCost.updateGradInput(self.encoder.output).mul(self.__dict__["lambda"])
        self.decoder.updateGradInput(self.encoder.output, self.loss.gradInput)
        self.decoder.gradInput.add(self.sparseCost.gradInput)
        self.encoder.updateGradInput(input, self.decoder.gradInput)
        self.gradInput = self.encoder.gradInput
        return self.gradInput

    def accGradParameters(self, input, target=None, scale=None):
        self.decoder.accGradParameters(self.encoder.output, self.loss.gradInput)
        self.encoder.accGradParameters(input, self.decoder.gradInput)

    def updateDiagHessianInput(self, input, diagHessianOutput=None):
        self.loss.updateDiagHessianInput(self.decoder.output, None).mul(self.beta)
        self.sparseCost.updateDiagHessianInput(self.encoder.output).mul(self.__dict__["lambda"])
        self.decoder.updateDiagHessianInput(self.encoder.output, self.loss.diagHessianInput)
        self.decoder.diagHessianInput.add(self.sparseCost.diagHessianInput)
        self.encoder.updateDiagHessianInput(input, self.decoder.diagHessianInput)
        self.diagHessianInput = self.encoder.diagHessianInput
        return self.diagHessianInput

    def accDiagHessianParameters(self, input, diagHessianOutput=None):
        self.decoder.accDiagHessianParameters(self.encoder.output, self.loss.diagHessianInput)
        self.encoder.accDiagHessianParameters(input, self.decoder.diagHessianInput)

