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

    def _acc_backwards(self, input, gradOutput, name, arg):
        """Call module.<name>(its input, its gradOutput, arg) from the last module to the first,
        each one's gradOutput being the gradInput its successor already holds."""
        mods = self.modules
        current = gradOutput
        i = len(mods) - 1
        try:
            for i in range(len(mods) - 1, 0, -1):
                getattr(mods[i], name)(mods[i - 1].output, current, arg)
                current = mods[i].gradInput
            i = 0
            getattr(mods[0], name)(input, current, arg)
        except Exception as e:
            child_error(self, e, i)
            raise

    def accGradParameters(self, input, gradOutput, scale=1):
        self._acc_backwards(input, gradOutput, "accGradParameters", scale)

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
        self._acc_backwards(input, gradOutput, "accUpdateGradParameters", lr)

    def __tostring__(self):
        tab, line, nxt = "  ", "\n", " -> "
        s = "nn.Sequential {" + line + tab + "[input"
        for i in range(len(self.modules)):
            s += nxt + "(%d)" % (i + 1)
        s += nxt + "output]"
        for i, m in enumerate(self.modules):
            s += line + tab + "(%d): " % (i + 1) + str(m).replace(line, line + tab)
        return s + line + "}"
