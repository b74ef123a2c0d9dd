"""nn.Reshape(sizes..., batchMode=None): a reshaped (contiguous) copy-free view; the first
dimension is kept as the batch unless the input has exactly the target's element count."""
from ..storage import LongStorage
from ..errors import TorchValueError
from .Module import Module
from ._view import SizeView


class Reshape(SizeView, Module):
    # Torch7 fields that may be nil (absent from a t7 file): their defaults
    batchMode = None

    def __init__(self, *args):
        super().__init__()
        self.batchMode = None
        if args and isinstance(args[-1], bool):
            self.batchMode = args[-1]
            args = args[:-1]
        if len(args) == 1 and isinstance(args[0], (LongStorage, list, tuple)):
            args = tuple(args[0])
        self.size = [int(a) for a in args]
        self.batchsize = [1] + self.size   # Torch7's, its first entry the last batch size
        self.nelement = 1
        for s in self.size:
            self.nelement *= s

    def updateOutput(self, input):
        x = input.contiguous()
        if self.batchMode is False or (self.batchMode is None and x.nElement() == self.nelement and x._size[0] != 1):
            size = self.size
        else:
            size = [x._size[0]] + self.size
            self.batchsize = size
        try:
            self.output = x.view(*size)
        except TorchValueError:
            raise TorchValueError("nn.Reshape(%s): input of size %s has the wrong number of elements"
                                  % ("x".join(map(str, self.size)), "x".join(map(str, input._size)))) from None
        return self.output

    def __tostring__(self):
        return "%s(%s)" % (self.typename, "x".join(map(str, self.size)))
