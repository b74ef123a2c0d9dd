"""nn.Contiguous(): passes the input on, copied into contiguous memory when it is not already."""
from ..tensor import Tensor
from .Module import Module
from . import utils


def _contiguous_into(out, src):
    """out (kept as the same tensor object, as Torch7 does) made a view of a contiguous src, or
    a contiguous copy of it; an out viewing src's storage lets go of it before being resized."""
    if src.isContiguous():
        return out.set(src)
    if out.storage() is not None and src.storage() is not None and out.storage() is src.storage():
        out.set()
    return out.resizeAs(src).copy(src)


class Contiguous(Module):
    def updateOutput(self, input):
        if not isinstance(input, Tensor):
            utils.bad_input(self, "a tensor", input)
        return _contiguous_into(self.output, input)

    def updateGradInput(self, input, gradOutput):
        return _contiguous_into(self.gradInput, gradOutput)
