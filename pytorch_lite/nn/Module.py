"""nn.Module: the abstract base of every layer (nn doc/module.md).

A module's state is its plain attributes (``output``, ``gradInput``, ``weight``, ``train``,
...), exactly the fields Torch7 keeps in the module's table, so a t7 file maps onto
``__dict__`` one to one.  Python indices are 0-based; classes that store index-like fields
convert them in ``_t7_fields_in`` / ``_t7_fields_out`` (the t7 registry calls these).
"""
import numpy as np

from ..errors import TorchValueError
from ..tensor import Tensor
from . import utils
from ._base import TorchNNObject
from ..cuda.device import array_module as _xp


class Module(TorchNNObject):
    typename = "nn.Module"
    train = None  # nil until training()/evaluate() (or the module's __init__) sets it
    # nil when a script dropped it (fb.resnet's first layer: gradInput = nil), so a t7 file has no
    # such field: the module then computes no gradInput, as Torch7's `if self.gradInput then`
    gradInput = None

    def __init__(self):
        self.gradInput = Tensor()
        self.output = Tensor()
        self._type = self.output.type()

    # -- the forward / backward protocol ------------------------------------------------------
    def parameters(self):
        """(params, gradParams): lists of the learnable tensors and their gradients."""
        w = self.__dict__.get("weight")
        b = self.__dict__.get("bias")
        if w is not None and b is not None:
            return [w, b], [self.__dict__.get("gradWeight"), self.__dict__.get("gradBias")]
        if w is not None:
            return [w], [self.__dict__.get("gradWeight")]
        if b is not None:
            return [b], [self.__dict__.get("gradBias")]
        return [], []

    def updateOutput(self, input):
        return self.output

    def forward(self, input):
        return self.updateOutput(input)

    def backward(self, input, gradOutput, scale=1):
        self.updateGradInput(input, gradOutput)
        self.accGradParameters(input, gradOutput, scale)
        return self.gradInput

    def backwardUpdate(self, input, gradOutput, lr):
        self.updateGradInput(input, gradOutput)
        self.accUpdateGradParameters(input, gradOutput, lr)
        return self.gradInput

    def updateGradInput(self, input, gradOutput):
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        pass

    def accUpdateGradParameters(self, input, gradOutput, lr):
        if self.__dict__.get("_sharedAccUpdate"):
            return self.sharedAccUpdateGradParameters(input, gradOutput, lr)
        d = self.__dict__
        gw, gb = d.get("gradWeight"), d.get("gradBias")
        d["gradWeight"], d["gradBias"] = d.get("weight"), d.get("bias")
        try:
            self.accGradParameters(input, gradOutput, -lr)
        finally:
            d["gradWeight"], d["gradBias"] = gw, gb

    def sharedAccUpdateGradParameters(self, input, gradOutput, lr):
        if self.parameters()[0]:
            self.zeroGradParameters()
            self.accGradParameters(input, gradOutput, 1)
            self.updateParameters(lr)

    def zeroGradParameters(self):
        for g in self.parameters()[1]:
            if g is not None:
                g.zero()

    def updateParameters(self, learningRate):
        params, grads = self.parameters()
        for p, g in zip(params, grads):
            a = p._a
            a -= learningRate * g._a.reshape(a.shape)

    def training(self):
        self.train = True
        return self

    def evaluate(self):
        self.train = False
        return self

    def __call__(self, *args, gradOutput=None):
        from .. import nngraph  # nngraph: module(), module(node), module([nodes]) build graph nodes
        if nngraph.is_node_call(args):
            return nngraph.module_call(self, args)
        input = args[0]
        gradOutput = args[1] if len(args) > 1 else gradOutput
        self.forward(input)
        if gradOutput is not None:
            self.backward(input, gradOutput)
            return self.output, self.gradInput
        return self.output

    # -- sharing, copying, types ----------------------------------------------------------------
    def share(self, mlp, *names):
        for name in names:
            mine = self.__dict__.get(name)
            if mine is not None:
                mine.set(mlp.__dict__[name])
                self._sharedAccUpdate = True
                mlp._sharedAccUpdate = True
        return self

    def clone(self, *shared):
        c = utils.deep_clone(self)
        if shared:
            c.share(self, *shared)
        return c

    def type(self, typename=None, tensorCache=None):
        if typename is None:
            return getattr(self, "_type", None)
        self._type = self._convert_fields(typename, tensorCache)
        return self

    def reset(self, stdv=None):
        return self

    def clearState(self):
        return utils.clear(self, "output", "gradInput")

    # -- flattening -------------------------------------------------------------------------------
    @staticmethod
    def flatten(parameters):
        """One tensor over a new storage holding every parameter; each tensor becomes a view of it.

        Tensors sharing a storage keep sharing (their storage is copied once); storage elements no
        tensor uses are squeezed out, as Torch7's Module.flatten does."""
        parameters = [p for p in parameters if p is not None]
        if not parameters:
            return Tensor()
        cls = type(parameters[0])
        storages = {}   # id(storage) -> (storage, offset in the flat buffer)
        meta = []
        total = 0
        for p in parameters:
            st = p._storage
            if st is None:
                meta.append(None)
                continue
            if id(st) not in storages:
                storages[id(st)] = (st, total)
                total += st.size()
            meta.append((p._offset + storages[id(st)][1], p._size, p._stride))
        used = np.zeros(total, bool)
        compact_ok = True
        for m in meta:
            if m is None or not m[1]:
                continue
            off, size, stride = m
            idx = np.full((), off, np.int64)
            for n, s in zip(size, stride):
                idx = np.add.outer(idx, np.arange(n) * s)
            used[idx.reshape(-1)] = True
            compact_ok = compact_ok and _compact(size, stride)
        xp = _xp(next(iter(storages.values()))[0]._data) if storages else np   # where they live
        flat = xp.zeros(total, cls.dtype)
        for st, off in storages.values():
            flat[off:off + st.size()] = st._data
        if not used.all():
            if not compact_ok:
                raise TorchValueError("Module.flatten: cannot gather tensors that are not compact")
            new_off = np.cumsum(used) - 1
            flat = flat[used]
            meta = [None if m is None else (int(new_off[m[0]]) if m[1] else 0, m[1], m[2]) for m in meta]
        flat_t = cls._from_array(flat) if flat.size else cls()
        storage = flat_t._storage
        it = iter(meta)
        for p in parameters:
            m = next(it)
            if m is None or storage is None:
                p.set()
            else:
                p.set(storage, m[0], m[1], m[2])
        return flat_t

    def getParameters(self):
        params, grads = self.parameters()
        p, g = Module.flatten(params), Module.flatten(grads)
        if p.nElement() != g.nElement():
            raise TorchValueError("getParameters: check that you are sharing parameters and gradParameters "
                                  "(%d parameters, %d gradients)" % (p.nElement(), g.nElement()))
        for i, (a, b) in enumerate(zip(params, grads)):
            if a.storageOffset() != b.storageOffset():
                raise TorchValueError("getParameters: misaligned parameter at %d" % i)
        return p, g

    # -- walking the tree --------------------------------------------------------------------------
    def apply(self, callback):
        callback(self)
        for m in self.__dict__.get("modules") or ():
            m.apply(callback)
        return self

    def findModules(self, typename, container=None):
        container = self if container is None else container
        if isinstance(typename, type):
            typename = typename.typename
        nodes, containers = [], []
        if self.typename == typename:
            nodes.append(self)
            containers.append(container)
        mods = self.__dict__.get("modules")
        if isinstance(mods, list):
            for child in mods:
                n, c = child.findModules(typename, self)
                nodes += n
                containers += c
        return nodes, containers

    def listModules(self):
        out = [self]
        for m in self.__dict__.get("modules") or ():
            out += m.listModules()
        return out

    def replace(self, callback):
        out = callback(self)
        mods = self.__dict__.get("modules")
        if mods:
            for i, m in enumerate(mods):
                mods[i] = m.replace(callback)
        return out


def _compact(size, stride):
    """Does a view cover one contiguous block (no holes), in some order of its dims?"""
    dims = sorted((s, n) for n, s in zip(size, stride) if s != 0 and n != 1)
    acc = 1
    for s, n in dims:
        if s != acc:
            return False
        acc *= n
    return True
