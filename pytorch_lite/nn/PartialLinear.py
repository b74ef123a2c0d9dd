"""nn.PartialLinear(inputsize, outputsize, bias=True): a Linear layer restricted to a chosen set of
output columns (setPartition(indices), 0-based; resetPartition() gives all of them back).  As in
Torch7 it is the small network {input, partition} -> ParallelTable(Identity, LookupTable) -> MM
(the LookupTable's rows are the weight rows), plus a 1 x outputsize bias.  `partition` and
`allcolumns` hold 0-based columns (1-based in a t7 file)."""
import numpy as np

from ..cuda.device import to_host
from ..tensor import Tensor
from .Module import Module
from . import utils


class PartialLinear(Module):
    t7_index_fields = ("partition", "allcolumns")   # shared when they are one tensor (see hooks)

    def __init__(self, inputsize, outputsize, bias=True):
        super().__init__()
        from . import ParallelTable, Identity, LookupTable, MM, Sequential
        pt = ParallelTable()
        pt.add(Identity()).add(LookupTable(outputsize, inputsize))
        self.network = Sequential().add(pt).add(MM(False, True))
        if bias is None or bias:
            self.bias = Tensor(1, outputsize).zero()
            self.gradBias = Tensor(1, outputsize).zero()
        self.inputsize = inputsize
        self.outputsize = outputsize
        self.allcolumns = Tensor(np.arange(outputsize, dtype=np.float64))
        self.resetPartition()

    def _lookup(self):
        return self.network.get(0).get(1)

    def setPartition(self, indices):
        self.partition = indices.type(self.allcolumns.type())
        return self

    def resetPartition(self):
        self.partition = self.allcolumns
        return self

    def parameters(self):
        lt = self._lookup()
        if self.__dict__.get("bias") is None:
            return [lt.weight], [lt.gradWeight]
        return [lt.weight, self.bias], [lt.gradWeight, self.gradBias]

    def _cols(self):
        return to_host(self.partition._a).astype(np.int64).reshape(-1)   # host indices (:cuda() moves partition)

    def updateOutput(self, input):
        if not isinstance(input, Tensor) or input.dim() != 2 or input._size[1] != self.inputsize:
            utils.bad_input(self, "a batch matrix (n x %d)" % self.inputsize, input)
        self.output = self.network.forward([input, self.partition])
        if self.__dict__.get("bias") is not None:
            self.output._a[...] += self.bias._a[:, self._cols()]
        return self.output

    def updateGradInput(self, input, gradOutput):
        if self.gradInput is not None:
            self.network.updateGradInput([input, self.partition], gradOutput)
            self.gradInput = self.network.gradInput[0]
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        self.network.accGradParameters([input, self.partition], gradOutput, scale)
        if self.__dict__.get("bias") is not None:
            np.add.at(self.gradBias._a, (0, self._cols()), scale * gradOutput._a.sum(axis=0))

    def accUpdateGradParameters(self, input, gradOutput, lr):
        lt = self._lookup()
        gw, gb = lt.gradWeight, self.__dict__.get("gradBias")
        lt.gradWeight, self.__dict__["gradBias"] = lt.weight, self.__dict__.get("bias")
        try:
            self.accGradParameters(input, gradOutput, -lr)
        finally:
            lt.gradWeight, self.__dict__["gradBias"] = gw, gb

    sharedAccUpdateGradParameters = accUpdateGradParameters

    def zeroGradParameters(self):
        self.network.zeroGradParameters()
        if self.__dict__.get("gradBias") is not None:
            self.gradBias.zero()

    def updateParameters(self, learningRate):
        self.network.updateParameters(learningRate)
        if self.__dict__.get("bias") is not None:
            self.bias._a[...] -= learningRate * self.gradBias._a

    @classmethod
    def _t7_fields_in(cls, fields):
        same = fields.get("partition") is fields.get("allcolumns")
        fields = super()._t7_fields_in(fields)
        if same:
            fields["partition"] = fields["allcolumns"]
        return fields

    def _t7_fields_out(self, fields):
        same = fields.get("partition") is fields.get("allcolumns")
        fields = super()._t7_fields_out(fields)
        if same:
            fields["partition"] = fields["allcolumns"]
        return fields

    def __tostring__(self):
        return "%s(%d -> %d)%s" % (self.typename, self.inputsize, self.outputsize,
                                   "" if self.__dict__.get("bias") is not None else " without bias")
