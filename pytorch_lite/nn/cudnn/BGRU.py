"""cudnn.BGRU(inputSize, hiddenSize, numLayers, batchFirst=False, dropout=0): the bidirectional
cudnn.RNN with mode CUDNN_GRU (each layer's output joins both directions: hiddenSize*2 features)."""
from .RNN import RNN


class BGRU(RNN):
    typename = "cudnn.BGRU"

    def __init__(self, inputSize, hiddenSize, numLayers, batchFirst=False, dropout=0):
        self.mode = "CUDNN_GRU"
        self.bidirectional = "CUDNN_BIDIRECTIONAL"
        self.numDirections = 2
        super().__init__(inputSize, hiddenSize, numLayers, batchFirst, dropout)
