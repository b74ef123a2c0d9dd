"""cudnn.VolumetricCrossEntropyCriterion(weights=None): SpatialCrossEntropyCriterion (field scec)
at every voxel of a mini-batch, input batch x nClasses x T x H x W, target batch x T x H x W
(T and H folded into one spatial dimension)."""
from ..Criterion import Criterion
from .SpatialCrossEntropyCriterion import SpatialCrossEntropyCriterion, check_batch


class VolumetricCrossEntropyCriterion(Criterion):
    typename = "cudnn.VolumetricCrossEntropyCriterion"

    def __init__(self, weights=None):
        super().__init__()
        self.scec = SpatialCrossEntropyCriterion(weights)

    def _fold(self, input, target):
        check_batch(self, 5, input, target)   # cudnn takes mini-batches only
        n, c, t, h, w = list(input.size())
        return input.contiguous().view(n, c, t * h, w), target.contiguous().view(n, t * h, w)

    def updateOutput(self, input, target):
        self.scec.updateOutput(*self._fold(input, target))
        self.output = self.scec.output
        return self.output

    def updateGradInput(self, input, target):
        self.scec.updateGradInput(*self._fold(input, target))
        self.gradInput = self.scec.gradInput.view(input.size())
        return self.gradInput

