"""cudnn.RNNTanh(inputSize, hiddenSize, numLayers, batchFirst=False, dropout=0, rememberStates=False):
cudnn.RNN with mode CUDNN_RNN_TANH."""
from .RNN import RNN


class RNNTanh(RNN):
    typename = "cudnn.RNNTanh"

    def __init__(self, inputSize, hiddenSize, numLayers, batchFirst=False, dropout=0, rememberStates=False):
        self.mode = "CUDNN_RNN_TANH"
        super().__init__(inputSize, hiddenSize, numLayers, batchFirst, dropout, rememberStates)
