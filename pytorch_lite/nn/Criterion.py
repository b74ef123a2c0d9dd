"""nn.Criterion: the abstract base of every loss (nn doc/criterion.md).

``forward(input, target)`` returns a number (``output``); ``backward(input, target)`` returns
``gradInput``.  Class labels in targets are 0-based in Python."""
from ..errors import TorchValueError
from ..tensor import Tensor, TENSOR_TYPES
from . import utils


class Criterion:
    typename = "nn.Criterion"

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        if "typename" not in cls.__dict__:
            cls.typename = "nn." + cls.__name__

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
        if isinstance(typename, type):
            typename = typename.typename
        if typename not in TENSOR_TYPES:
            raise TorchValueError("%s:type(): unknown tensor type %r" % (self.typename, typename))
        cache = {} if tensorCache is None else tensorCache
        d = self.__dict__
        for k in list(d):
            d[k] = utils.recursive_type(d[k], typename, cache)
        return self

    def float(self, *args):
        return self.type("torch.FloatTensor", *args)

    def double(self, *args):
        return self.type("torch.DoubleTensor", *args)

    def cuda(self, *args):
        return self.type("torch.CudaTensor", *args)

    def __call__(self, input, target=None):
        self.output = self.forward(input, target)
        self.gradInput = self.backward(input, target)
        return self.output, self.gradInput

    def clearState(self):
        return utils.clear(self, "gradInput")

    # -- Lua field semantics and the t7 registry hooks ----------------------------------------------
    def __t7_read__(self, fields, version):
        self.__dict__.update(type(self)._t7_fields_in(dict(fields)))

    def __t7_write__(self):
        return self._t7_fields_out(dict(self.__dict__))

    @classmethod
    def _t7_fields_in(cls, fields):
        return fields

    def _t7_fields_out(self, fields):
        return fields

    def __tostring__(self):
        return self.typename

    def __str__(self):
        return self.__tostring__()

    __repr__ = __str__
