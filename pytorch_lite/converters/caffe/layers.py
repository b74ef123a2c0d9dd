"""One builder per Caffe layer type: the (name, nn module) pairs loadcaffe puts in its
nn.Sequential for the layer, with its weights copied in.

loadcaffe's rules kept here (szagoruyko/loadcaffe, loadcaffe.cpp): modules in the order of the
layers; each named by its layer (``module.name``); an ``nn.View(-1):setNumInputDims(3)`` named
``torch_view`` before an InnerProduct whose input size is not the plane count of the last
Convolution/InnerProduct; pooling in ceil mode; ReLU in place; Softmax and SoftmaxWithLoss
become nn.SoftMax in the V1 layout, while in the current layout the net ends just before the
first of them (loadcaffe's loop stops there); data, accuracy, split and loss layers are left out
with loadcaffe's warning.  Where loadcaffe would build a net computing something else than
Caffe, this computes Caffe's function instead (see the package docstring) or refuses the layer.
"""
import numpy as np

from ... import nn
from ...tensor import from_numpy
from ..errors import CaffeLayerError

# layers that leave the data path of a chain alone: left out, with loadcaffe's warning
SKIPPED = frozenset((
    "Data", "ImageData", "HDF5Data", "MemoryData", "DummyData", "WindowData", "Input", "Accuracy", "Split",
    "Silence", "Flatten", "EuclideanLoss", "HingeLoss", "InfogainLoss", "MultinomialLogisticLoss",
    "SigmoidCrossEntropyLoss", "ContrastiveLoss", "HDF5Output"))
# loadcaffe's cudnn backend makes these cudnn's (the rest stay nn's)
CUDNN = frozenset(("SpatialConvolution", "SpatialMaxPooling", "SpatialAveragePooling", "ReLU", "Tanh", "Sigmoid",
                   "SpatialCrossMapLRN", "SoftMax"))
STOP = object()   # the builder's answer where loadcaffe stops reading layers


class Context:
    """What building carries from layer to layer: the backend, loadcaffe's running plane count
    (``channels``: the outputs of the last Convolution or InnerProduct, which decides the View
    before an InnerProduct) and the lines loadcaffe prints for each weight layer."""

    def __init__(self, backend, channels):
        self.backend, self.channels = backend, channels
        self.spatial = False   # whether the chain's value has planes (after a convolution or pooling)
        self.loaded = []

    def cls(self, name):
        if self.backend == "cudnn" and name in CUDNN:
            return nn.CLASSES["cudnn." + name]
        return getattr(nn, name)


def number(v):
    """A float32 field as the decimal it was written as (0.0001, not 9.99999974738e-05)."""
    return float(np.format_float_positional(np.float32(v), unique=True))


def _fail(layer, why):
    raise CaffeLayerError(layer.name, layer.type, why)


def _weights(layer, bias_term):
    """(weight, bias or None) of a Convolution/InnerProduct layer."""
    blobs = layer.blobs()
    if not blobs:
        _fail(layer, "the caffemodel holds no weights for it")
    if bias_term and len(blobs) < 2:
        _fail(layer, "bias_term is set but the caffemodel holds no bias blob")
    return blobs[0], (blobs[1].reshape(-1) if bias_term else None)


def _set(module, weight, bias):
    # the blob's own type (float32 as Caffe writes them; copy converts to the module's)
    module.weight.copy(from_numpy(np.array(weight)))
    if bias is None:
        module.bias.zero()
    else:
        module.bias.copy(from_numpy(np.array(bias)))


def _pair(values, default, layer, what):
    """Caffe's repeated spatial setting: none (the default), one for both, or (h, w)."""
    values = list(values)
    if not values:
        return default, default
    if len(values) == 1:
        return values[0], values[0]
    if len(values) == 2:
        return values[0], values[1]
    _fail(layer, "%d values of %s: only 2-D convolutions become nn modules" % (len(values), what))


def _conv_geometry(layer, p):
    if p.HasField("kernel_h") or p.HasField("kernel_w"):
        k = (p.kernel_h, p.kernel_w)
    else:
        if not len(p.kernel_size):
            _fail(layer, "no kernel_size (nor kernel_h / kernel_w)")
        k = _pair(p.kernel_size, 1, layer, "kernel_size")
    d = (p.stride_h, p.stride_w) if p.HasField("stride_h") or p.HasField("stride_w") else \
        _pair(p.stride, 1, layer, "stride")
    pad = (p.pad_h, p.pad_w) if p.HasField("pad_h") or p.HasField("pad_w") else _pair(p.pad, 0, layer, "pad")
    return k, d, pad, _pair(p.dilation, 1, layer, "dilation")


def _block_diagonal(w, groups):
    """A grouped convolution's weight (nOut x nIn/groups x kH x kW) as an ungrouped one: block g of
    the outputs sees only block g of the inputs, through zeros elsewhere."""
    if groups == 1:
        return w
    nOut, nInG = w.shape[:2]
    full = np.zeros((nOut, nInG * groups) + w.shape[2:], dtype=w.dtype)
    og = nOut // groups
    for g in range(groups):
        full[g * og:(g + 1) * og, g * nInG:(g + 1) * nInG] = w[g * og:(g + 1) * og]
    return full


def convolution(layer, ctx):
    p = layer.convolution_param
    if p.axis != 1:
        _fail(layer, "axis %d: only convolutions over axis 1 (channels) become nn modules" % p.axis)
    (kH, kW), (dH, dW), (padH, padW), (dilH, dilW) = _conv_geometry(layer, p)
    w, b = _weights(layer, p.bias_term)
    if w.ndim != 4:
        _fail(layer, "a weight blob of shape %s: only 2-D convolutions become nn modules" % (w.shape,))
    nOut, nInG, bkH, bkW = w.shape
    if (bkH, bkW) != (kH, kW):
        _fail(layer, "its weights are %dx%d kernels but its parameters say %dx%d" % (bkH, bkW, kH, kW))
    groups = p.group or 1
    if nOut % groups:
        _fail(layer, "%d outputs do not split into %d groups" % (nOut, groups))
    nIn = nInG * groups
    if b is not None and b.size != nOut:
        _fail(layer, "%d bias values for %d outputs" % (b.size, nOut))
    ctx.channels, ctx.spatial = nOut, True
    ctx.loaded.append("%s: %d %d %d %d" % (layer.name, nOut, nInG, kW, kH))
    if (dilH, dilW) != (1, 1):
        m = nn.SpatialDilatedConvolution(nIn, nOut, kW, kH, dW, dH, padW, padH, dilW, dilH)
        w = _block_diagonal(w, groups)
    elif ctx.backend == "cudnn":   # cudnn's convolution has loadcaffe's groups
        m = ctx.cls("SpatialConvolution")(nIn, nOut, kW, kH, dW, dH, padW, padH, groups)
    else:   # nn's has none (loadcaffe gave up): the same function through a block-diagonal weight
        m = nn.SpatialConvolution(nIn, nOut, kW, kH, dW, dH, padW, padH)
        w = _block_diagonal(w, groups)
    _set(m, w, b)
    return [(layer.name, m)]


def pooling(layer, ctx):
    p = layer.pooling_param
    ctx.spatial = True
    if p.pool == 2:
        _fail(layer, "stochastic pooling: loadcaffe builds it from the inn package, which pytorch-lite does "
                     "not provide")
    kind = "SpatialMaxPooling" if p.pool == 0 else "SpatialAveragePooling"
    if p.global_pooling:   # the window is the whole plane: one output per plane
        return [(layer.name, getattr(nn, kind.replace("Spatial", "SpatialAdaptive"))(1, 1))]
    if p.HasField("kernel_h") or p.HasField("kernel_w"):
        kH, kW = p.kernel_h, p.kernel_w
    elif p.HasField("kernel_size"):
        kH = kW = p.kernel_size
    else:
        _fail(layer, "no kernel_size (nor kernel_h / kernel_w, nor global_pooling)")
    dH, dW = (p.stride_h, p.stride_w) if p.HasField("stride_h") or p.HasField("stride_w") else (p.stride,) * 2
    padH, padW = (p.pad_h, p.pad_w) if p.HasField("pad_h") or p.HasField("pad_w") else (p.pad,) * 2
    m = ctx.cls(kind)(kW, kH, dW, dH, padW, padH)
    if p.round_mode == 0:   # Caffe's output size rounds up (loadcaffe's :ceil())
        m.ceil()
    return [(layer.name, m)]


def relu(layer, ctx):
    slope = number(layer.relu_param.negative_slope)
    if slope:
        return [(layer.name, nn.LeakyReLU(slope, True))]
    return [(layer.name, ctx.cls("ReLU")(True))]


def sigmoid(layer, ctx):
    return [(layer.name, ctx.cls("Sigmoid")())]


def tanh(layer, ctx):
    return [(layer.name, ctx.cls("Tanh")())]


def _within_channel_lrn(size, alpha, beta):
    """x * (1 + alpha * mean of x^2 over the size x size window around it, zero padded)^-beta."""
    pad = (size - 1) // 2
    scale = nn.Sequential().add(nn.Square()).add(nn.SpatialAveragePooling(size, size, 1, 1, pad, pad)) \
        .add(nn.MulConstant(alpha)).add(nn.AddConstant(1)).add(nn.Power(-beta))
    return nn.Sequential().add(nn.ConcatTable().add(nn.Identity()).add(scale)).add(nn.CMulTable())


def lrn(layer, ctx):
    p = layer.lrn_param
    size, alpha, beta, k = p.local_size, number(p.alpha), number(p.beta), number(p.k)
    if p.norm_region == 1:
        if size % 2 == 0:
            _fail(layer, "an even local_size (%d): Caffe's LRN takes odd sizes only" % size)
        return [(layer.name, _within_channel_lrn(size, alpha, beta))]
    return [(layer.name, ctx.cls("SpatialCrossMapLRN")(size, alpha, beta, k))]


def inner_product(layer, ctx):
    p = layer.inner_product_param
    if p.axis != 1:
        _fail(layer, "axis %d: only inner products over everything after the batch become nn.Linear" % p.axis)
    w, b = _weights(layer, p.bias_term)
    nOut = p.num_output or (b.size if b is not None else 0)
    if not nOut or w.size % nOut:
        _fail(layer, "%d weights do not make num_output (%d) rows" % (w.size, nOut))
    # stored nOut x nIn (V1: 1 x 1 x nOut x nIn), or nIn x nOut when `transpose` is set
    w = w.reshape(-1, nOut).T if p.transpose else w.reshape(nOut, -1)
    nIn = w.shape[1]
    if b is not None and b.size != nOut:
        _fail(layer, "%d bias values for %d outputs" % (b.size, nOut))
    out = []
    # loadcaffe's rule (the plane count differs from the input size), and also where planes of 1x1
    # come in: loadcaffe's net failed in nn.Linear there
    if ctx.channels != nIn or ctx.spatial:
        out.append(("torch_view", nn.View(-1).setNumInputDims(3)))
    ctx.channels, ctx.spatial = nOut, False
    ctx.loaded.append("%s: %d %d %d %d" % (layer.name, 1, 1, nIn, nOut))
    m = nn.Linear(nIn, nOut)
    _set(m, w, b)
    return out + [(layer.name, m)]


def dropout(layer, ctx):
    return [(layer.name, nn.Dropout(number(layer.dropout_param.dropout_ratio)))]


def softmax(layer, ctx):
    if not layer.v1:
        return STOP
    if layer.softmax_param.axis != 1:
        _fail(layer, "axis %d: nn.SoftMax normalizes over the channels (axis 1)" % layer.softmax_param.axis)
    return [(layer.name, ctx.cls("SoftMax")())]


BUILDERS = {"Convolution": convolution, "Pooling": pooling, "ReLU": relu, "Sigmoid": sigmoid, "TanH": tanh,
            "Tanh": tanh, "LRN": lrn, "InnerProduct": inner_product, "Dropout": dropout, "Softmax": softmax,
            "SoftmaxWithLoss": softmax}
WEIGHTED = frozenset(("Convolution", "InnerProduct"))


def unsupported(layer):
    _fail(layer, "loadcaffe has no nn module for it (it builds %s; and leaves out %s)"
          % (", ".join(sorted(set(BUILDERS) - {"Tanh"})), ", ".join(sorted(SKIPPED))))
