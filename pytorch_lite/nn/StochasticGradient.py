"""nn.StochasticGradient: Torch7's plain SGD trainer (one example at a time, accUpdateGradParameters).

    trainer = nn.StochasticGradient(model, nn.MSECriterion())
    trainer.learningRate = 0.05
    trainer.maxIteration = 5
    trainer.train(dataset)      # dataset.size() (or len) examples; dataset[i] = (input, target), i 0-based

Torch7's loop exactly: a permutation is always drawn with ``randperm`` (so the random stream
advances as in Torch7 even when ``shuffleIndices`` is false), every example runs forward,
``updateGradInput`` and ``accUpdateGradParameters(input, gradOutput, lr)``, and the progress lines
are Torch7's (``# current error = <%.14g>``).  They go through ``self.printer`` (``print`` by
default; the Lua bridge gives it Lua's print).
"""
from ..errors import TorchTypeError


def _lua_str(v):
    """Lua's tostring of a number (%.14g)."""
    v = float(v)
    if v != v:
        return "nan" if str(v)[0] != "-" else "-nan"
    if v in (float("inf"), float("-inf")):
        return "inf" if v > 0 else "-inf"
    return "%.14g" % v


def _size(dataset):
    size = getattr(dataset, "size", None)
    if callable(size):
        return int(size())
    if isinstance(dataset, (list, tuple)):
        return len(dataset)
    raise TorchTypeError("StochasticGradient: the dataset needs a size() method")


class StochasticGradient(object):
    typename = "nn.StochasticGradient"

    def __init__(self, module, criterion):
        self.learningRate = 0.01
        self.learningRateDecay = 0
        self.maxIteration = 25
        self.shuffleIndices = True
        self.module = module
        self.criterion = criterion
        self.verbose = True
        self.hookExample = None
        self.hookIteration = None
        self.printer = None

    def _print(self, s):
        (self.printer or print)(s)

    def train(self, dataset):
        import pytorch_lite as torch
        iteration = 1
        currentLearningRate = self.learningRate
        module, criterion = self.module, self.criterion
        n = _size(dataset)
        shuffled = torch.randperm(n).long()    # drawn always, as Torch7 does (THRandom's stream)
        order = [int(i) for i in shuffled.tolist()] if self.shuffleIndices else list(range(n))
        self._print("# StochasticGradient: training")
        while True:
            currentError = 0
            for t in range(n):
                example = dataset[order[t]]
                input, target = example[0], example[1]
                currentError = currentError + criterion.forward(module.forward(input), target)
                module.updateGradInput(input, criterion.updateGradInput(module.output, target))
                module.accUpdateGradParameters(input, criterion.gradInput, currentLearningRate)
                if self.hookExample:
                    self.hookExample(self, example)
            currentError = currentError / n
            if self.hookIteration:
                self.hookIteration(self, iteration, currentError)
            if self.verbose:
                self._print("# current error = " + _lua_str(currentError))
            iteration += 1
            currentLearningRate = self.learningRate / (1 + iteration * self.learningRateDecay)
            if self.maxIteration > 0 and iteration > self.maxIteration:
                self._print("# StochasticGradient: you have reached the maximum number of iterations")
                self._print("# training error = " + _lua_str(currentError))
                break
        return currentError

    # -- t7 hooks: a trainer saved by Torch7 is its field table (hooks and printer are not data)
    def __t7_read__(self, fields, version):
        self.__init__(None, None)
        self.__dict__.update(dict(fields))

    def __t7_write__(self):
        return {k: v for k, v in self.__dict__.items() if k != "printer" and v is not None}
