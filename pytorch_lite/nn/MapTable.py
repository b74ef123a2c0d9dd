"""nn.MapTable(module, shared=True): applies clones of one module to every entry of a table;
the clones share weight, bias and their gradients."""
from .Container import Container


class MapTable(Container):
    # Torch7 fields that may be nil (absent from a t7 file): their defaults
    module = None
    shared = True
    sharedparams = ("weight", "bias", "gradWeight", "gradBias")

    def __init__(self, module=None, shared=True):
        super().__init__()
        self.shared = True if shared is None else shared
        self.sharedparams = ["weight", "bias", "gradWeight", "gradBias"]
        self.output = []
        self.gradInput = []
        self.module = None
        if module is not None:
            self.add(module)

    def _extend(self, n):
        self.modules[0:1] = [self.module]
        for i in range(len(self.modules), n):
            self.modules.append(self.module.clone(*self.sharedparams) if self.shared else self.module.clone())

    def resize(self, n):
        self._extend(n)
        del self.modules[n:]
        return self

    def add(self, module):
        if self.module is not None:
            raise ValueError("nn.MapTable: a single module is required")
        self.module = module
        self.modules[0:1] = [module]
        return self

    def updateOutput(self, input):
        self._extend(len(input))
        self.output = [self.rethrowErrors(self.modules[i], i, "updateOutput", x) for i, x in enumerate(input)]
        return self.output

    def updateGradInput(self, input, gradOutput):
        self._extend(len(input))
        self.gradInput = [self.rethrowErrors(self.modules[i], i, "updateGradInput", x, gradOutput[i])
                          for i, x in enumerate(input)]
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        self._extend(len(input))
        for i, x in enumerate(input):
            self.rethrowErrors(self.modules[i], i, "accGradParameters", x, gradOutput[i], scale)

    def accUpdateGradParameters(self, input, gradOutput, lr=1):
        self._extend(len(input))
        for i, x in enumerate(input):
            self.rethrowErrors(self.modules[i], i, "accUpdateGradParameters", x, gradOutput[i], lr)

    def zeroGradParameters(self):
        if self.module is not None:
            if self.shared:
                self.module.zeroGradParameters()
            else:
                super().zeroGradParameters()

    def updateParameters(self, learningRate):
        if self.module is not None:
            if self.shared:
                self.module.updateParameters(learningRate)
            else:
                super().updateParameters(learningRate)

    def clearState(self):
        del self.modules[1:]
        return super().clearState()

    def __tostring__(self):
        tab, line, extlast = "  ", "\n", "      "
        if self.module is None:
            return self.typename + " { }"
        return self.typename + " {" + line + tab + str(self.module).replace(line, line + tab + extlast) + line + "}"
