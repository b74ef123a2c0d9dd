"""nn.Maxout(inputSize, outputSize, maxoutNumber, preprocess=None): a Sequential of
Linear(inputSize, outputSize*maxoutNumber), View(maxoutNumber, outputSize), an optional
preprocess module, and Max over the maxoutNumber pieces (Goodfellow et al. 2013)."""
from .Sequential import Sequential
from .Linear import Linear
from .View import View
from .Max import Max


class Maxout(Sequential):
    def __init__(self, inputSize, outputSize, maxoutNumber, preprocess=None):
        super().__init__()
        self.add(Linear(inputSize, outputSize * maxoutNumber))
        self.add(View(maxoutNumber, outputSize).setNumInputDims(1))
        if preprocess is not None:
            self.add(preprocess)
        self.add(Max(0, 2))
