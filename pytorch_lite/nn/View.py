"""nn.View(sizes...): a view of the input with new sizes (one may be -1); with
setNumInputDims(n), extra leading dimensions are treated as a batch."""
from ..errors import TorchValueError
from ..storage import LongStorage
from .Module import Module
from ._view import SizeView


class View(SizeView, Module):
    # Torch7 fields that may be nil (absent from a t7 file): their defaults
    numInputDims = None

    def __init__(self, *sizes):
        super().__init__()
        if len(sizes) == 1 and isinstance(sizes[0], (LongStorage, list, tuple)):
            sizes = tuple(sizes[0])
        self.resetSize(*sizes)
        self.numInputDims = None

    def resetSize(self, *sizes):
        self.size = [int(s) for s in sizes]
        self.numElements = 1
        infer = 0
        for s in self.size:
            if s == -1:
                infer += 1
            else:
                self.numElements *= s
        if infer > 1:
            raise TorchValueError("nn.View: only one dimension can be -1")
        return self

    def setNumInputDims(self, n):
        self.numInputDims = n
        return self

    def _batchsize(self, input):
        isz = input._size
        ind = len(isz)
        maxdim = self.numInputDims if self.numInputDims is not None else ind
        ine = 1
        for s in isz[ind - maxdim:]:
            ine *= s
        if ine % self.numElements:
            raise TorchValueError("nn.View: input (%s) does not fit the view %s"
                                  % ("x".join(map(str, isz)), tuple(self.size)))
        bsz = ine // self.numElements
        if -1 in self.size:
            bsz = 1
        for s in isz[:ind - maxdim]:
            bsz *= s
        if bsz == 1 and (self.numInputDims is None or ind <= self.numInputDims):
            return None
        return bsz

    def updateOutput(self, input):
        bsz = self._batchsize(input)
        size = self.size if bsz is None else [bsz] + self.size
        try:
            self.output = input.view(*size)
        except TorchValueError as e:
            raise TorchValueError("nn.View(%s): cannot view an input of size %s: %s"
                                  % (", ".join(map(str, self.size)), "x".join(map(str, input._size)), e)) from None
        return self.output

    def __tostring__(self):
        return "%s(%s)" % (self.typename, ", ".join(map(str, self.size)))
