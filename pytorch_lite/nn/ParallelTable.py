"""nn.ParallelTable(): module i gets input[i]; the output is the table of their outputs."""
from .Container import Container, branch_str


class ParallelTable(Container):
    def __init__(self):
        super().__init__()
        self.output = []
        self.gradInput = []

    def updateOutput(self, input):
        self.output = [self.rethrowErrors(m, i, "updateOutput", input[i]) for i, m in enumerate(self.modules)]
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput = [self.rethrowErrors(m, i, "updateGradInput", input[i], gradOutput[i])
                          for i, m in enumerate(self.modules)]
        return self.gradInput

    def accGradParameters(self, input, gradOutput, scale=1):
        for i, m in enumerate(self.modules):
            self.rethrowErrors(m, i, "accGradParameters", input[i], gradOutput[i], scale)

    def accUpdateGradParameters(self, input, gradOutput, lr=1):
        for i, m in enumerate(self.modules):
            self.rethrowErrors(m, i, "accUpdateGradParameters", input[i], gradOutput[i], lr)

    def __tostring__(self):
        return branch_str(self)
