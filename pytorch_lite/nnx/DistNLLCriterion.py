"""nn.DistNLLCriterion{inputIsADistance=false, inputIsProbability=false,
inputIsLogProbability=false, targetIsProbability=true}: the cross-entropy -sum_i p_i log q_i
between a target distribution p and the input's distribution q, for one example (1D input).

The input is a score (log-softmax taken), a probability (log taken) or a log-probability, and is
negated first when it is a distance; the target is a distribution, or scores softmax-normalised."""
from ..nn.Criterion import Criterion
from .. import nn
from ..tensor import Tensor
from ._args import options


class DistNLLCriterion(Criterion):
    typename = "nn.DistNLLCriterion"

    def __init__(self, *args, **kw):
        super().__init__()
        opts = options("nn.DistNLLCriterion", args, kw, ("inputIsADistance", "inputIsProbability",
                                                          "inputIsLogProbability", "targetIsProbability"),
                       defaults={"inputIsADistance": False, "inputIsProbability": False,
                                 "inputIsLogProbability": False, "targetIsProbability": True})
        for k, v in opts.items():
            self.__dict__[k] = bool(v)
        self.targetSoftMax = nn.SoftMax()
        self.inputLogSoftMax = nn.LogSoftMax()
        self.inputLog = nn.Log()
        self.gradLogInput = Tensor()
        self.input = Tensor()

    def _normalize(self, input, target):
        self.probTarget = target if self.targetIsProbability else self.targetSoftMax.updateOutput(target)
        if self.inputIsADistance:
            self.input = input.new().resizeAs(input).copy(input).mul(-1)
        else:
            self.input = input
        if not self.inputIsLogProbability and not self.inputIsProbability:
            self.logProbInput = self.inputLogSoftMax.updateOutput(self.input)
        elif not self.inputIsLogProbability:
            self.logProbInput = self.inputLog.updateOutput(self.input)
        else:
            self.logProbInput = self.input

    def updateOutput(self, input, target):
        self._normalize(input, target)
        self.output = -float((self.logProbInput._a * self.probTarget._a.reshape(self.logProbInput._a.shape)).sum())
        return self.output

    def updateGradInput(self, input, target):
        self._normalize(input, target)
        self.gradLogInput = input.new().resizeAs(input)
        self.gradLogInput._a[...] = -self.probTarget._a.reshape(self.gradLogInput._a.shape)
        if not self.inputIsLogProbability and not self.inputIsProbability:
            self.gradInput = self.inputLogSoftMax.updateGradInput(self.input, self.gradLogInput)
        elif not self.inputIsLogProbability:
            self.gradInput = self.inputLog.updateGradInput(self.input, self.gradLogInput)
        else:
            self.gradInput = self.gradLogInput
        if self.inputIsADistance:
            self.gradInput.mul(-1)
        return self.gradInput
