"""unsup.UnsupModule: the base of unsup's learning modules, an nn.Module that can also
renormalise its dictionary (``normalize``, called after each parameter update)."""
from ..errors import TorchTypeError
from ..nn.Module import Module


class UnsupModule(Module):
    typename = "unsup.UnsupModule"

    def normalize(self):
        raise TorchTypeError("Every unsupervised module has to implement normalize function")
