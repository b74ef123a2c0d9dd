"""nn.FlattenTable(): a nested table of tensors as one flat table (depth first).

``input_map`` has the input's nesting with, at each tensor, its position in the output (0-based;
1-based in t7 files).  As in Torch7 the output table is rebuilt only when the input's structure
changes, so a caller holding it sees the new tensors."""
from ..tensor import Tensor
from .Module import Module


def _flatten(x, out):
    """Appends x's tensors to out; returns x's input_map."""
    if isinstance(x, Tensor):
        out.append(x)
        return len(out) - 1
    return [_flatten(e, out) for e in x]


def _same_layout(x, mapping, out):
    """x has mapping's structure, and out's entries are x's tensors there."""
    if isinstance(x, Tensor):
        return isinstance(mapping, int) and mapping < len(out) and out[mapping] is x
    if not isinstance(mapping, list) or len(mapping) != len(x):
        return False
    return all(_same_layout(e, m, out) for e, m in zip(x, mapping))


def _unflatten(mapping, flat):
    if isinstance(mapping, int):
        return flat[mapping]
    return [_unflatten(m, flat) for m in mapping]


class FlattenTable(Module):
    t7_index_fields = ("input_map",)
    input_map = None

    def __init__(self):
        super().__init__()
        self.output = []
        self.gradInput = []
        self.input_map = []

    def updateOutput(self, input):
        mapping = self.__dict__.get("input_map")
        n = len(self.output) if isinstance(self.output, list) else -1
        if mapping is None or not _same_layout(input, mapping, self.output) or n != _count(mapping):
            out = []
            self.input_map = _flatten(input, out)
            self.output = out
        return self.output

    def updateGradInput(self, input, gradOutput):
        mapping = self.__dict__.get("input_map")
        if mapping is None or not _same_layout(input, mapping, self.output):
            mapping = _flatten(input, [])
        self.gradInput = _unflatten(mapping, gradOutput)
        return self.gradInput


def _count(mapping):
    if isinstance(mapping, int):
        return 1
    return sum(_count(m) for m in mapping)
