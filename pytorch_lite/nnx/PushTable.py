"""nn.PushTable(index): takes entry `index` (0-based here, 1-based in Lua) out of its input table
and hands it, past the modules in between, to the nn.PullTable modules made by push:pull(i),
which put it back into their own input table at position i.  Gradients come back the same way:
the pulls' gradients for the entry are summed into the push's gradInput[index] (the first
gradient after a forward replaces the sum)."""
from ..errors import TorchValueError
from ..nn.Module import Module
from ..nn import utils
from ..tensor import Tensor


class PushTable(Module):
    typename = "nn.PushTable"
    t7_index_fields = ("_index",)

    def __init__(self, index):
        super().__init__()
        self._index = int(index)
        self._pulls = []
        self.output = []
        self._gradInput = Tensor()
        self.gradInput = []
        self._forward = False

    def pull(self, index):
        from .PullTable import PullTable
        p = PullTable(self, index)
        self._pulls.append(p)
        return p

    def updateOutput(self, inputTable):
        if not isinstance(inputTable, (list, tuple)) or not 0 <= self._index < len(inputTable):
            utils.bad_input(self, "a table with an entry %d" % (self._index + 1), inputTable)
        self.output = [x for i, x in enumerate(inputTable) if i != self._index]
        for p in self._pulls:
            p._updateOutput(inputTable[self._index])
        self._forward = True
        return self.output

    def _updateGradInput(self, gradOutput):
        if self._forward:
            if type(self._gradInput) is not type(gradOutput):
                self._gradInput = gradOutput.new()
            self._gradInput.resizeAs(gradOutput).copy(gradOutput)
        else:
            self._gradInput.add(gradOutput)
        self._forward = False

    def updateGradInput(self, inputTable, gradOutputTable):
        g = list(gradOutputTable)
        g.insert(self._index, self._gradInput)
        if len(g) != len(inputTable):
            raise TorchValueError("nn.PushTable: tables size mismatch")
        self.gradInput = g
        return self.gradInput

    def type(self, typename=None, tensorCache=None):
        pulls = self._pulls   # the pulls convert themselves where they sit
        self._pulls = []
        try:
            return super().type(typename, tensorCache)
        finally:
            self._pulls = pulls
