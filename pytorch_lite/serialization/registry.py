"""Torch class name <-> Python class.

``register_class('nn.Linear', Linear)`` makes the reader build a ``Linear`` for every
'nn.Linear' object of a file, and the writer store ``Linear`` instances under that name.  The
class decides how its fields map to Python (see the package docstring for the hooks).  A name
nobody registered loads as a ``TorchObject``.
"""
from ..errors import TorchTypeError

_BY_NAME = {}   # 'nn.Linear' -> class
_BY_CLASS = {}  # class -> the name it is written under (the first it was registered with)


def register_class(name, cls, write_name=None):
    """Read Torch objects of class ``name`` as ``cls`` (and write ``cls`` instances as
    ``write_name`` or, by default, the first name the class was registered under).

    Several names may map to one class (e.g. 'cudnn.SpatialConvolution' and
    'nn.SpatialConvolution').  ``cls`` must provide ``__t7_read__``/``__t7_write__`` or
    ``from_t7``/``to_t7`` (see the package docstring).
    """
    if not isinstance(name, str) or not name:
        raise TorchTypeError("register_class: the Torch class name must be a non-empty string")
    if not isinstance(cls, type):
        raise TorchTypeError("register_class: expected a class, got %r" % (cls,))
    if not ((hasattr(cls, "__t7_read__") or hasattr(cls, "from_t7"))
            and (hasattr(cls, "__t7_write__") or hasattr(cls, "to_t7"))):
        raise TorchTypeError("register_class(%r): %s needs __t7_read__/__t7_write__ or from_t7/to_t7"
                             % (name, cls.__name__))
    _BY_NAME[name] = cls
    if write_name is not None:
        _BY_CLASS[cls] = write_name
    else:
        _BY_CLASS.setdefault(cls, name)
    return cls


def unregister_class(name):
    cls = _BY_NAME.pop(name, None)
    if cls is not None and _BY_CLASS.get(cls) == name:
        del _BY_CLASS[cls]
        for other, c in _BY_NAME.items():
            if c is cls:
                _BY_CLASS[cls] = other
                break


# The package defining the classes of a Torch namespace: imported when a file first needs one of
# its classes, so ``pytorch_lite.load`` of a model gives live modules without ``import
# pytorch_lite.nn`` first (importing the package registers its classes).
_PACKAGES = {"nn": "pytorch_lite.nn", "cudnn": "pytorch_lite.nn", "cunn": "pytorch_lite.nn",
             "nngraph": "pytorch_lite.nngraph", "graph": "pytorch_lite.nngraph",
             "optim": "pytorch_lite.optim", "unsup": "pytorch_lite.unsup"}
_imported = set()


def lookup(name):
    """The Python class registered for a Torch class name, or None."""
    cls = _BY_NAME.get(name)
    if cls is None and isinstance(name, str):
        pkg = _PACKAGES.get(name.split(".", 1)[0])
        if pkg is not None and pkg not in _imported:
            _imported.add(pkg)
            import importlib
            importlib.import_module(pkg)
            cls = _BY_NAME.get(name)
    return cls


def write_name(obj):
    """The Torch class name a registered object is written under, or None if it is not one."""
    cls = type(obj)
    name = getattr(obj, "__t7_typename__", None)
    if isinstance(name, str):
        return name
    name = _BY_CLASS.get(cls)
    if name is not None:
        return name
    # a subclass of a registered class writes under its own Torch name, never its parent's
    if hasattr(cls, "__t7_write__") or hasattr(cls, "to_t7"):
        name = getattr(cls, "typename", None)
        if isinstance(name, str):
            return name
    return None


def registered_names():
    return dict(_BY_NAME)
