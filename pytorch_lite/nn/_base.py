"""What nn.Module and nn.Criterion share (in Torch7 they are separate classes with the same
habits): the Torch class name, tensor-type conversion of every field, the t7 registry hooks and
printing."""
from ..errors import TorchValueError
from ..tensor import TENSOR_TYPES
from . import utils


class TorchNNObject:
    typename = None

    def __init_subclass__(cls, **kw):
        super().__init_subclass__(**kw)
        if "typename" not in cls.__dict__:
            cls.typename = "nn." + cls.__name__

    def _convert_fields(self, typename, tensorCache=None):
        """Every field (recursively) converted to the tensor type `typename`, sharing kept."""
        if isinstance(typename, type):
            typename = typename.typename
        if typename not in TENSOR_TYPES:
            raise TorchValueError("%s:type(): unknown tensor type %r" % (self.typename, typename))
        cache = {} if tensorCache is None else tensorCache
        d = self.__dict__
        for k in list(d):
            d[k] = utils.recursive_type(d[k], typename, cache)
        return typename

    def float(self, *args):
        return self.type("torch.FloatTensor", *args)

    def double(self, *args):
        return self.type("torch.DoubleTensor", *args)

    def cuda(self, *args):
        return self.type("torch.CudaTensor", *args)

    # -- t7 hooks (called by the serialization registry) -----------------------------------------
    def __t7_read__(self, fields, version):
        self.__dict__.update(type(self)._t7_fields_in(dict(fields)))

    def __t7_write__(self):
        return self._t7_fields_out(dict(self.__dict__))

    @classmethod
    def _t7_fields_in(cls, fields):
        """Torch7 field table (1-based indices) -> our attribute dict (0-based); default: as is."""
        return fields

    def _t7_fields_out(self, fields):
        """Our attribute dict -> the Torch7 field table (1-based indices); default: as is."""
        return fields

    # -- printing ----------------------------------------------------------------------------------
    def __tostring__(self):
        return self.typename

    def __str__(self):
        return self.__tostring__()

    __repr__ = __str__
