"""cudnn.GRU(inputSize, hiddenSize, numLayers, batchFirst=False, dropout=0, rememberStates=False):
cudnn.RNN with mode CUDNN_GRU."""
from .RNN import RNN


class GRU(RNN):
    typename = "cudnn.GRU"

    def __init__(self, inputSize, hiddenSize, numLayers, batchFirst=False, dropout=0, rememberStates=False):
        self.mode = "CUDNN_GRU"
        super().__init__(inputSize, hiddenSize, numLayers, batchFirst, dropout, rememberStates)
