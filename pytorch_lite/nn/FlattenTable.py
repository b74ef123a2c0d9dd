"""nn.FlattenTable(): a nested table of tensors as one flat table (depth first)."""
from ..tensor import Tensor
from .Module import Module


def _flatten(x, out):
    if isinstance(x, Tensor):
        out.append(x)
    else:
        for e in x:
            _flatten(e, out)
    return out


def _unflatten(like, it):
    if isinstance(like, Tensor):
        return next(it)
    return [_unflatten(e, it) for e in like]


class FlattenTable(Module):
    def __init__(self):
        super().__init__()
        self.output = []
        self.gradInput = []

    def updateOutput(self, input):
        self.output = _flatten(input, [])
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput = _unflatten(input, iter(gradOutput))
        return self.gradInput
