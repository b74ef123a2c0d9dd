"""Reading Caffe's two files into NetParameter messages (schema.py), and the layers of either
layout (V1 ``layers``, current ``layer``) as one kind of object."""
import os

import numpy as np
from google.protobuf import message as _message
from google.protobuf import text_format

from ..errors import CaffeFormatError
from . import schema

# V1's enum names of the types a loader treats, as the current layout spells them
V1_TYPES = {"CONVOLUTION": "Convolution", "POOLING": "Pooling", "RELU": "ReLU", "TANH": "TanH",
            "SIGMOID": "Sigmoid", "LRN": "LRN", "INNER_PRODUCT": "InnerProduct", "DROPOUT": "Dropout",
            "SOFTMAX": "Softmax", "SOFTMAX_LOSS": "SoftmaxWithLoss", "DATA": "Data", "IMAGE_DATA": "ImageData",
            "HDF5_DATA": "HDF5Data", "MEMORY_DATA": "MemoryData", "DUMMY_DATA": "DummyData",
            "WINDOW_DATA": "WindowData", "ACCURACY": "Accuracy", "SPLIT": "Split", "SILENCE": "Silence",
            "FLATTEN": "Flatten", "EUCLIDEAN_LOSS": "EuclideanLoss", "HINGE_LOSS": "HingeLoss",
            "INFOGAIN_LOSS": "InfogainLoss", "MULTINOMIAL_LOGISTIC_LOSS": "MultinomialLogisticLoss",
            "SIGMOID_CROSS_ENTROPY_LOSS": "SigmoidCrossEntropyLoss", "CONTRASTIVE_LOSS": "ContrastiveLoss",
            "HDF5_OUTPUT": "HDF5Output", "CONCAT": "Concat", "ELTWISE": "Eltwise", "DECONVOLUTION": "Deconvolution"}


def _bytes(path):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as e:
        raise CaffeFormatError(path, "cannot read the file (%s)" % (e.strerror or e)) from None


def read_caffemodel(path):
    """The NetParameter of a binary .caffemodel."""
    data = _bytes(path)
    net = schema.NetParameter()
    try:
        net.ParseFromString(data)
    except (_message.DecodeError, ValueError, RuntimeError) as e:
        raise CaffeFormatError(path, "not a binary caffemodel, or a truncated one (protobuf: %s)" % e) from None
    if not len(net.layer) and not len(net.layers):
        raise CaffeFormatError(path, "holds no layers (%d bytes): not a caffemodel" % len(data))
    return net


def read_prototxt(path):
    """The NetParameter of a .prototxt (protobuf text); fields this loader does not read are skipped."""
    data = _bytes(path)
    net = schema.NetParameter()
    try:
        text_format.Parse(data.decode("utf-8"), net, allow_unknown_field=True)
    except (text_format.ParseError, UnicodeDecodeError) as e:
        raise CaffeFormatError(path, "not a prototxt (protobuf text of a NetParameter): %s" % e) from None
    return net


def blob_array(blob, path, layer, i):
    """The values of one blob as a float32/float64 array of its shape (``shape``, or the legacy
    num x channels x height x width)."""
    # (each read of a bytes field copies it: read the one holding the values once)
    if blob.HasField("double_data") and not blob.HasField("data"):
        raw, dtype = blob.double_data, np.dtype("<f8")
    else:
        raw, dtype = blob.data, np.dtype("<f4")
    shape = tuple(blob.shape.dim) if blob.HasField("shape") else (blob.num, blob.channels, blob.height, blob.width)
    count = int(np.prod(shape, dtype=np.int64))
    if len(raw) % dtype.itemsize or len(raw) // dtype.itemsize != count:
        raise CaffeFormatError(path, "blob %d of layer '%s' holds %g values for its shape %s (%d): a truncated or "
                               "corrupt caffemodel" % (i + 1, layer, len(raw) / dtype.itemsize,
                                                       "x".join(map(str, shape)), count))
    return np.frombuffer(raw, dtype=dtype).reshape(shape)


class Layer:
    """One layer of either layout: ``name``, ``type`` (the current layout's type name), ``shown``
    (the type as loadcaffe prints it: V1's enum number, else the string), its parameter messages
    as attributes (``layer.convolution_param``) and ``blobs()``, the arrays of its weights."""

    def __init__(self, msg, v1, path):
        self._msg, self._path = msg, path
        self.name, self.v1 = msg.name, v1
        if v1:
            enum = schema.V1_TYPE_NAMES.get(msg.type, str(msg.type))
            self.type, self.shown = V1_TYPES.get(enum, enum), msg.type
        else:
            self.type = self.shown = msg.type

    def __getattr__(self, name):   # the parameter messages
        return getattr(self._msg, name)

    @property
    def nblobs(self):
        return len(self._msg.blobs)

    def blobs(self):
        return [blob_array(b, self._path, self.name, i) for i, b in enumerate(self._msg.blobs)]


def layers(net, path):
    """The layers of ``net`` in order, and whether it is in the V1 layout (``layers``), which
    wins when a file has both, as in loadcaffe."""
    if len(net.layers):
        for m in net.layers:
            if m.HasField("layer"):
                raise CaffeFormatError(path, "layer '%s' is in Caffe's V0 layout; upgrade the file with Caffe's "
                                       "upgrade_net_proto_binary (or _text) first" % (m.layer.name or m.name))
        return [Layer(m, True, path) for m in net.layers], True
    return [Layer(m, False, path) for m in net.layer], False


def check_exists(path):
    if not os.path.isfile(path):
        raise CaffeFormatError(path, "no such file")
