"""nn.Profile(module, print_interval=100, name=torch.type(module)): a Decorator timing its
module: every print_interval forward (backward) passes it prints the time they took in total,
as '<name> took 0.012 seconds for 100 forward passes', and starts counting again.

Torch7 keeps a torch.Timer in ``timer`` (written as an empty object); the clock here is Python's,
so the field is left out."""
import time

from .Decorator import Decorator


class Profile(Decorator):
    def __init__(self, module, print_interval=None, name=None):
        super().__init__(module)
        self.print_interval = print_interval or 100
        self.name = name or module.typename
        self.module = module
        self.numFwds = self.numBwds = 0
        self.summedFwdTime = self.summedBwdTime = 0

    def _timed(self, which, fn, *args):
        start = time.perf_counter()
        out = fn(*args)
        total = getattr(self, "summed%sTime" % which) + time.perf_counter() - start
        count = getattr(self, "num%ss" % which) + 1
        if count % self.print_interval == 0:
            print("%s took %.3f seconds for %d %s passes" % (self.name, total, self.print_interval,
                                                             "forward" if which == "Fwd" else "backward"))
            total, count = 0, 0
        setattr(self, "summed%sTime" % which, total)
        setattr(self, "num%ss" % which, count)
        return out

    def updateOutput(self, input):
        self.output = self._timed("Fwd", self.module.updateOutput, input)
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput = self._timed("Bwd", self.module.updateGradInput, input, gradOutput)
        return self.gradInput
