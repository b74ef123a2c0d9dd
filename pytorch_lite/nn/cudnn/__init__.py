"""cudnn's classes (soumith/cudnn.torch), under their Torch class names "cudnn.<Name>".

The ones whose constructor, fields or forward differ from nn's each have a file of their name:
SpatialConvolution (groups), TemporalConvolution (a spatial convolution over the frames, with
padding), SoftMax/LogSoftMax (over each instance), ClippedReLU, VolumetricSoftMax/
VolumetricLogSoftMax and the Spatial/Volumetric cross-entropy criteria.  The others compute what
nn's class of the same name computes (SAME_AS_NN): each is a subclass of it that only carries the
cudnn name (so a cudnn checkpoint reads and writes back as cudnn's, isTypeOf(m, 'nn.X') holds and
cudnn.convert has two classes to swap), with cudnn's constructor defaults where they differ.
"""
import importlib as _importlib
import os as _os


_HERE = _os.path.dirname(__file__)
CLASSES = {}  # 'cudnn.SpatialConvolution' -> class


def _load_all():
    for fname in sorted(_os.listdir(_HERE)):
        name, ext = _os.path.splitext(fname)
        if ext != ".py" or not name[:1].isupper():
            continue
        cls = getattr(_importlib.import_module("." + name, __name__), name, None)
        if cls is not None:
            globals()[name] = cls
            CLASSES[cls.typename] = cls


_load_all()

SAME_AS_NN = ("ReLU", "Tanh", "Sigmoid", "SpatialSoftMax", "SpatialLogSoftMax", "SpatialFullConvolution",
              "VolumetricConvolution", "VolumetricFullConvolution", "SpatialMaxPooling", "SpatialAveragePooling",
              "VolumetricMaxPooling", "VolumetricAveragePooling", "BatchNormalization",
              "SpatialBatchNormalization", "VolumetricBatchNormalization", "SpatialCrossMapLRN")


def _init_without_fast(base):
    def __init__(self, fast=False):   # cudnn's softmaxes take `fast` (an algorithm choice)
        base.__init__(self)
    return __init__


def _average_pooling_init(base):
    def __init__(self, kW, kH, dW=None, dH=None, padW=0, padH=0):
        # cudnn's pooling steps by the window unless told otherwise (nn's average pooling steps by 1)
        base.__init__(self, kW, kH, kW if dW is None else dW, kH if dH is None else dH, padW, padH)
    return __init__


_INITS = {"SpatialSoftMax": _init_without_fast, "SpatialLogSoftMax": _init_without_fast,
          "SpatialAveragePooling": _average_pooling_init}


def _same_as_nn():
    for name in SAME_AS_NN:
        base = getattr(_importlib.import_module("pytorch_lite.nn." + name), name)
        ns = {"typename": "cudnn." + name, "__module__": __name__,
              "__doc__": "cudnn.%s: nn.%s's forward under cudnn's name." % (name, name)}
        if name in _INITS:
            ns["__init__"] = _INITS[name](base)
        cls = type(name, (base,), ns)
        globals()[name] = cls
        CLASSES[cls.typename] = cls


_same_as_nn()
