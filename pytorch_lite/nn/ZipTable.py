"""nn.ZipTable(): zips a table of tables, {{a, b}, {c, d}} -> {{a, c}, {b, d}}."""
from .Module import Module
from . import utils


class ZipTable(Module):
    def __init__(self):
        super().__init__()
        self.output = []
        self.gradInput = []

    @staticmethod
    def _zip(tables):
        n = len(tables[0]) if tables else 0
        return [[t[i] for t in tables] for i in range(n)]

    def updateOutput(self, inputTable):
        if not utils.is_table(inputTable) or not all(utils.is_table(t) for t in inputTable):
            utils.bad_input(self, "a table of tables", inputTable)
        self.output = self._zip(inputTable)
        return self.output

    def updateGradInput(self, inputTable, gradOutputTable):
        self.gradInput = self._zip(gradOutputTable)
        return self.gradInput

    def clearState(self):
        self.output, self.gradInput = [], []
        return self
