"""What nn.Module and nn.Criterion share (in Torch7 they are separate classes with the same
habits): the Torch class name, tensor-type conversion of every field, the t7 registry hooks and
printing."""
from ..errors import TorchValueError
from ..storage import STORAGE_TYPES, Storage
from ..tensor import TENSOR_TYPES, Tensor
from . import utils


def shift_indices(v, d):
    """v with its 1-based <-> 0-based dims/indices moved by d (-1 on load, +1 on save): numbers
    (negative ones count from the end in both bases and stay), every element of a tensor (a copy),
    and the entries of lists and dicts."""
    if isinstance(v, Tensor):
        if not v.nElement():
            return v
        v = v.clone()
        v._a[...] += d
        return v
    if isinstance(v, bool) or v is None:
        return v
    if isinstance(v, (int, float)):
        if (d < 0 and v > 0) or (d > 0 and v >= 0):
            return int(v) + d
        return v
    if isinstance(v, list):
        return [shift_indices(e, d) for e in v]
    if isinstance(v, dict):
        return {k: shift_indices(e, d) for k, e in v.items()}
    return v


class TorchNNObject:
    typename = None
    # fields holding dims or indices: 1-based in t7 files (Torch7), 0-based here; the t7 hooks
    # below move them (numbers, index tensors, lists of them)
    t7_index_fields = ()
    # fields Torch7 keeps as a storage (a size as a torch.LongStorage) and we as a Python list:
    # (name, storage type) pairs, converted by the t7 hooks
    t7_storage_fields = ()

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

    def cudaDouble(self, *args):
        return self.type("torch.CudaDoubleTensor", *args)

    def cudaHalf(self, *args):
        return self.type("torch.CudaHalfTensor", *args)

    # -- t7 hooks (called by the serialization registry) -----------------------------------------
    def __t7_read__(self, fields, version):
        self.__dict__.update(type(self)._t7_fields_in(dict(fields)))

    def __t7_write__(self):
        return self._t7_fields_out(dict(self.__dict__))

    @classmethod
    def _t7_fields_in(cls, fields):
        """Torch7 field table (1-based indices) -> our attribute dict (0-based)."""
        for name in cls.t7_index_fields:
            if name in fields:
                fields[name] = shift_indices(fields[name], -1)
        for name, _ in cls.t7_storage_fields:
            if isinstance(fields.get(name), Storage):
                fields[name] = fields[name].tolist()
        return fields

    def _t7_fields_out(self, fields):
        """Our attribute dict -> the Torch7 field table (1-based indices)."""
        for name in self.t7_index_fields:
            if name in fields:
                fields[name] = shift_indices(fields[name], 1)
        for name, typename in self.t7_storage_fields:
            if isinstance(fields.get(name), (list, tuple)):
                fields[name] = STORAGE_TYPES[typename](list(fields[name]))
        return fields

    # -- printing ----------------------------------------------------------------------------------
    def __tostring__(self):
        return self.typename

    def __str__(self):
        return self.__tostring__()

    __repr__ = __str__
