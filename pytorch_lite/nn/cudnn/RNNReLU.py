"""cudnn.RNNReLU(inputSize, hiddenSize, numLayers, batchFirst=False, dropout=0, rememberStates=False):
cudnn.RNN with mode CUDNN_RNN_RELU."""
from .RNN import RNN


class RNNReLU(RNN):
    typename = "cudnn.RNNReLU"

    def __init__(self, inputSize, hiddenSize, numLayers, batchFirst=False, dropout=0, rememberStates=False):
        self.mode = "CUDNN_RNN_RELU"
        super().__init__(inputSize, hiddenSize, numLayers, batchFirst, dropout, rememberStates)
