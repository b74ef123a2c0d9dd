"""nn.Criterion: the abstract base of every loss (nn doc/criterion.md).

``forward(input, target)`` returns a number (``output``); ``backward(input, target)`` returns
``gradInput``.  Class labels in targets are 0-based in Python."""
from ..tensor import Tensor
from ._base import TorchNNObject
from . import utils


class Criterion(TorchNNObject):
    typename = "nn.Criterion"

    def __init__(self):
        self.gradInput = Tensor()
        self.output = 0

    def updateOutput(self, input, target):
        return self.output

    def forward(self, input, target=None):
        return self.updateOutput(input, target)

    def backward(self, input, target=None):
        return self.updateGradInput(input, target)

    def updateGradInput(self, input, target):
        return self.gradInput

    def clone(self):
        return utils.deep_clone(self)

    def type(self, typename=None, tensorCache=None):
        if typename is None:
            return self.__dict__.get("_type")
        self._convert_fields(typename, tensorCache)
        return self

    def __call__(self, input, target=None):
        from .. import nngraph  # crit([pred_node, target_node]): a ModuleFromCriterion node (nngraph)
        if target is None and nngraph.is_node_call((input,)):
            return nngraph.ModuleFromCriterion(self)(input)
        self.output = self.forward(input, target)
        self.gradInput = self.backward(input, target)
        return self.output, self.gradInput

    def clearState(self):
        return utils.clear(self, "gradInput")
