"""cudnn.SpatialCrossEntropyCriterion(weights=None): the cross entropy at every pixel of a
mini-batch, input batch x nClasses x H x W (scores), target batch x H x W (0-based classes here,
1-based from Lua): a log-softmax over the classes (field slsm) followed by
nn.SpatialClassNLLCriterion (field nll), averaged over the batch and the pixels when sizeAverage."""
from ..Criterion import Criterion
from ..SpatialClassNLLCriterion import SpatialClassNLLCriterion
from ..SpatialLogSoftMax import SpatialLogSoftMax
from .. import utils


def check_batch(module, n, input, target):
    """input (batch x nClasses x spatial...) and target (batch x spatial...) of rank n and n-1."""
    ok = (hasattr(input, "dim") and hasattr(target, "dim") and input.dim() == n and target.dim() == n - 1
          and list(input.size())[:1] + list(input.size())[2:] == list(target.size()))
    if not ok:
        dims = " x ".join("THW"[5 - n:])
        utils.bad_input(module, "a mini-batch: input batch x nClasses x %s and target batch x %s" % (dims, dims),
                        input)


class SpatialCrossEntropyCriterion(Criterion):
    typename = "cudnn.SpatialCrossEntropyCriterion"
    sizeAverage = True

    def __init__(self, weights=None):
        super().__init__()
        self.slsm = SpatialLogSoftMax()
        self.nll = SpatialClassNLLCriterion(weights)
        self.sizeAverage = True

    def _check(self, input, target):
        check_batch(self, 4, input, target)

    def updateOutput(self, input, target):
        self._check(input, target)
        self.slsm.updateOutput(input)
        self.nll.sizeAverage = self.sizeAverage
        self.nll.updateOutput(self.slsm.output, target)
        self.output = self.nll.output
        return self.output

    def updateGradInput(self, input, target):
        self._check(input, target)
        self.nll.updateGradInput(self.slsm.output, target)
        self.slsm.updateGradInput(input, self.nll.gradInput)
        self.gradInput = self.slsm.gradInput
        return self.gradInput
