"""nn.Replicate(nFeature, dim=0, ndim=None): nFeature copies along a new dimension dim, as a
stride-0 view (0-based dim; with ndim, inputs with more dims are batches)."""
from .Module import Module
from . import utils


class Replicate(Module):
    t7_index_fields = ("dim",)
    # Torch7 fields that may be nil (absent from a t7 file): their defaults
    ndim = None

    def __init__(self, nf, dim=0, ndim=None):
        super().__init__()
        self.nfeatures = nf
        self.dim = dim
        self.ndim = ndim

    def _rdim(self, input):
        if self.dim > input.dim():
            utils.bad_input(self, "at least %d dimensions to replicate along dimension %d" % (self.dim, self.dim), input)
        return self.dim + (1 if self.ndim is not None and input.dim() > self.ndim else 0)

    def updateOutput(self, input):
        r = self._rdim(input)
        size = list(input._size)
        stride = list(input._stride)
        size.insert(r, self.nfeatures)
        stride.insert(r, 0)
        self.output.set(input.storage(), input.storageOffset(), tuple(size), tuple(stride))
        return self.output

    def updateGradInput(self, input, gradOutput):
        r = self._rdim(input)
        self.gradInput.resizeAs(input)
        self.gradInput._a[...] = gradOutput._a.sum(axis=r).reshape(self.gradInput._a.shape)
        return self.gradInput
