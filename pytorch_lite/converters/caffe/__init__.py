"""Caffe models into nn: what szagoruyko/loadcaffe's ``loadcaffe.load`` gives Torch7 scripts.

    from pytorch_lite.converters import caffe
    net = caffe.load("deploy.prototxt", "VGG_ILSVRC_19_layers.caffemodel")      # an nn.Sequential
    net = caffe.load("deploy.prototxt", "bvlc_alexnet.caffemodel", "cudnn")    # cudnn layers, on the GPU

The net is loadcaffe's: one module per layer in the caffemodel's order, named by the layer
(``net.get(0).name == 'conv1_1'``), weights copied from the caffemodel's blobs as they are (Caffe's
layout: ImageNet models take BGR planes in 0..255 less the mean pixel, which loadcaffe leaves to
the script), modules of the default tensor type, in training mode (Dropout active until
``evaluate()``).  Which layers become what: layers.py.  As in loadcaffe, the caffemodel's layers
are the net (Caffe's binary parse replaced what loadcaffe read from the prototxt); the prototxt
must exist, parse, and name no weight layer that the caffemodel lacks.

Where loadcaffe built something that does not compute Caffe's function, this builds Caffe's:
grouped convolutions with the 'nn' backend (a block-diagonal nn.SpatialConvolution), TanH in the
current layout (loadcaffe looked for 'Tanh' and left it out), LRN within channels (a small
nn.Sequential), ReLU with a negative slope (nn.LeakyReLU), dilation (nn.SpatialDilatedConvolution),
kernel/stride/pad given per dimension, InnerProduct with ``transpose``, global pooling
(adaptive pooling to 1x1), ``round_mode: FLOOR``, layers without a bias (a zero bias), the View
also before an InnerProduct fed 1x1 maps of as many planes as it takes (loadcaffe's count rule
left it out, and its nn.Linear failed on the 4-D input).  Layer types it has no module for
(Concat, Eltwise, BatchNorm, Deconvolution, ...) and settings it cannot express raise
``CaffeLayerError``; unreadable files raise ``CaffeFormatError``.
"""
from ...errors import TorchValueError
from ..errors import CaffeFormatError, CaffeLayerError

__all__ = ["load", "CaffeFormatError", "CaffeLayerError", "BACKENDS"]

BACKENDS = ("nn", "cudnn")


def _parts():
    """files.py and layers.py, which need protobuf (an optional dependency)."""
    try:
        from . import files, layers
    except ImportError as e:
        if "google" not in str(e):
            raise
        raise TorchValueError("loadcaffe needs the Python package protobuf (pip install protobuf)") from None
    return files, layers


def _check_backend(backend):
    if backend == "ccn2":
        raise TorchValueError("loadcaffe: the 'ccn2' backend (cuda-convnet2's layers, in its depth-major layout) "
                              "is not provided by pytorch-lite; load with 'nn' or 'cudnn'")
    if backend not in BACKENDS:
        raise TorchValueError("loadcaffe: unknown backend %r (use 'nn' or 'cudnn')" % (backend,))


def _check_prototxt(proto, model_layers, prototxt, caffemodel):
    """Every weight layer the prototxt names has weights in the caffemodel: a caffemodel cut short
    between two layers still parses, and would load as a shorter net."""
    files, _layers = _parts()
    have = {layer.name for layer in model_layers if layer.nblobs}
    for layer in files.layers(proto, prototxt)[0]:
        if layer.type in _layers.WEIGHTED and layer.name not in have:
            raise CaffeFormatError(caffemodel, "holds no weights for the %s layer '%s' of %s (a truncated "
                                   "caffemodel, or one of another net)" % (layer.type, layer.name, prototxt))


def build(prototxt, caffemodel, backend="nn"):
    """(the nn.Sequential, the lines loadcaffe prints while loading)."""
    from ... import nn
    files, _layers = _parts()
    _check_backend(backend)
    prototxt, caffemodel = str(prototxt), str(caffemodel)
    for path in (prototxt, caffemodel):
        files.check_exists(path)
    proto = files.read_prototxt(prototxt)
    net = files.read_caffemodel(caffemodel)
    model_layers, v1 = files.layers(net, caffemodel)
    _check_prototxt(proto, model_layers, prototxt, caffemodel)
    ctx = _layers.Context(backend, len(net.input_dim) if v1 else 4 * len(net.input_shape))
    lines, modules = ["Successfully loaded " + caffemodel], []
    for layer in model_layers:
        make = _layers.BUILDERS.get(layer.type)
        if make is None:
            if layer.type not in _layers.SKIPPED:
                _layers.unsupported(layer)
            if v1:
                lines.append("MODULE %s UNDEFINED" % layer.name)
            lines.append("warning: module '%s [type %s]' not found" % (layer.name, layer.shown))
            continue
        made = make(layer, ctx)
        if made is _layers.STOP:
            break
        modules += made
    seq = nn.Sequential()
    for name, m in modules:
        m.name = name
        seq.add(m)
    if backend == "cudnn":   # loadcaffe puts a cudnn net on the GPU
        seq.cuda()
    return seq, lines + ctx.loaded


def load(prototxt, caffemodel, backend="nn", verbose=False):
    """loadcaffe.load(prototxt, caffemodel, backend): the Caffe net as an nn.Sequential.  ``backend``
    'nn' (CPU modules) or 'cudnn' (cudnn's classes, moved to the GPU: needs a CUDA device or
    PYTORCH_LITE_CUDA=cpu); 'ccn2' is refused.  ``verbose`` prints what loadcaffe prints."""
    seq, lines = build(prototxt, caffemodel, backend)
    if verbose:
        print("\n".join(lines))
    return seq
