"""The error an export raises for a module it cannot express in the target format."""
from ..errors import TorchValueError


class ConversionError(TorchValueError):
    """``module`` (at ``path``, its position in the tree of ``modules`` lists) has no equivalent in
    ``target``; the message names the first such module met in forward order."""

    def __init__(self, module, path, target, why=None):
        self.module = module
        self.path = ".".join(path) if isinstance(path, (list, tuple)) else path
        self.target = target
        where = "the model root" if not self.path else "module path '%s'" % self.path
        text = "cannot convert %s (%s) to %s" % (getattr(module, "typename", type(module).__name__), where, target)
        if why:
            text += ": " + why
        super().__init__(text)


class VerificationError(TorchValueError):
    """The exported model loaded back does not reproduce pytorch_lite's outputs."""


class CaffeFormatError(TorchValueError):
    """A Caffe file that cannot be read as one: missing, not a NetParameter (a caffemodel is
    binary protobuf, a prototxt its text form), truncated, or with a blob whose values do not fill
    its shape.  ``path`` is the file."""

    def __init__(self, path, why):
        self.path = str(path)
        super().__init__("loadcaffe: %s: %s" % (self.path, why))


class CaffeLayerError(TorchValueError):
    """A layer of a Caffe net that loadcaffe cannot turn into nn modules (its type, or one of its
    settings); ``layer`` is its name, ``type`` its Caffe type."""

    def __init__(self, layer, type, why):
        self.layer, self.type = layer, type
        super().__init__("loadcaffe: layer '%s' (type %s): %s" % (layer, type, why))
