"""nn.Sequential: feeds each module's output to the next one."""
from ..errors import TorchIndexError
from .Container import Container, child_error


class Sequential(Container):
    def __len__(self):
        return len(self.modules)

    def add(self, module):
        if not self.modules:
            self.gradInput = module.gradInput
        self.modules.append(module)
        self.output = module.output
        return self

    def insert(self, module, index=None):
        n = len(self.modules)
        index = n if index is None else index
        if index < 0 or index > n:
            raise TorchIndexError("nn.Sequential:insert(): index %d should be contiguous to the %d existing modules"
                                  % (index, n))
        self.modules.insert(index, module)
        self.output = self.modules[-1].output
        self.gradInput = self.modules[0].gradInput
        return self

    def remove(self, index=None):
        n = len(self.modules)
        index = n - 1 if index is None else index
        if index < 0 or index >= n:
            raise TorchIndexError("nn.Sequential:remove(): index %d out of range for %d modules" % (index, n))
        m = self.modules.pop(index)
        if self.modules:
            self.output = self.modules[-1].output
            self.gradInput = self.modules[0].gradInput
        return m

    def updateOutput(self, input):
        current = input
        i = 0
        try:
            for i, m in enumerate(self.modules):
                current = m.updateOutput(current)
        except Exception as e:
            child_error(self, e, i)
            raise
        self.output = current
        return current

    def updateGradInput(self, input, gradOutput):
        mods = self.modules
        current = gradOutput
        i = len(mods) - 1
        try:
            for i in range(len(mods) - 1, 0, -1):
                current = mods[i].updateGradInput(mods[i - 1].output, current)
            i = 0
            current = mods[0].updateGradInput(input, current)
        except Exception as e:
            child_error(self, e, i)
            raise
        self.gradInput = current
        return current

    def accGradParameters(self, input, gradOutput, scale=1):
        mods = self.modules
        current = gradOutput
        i = len(mods) - 1
        try:
            for i in range(len(mods) - 1, 0, -1):
                mods[i].accGradParameters(mods[i - 1].output, current, scale)
                current = mods[i].gradInput
            i = 0
            mods[0].accGradParameters(input, current, scale)
        except Exception as e:
            child_error(self, e, i)
            raise

    def backward(self, input, gradOutput, scale=1):
        mods = self.modules
        current = gradOutput
        i = len(mods) - 1
        try:
            for i in range(len(mods) - 1, 0, -1):
                current = mods[i].backward(mods[i - 1].output, current, scale)
                mods[i].gradInput = current
            i = 0
            current = mods[0].backward(input, current, scale)
        except Exception as e:
            child_error(self, e, i)
            raise
        self.gradInput = current
        return current

    def accUpdateGradParameters(self, input, gradOutput, lr):
        mods = self.modules
        current = gradOutput
        i = len(mods) - 1
        try:
            for i in range(len(mods) - 1, 0, -1):
                mods[i].accUpdateGradParameters(mods[i - 1].output, current, lr)
                current = mods[i].gradInput
            i = 0
            mods[0].accUpdateGradParameters(input, current, lr)
        except Exception as e:
            child_error(self, e, i)
            raise

    def __tostring__(self):
        tab, line, nxt = "  ", "\n", " -> "
        s = "nn.Sequential {" + line + tab + "[input"
        for i in range(len(self.modules)):
            s += nxt + "(%d)" % (i + 1)
        s += nxt + "output]"
        for i, m in enumerate(self.modules):
            s += line + tab + "(%d): " % (i + 1) + str(m).replace(line, line + tab)
        return s + line + "}"
