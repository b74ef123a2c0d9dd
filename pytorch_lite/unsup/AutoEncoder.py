"""unsup.AutoEncoder(encoder, decoder, beta [, loss, lambda, codeloss]): an auto-encoder trained to
reconstruct its target from the code of its input.

The energy of (input, target) is ``beta * loss(decoder(encoder(input)), target)``, plus
``lambda * codeloss(code)`` when both are given; ``loss`` defaults to a summed (not averaged)
nn.MSECriterion.  As in unsup, ``updateOutput(input, target)`` returns that number (it is also
``output``), ``updateGradInput(input, target)`` backpropagates the energy (no gradOutput: the module
is its own loss) and ``accGradParameters(input, target)`` accumulates both halves' gradients.
Like unsup's, the constructor leaves the nn.Module fields (output, gradInput) unset."""
from .. import nn
from ._common import normalize_atoms
from .UnsupModule import EncoderDecoder


class AutoEncoder(EncoderDecoder):
    typename = "unsup.AutoEncoder"

    def __init__(self, encoder, decoder, beta, loss=None, lambda_=None, codeloss=None):
        # no Module.__init__: unsup's AutoEncoder keeps only these fields
        self.encoder = encoder
        self.decoder = decoder
        self.beta = beta
        if loss is None:
            loss = nn.MSECriterion()
            loss.sizeAverage = False
        self.loss = loss
        if lambda_ is not None and codeloss is not None:
            self.codecost = codeloss
            self.__dict__["lambda"] = lambda_

    def _lambda(self):
        return self.__dict__.get("lambda")

    def updateOutput(self, input, target=None):
        self.encoder.updateOutput(input)
        self.decoder.updateOutput(self.encoder.output)
        out = self.beta * self.loss.updateOutput(self.decoder.output, target)
        lam = self._lambda()
        if lam is not None:
            out = out + lam * self.codecost.updateOutput(self.encoder.output)
        self.output = out
        return out

    def updateGradInput(self, input, target=None):
        lossgrad = self.loss.updateGradInput(self.decoder.output, target)
        lossgrad.mul(self.beta)
        lam = self._lambda()
        if lam is not None:
            self.codecost.updateGradInput(self.encoder.output).mul(lam)
        self.decoder.updateGradInput(self.encoder.output, self.loss.gradInput)
        if lam is not None:   # the code's own cost joins the gradient reaching the code
            self.decoder.gradInput.add(self.codecost.gradInput)
        self.encoder.updateGradInput(input, self.decoder.gradInput)
        self.gradInput = self.encoder.gradInput
        return self.gradInput

    def accGradParameters(self, input, target=None, scale=None):
        self.decoder.accGradParameters(self.encoder.output, self.loss.gradInput)
        self.encoder.accGradParameters(input, self.decoder.gradInput)

    def updateDiagHessianInput(self, input, diagHessianOutput=None):
        self.loss.updateDiagHessianInput(self.decoder.output, None).mul(self.beta)
        lam = self._lambda()
        if lam is not None:
            self.codecost.updateDiagHessianInput(self.encoder.output).mul(lam)
        self.decoder.updateDiagHessianInput(self.encoder.output, self.loss.diagHessianInput)
        if lam is not None:
            self.decoder.diagHessianInput.add(self.codecost.diagHessianInput)
        self.encoder.updateDiagHessianInput(input, self.decoder.diagHessianInput)
        self.diagHessianInput = self.encoder.diagHessianInput
        return self.diagHessianInput

    def accDiagHessianParameters(self, input, diagHessianOutput=None):
        self.decoder.accDiagHessianParameters(self.encoder.output, self.loss.diagHessianInput)
        self.encoder.accDiagHessianParameters(input, self.decoder.diagHessianInput)


    def normalize(self):
        # only when asked for (a script sets module.normalized = true), as in unsup
        if not self.__dict__.get("normalized"):
            return
        normalize_atoms(self.decoder.__dict__.get("weight"))
