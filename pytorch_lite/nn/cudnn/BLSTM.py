"""cudnn.BLSTM(inputSize, hiddenSize, numLayers, batchFirst=False, dropout=0): the bidirectional
cudnn.RNN with mode CUDNN_LSTM (each layer's output joins both directions: hiddenSize*2 features)."""
from .RNN import RNN


class BLSTM(RNN):
    typename = "cudnn.BLSTM"

    def __init__(self, inputSize, hiddenSize, numLayers, batchFirst=False, dropout=0):
        self.mode = "CUDNN_LSTM"
        self.bidirectional = "CUDNN_BIDIRECTIONAL"
        self.numDirections = 2
        super().__init__(inputSize, hiddenSize, numLayers, batchFirst, dropout)
