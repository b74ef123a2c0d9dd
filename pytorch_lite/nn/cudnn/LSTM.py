"""cudnn.LSTM(inputSize, hiddenSize, numLayers, batchFirst=False, dropout=0, rememberStates=False):
cudnn.RNN with mode CUDNN_LSTM."""
from .RNN import RNN


class LSTM(RNN):
    typename = "cudnn.LSTM"

    def __init__(self, inputSize, hiddenSize, numLayers, batchFirst=False, dropout=0, rememberStates=False):
        self.mode = "CUDNN_LSTM"
        super().__init__(inputSize, hiddenSize, numLayers, batchFirst, dropout, rememberStates)
