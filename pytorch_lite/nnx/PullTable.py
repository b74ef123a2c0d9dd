"""nn.PullTable(push, index): made by push:pull(index); inserts the entry its nn.PushTable took
out at position `index` (0-based here, 1-based in Lua) of its input table (a tensor input counts
as a table of one), and sends that entry's gradient back to the push."""
from ..errors import TorchValueError
from ..nn.Module import Module


class PullTable(Module):
    typename = "nn.PullTable"
    t7_index_fields = ("_index",)

    def __init__(self, push, index):
        super().__init__()
        self._push = push
        self._index = int(index)
        self.output = []
        self.gradInput = []

    def _updateOutput(self, output):
        self._output = output

    def updateOutput(self, inputTable):
        rest = list(inputTable) if isinstance(inputTable, (list, tuple)) else [inputTable]
        if not 0 <= self._index <= len(rest):
            raise TorchValueError("nn.PullTable: table index out of range")
        rest.insert(self._index, self._output)
        self.output = rest
        return self.output

    def updateGradInput(self, inputTable, gradOutputTable):
        self._push._updateGradInput(gradOutputTable[self._index])
        rest = [g for i, g in enumerate(gradOutputTable) if i != self._index]
        if isinstance(inputTable, (list, tuple)):
            if len(rest) != len(inputTable):
                raise TorchValueError("nn.PullTable: tables size mismatch")
            self.gradInput = rest
        else:
            self.gradInput = rest[0]
        return self.gradInput

    def type(self, typename=None, tensorCache=None):
        push = self._push
        self._push = None
        try:
            return super().type(typename, tensorCache)
        finally:
            self._push = push
