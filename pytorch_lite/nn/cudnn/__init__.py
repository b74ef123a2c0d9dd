"""cudnn's own classes (soumith/cudnn.torch): the ones whose constructor, fields or forward differ
from nn's, each in a file of its name with the Torch class name "cudnn.<Name>".

The rest of cudnn's modules (cudnn.ReLU, cudnn.SpatialMaxPooling, ...) compute exactly what nn's
do and load as nn's classes (pytorch_lite.nn.CUDNN_EQUIVALENTS).  Here: SpatialConvolution
(groups), TemporalConvolution (a spatial convolution over the frames, with padding), ClippedReLU,
VolumetricSoftMax/VolumetricLogSoftMax and the Spatial/Volumetric cross-entropy criteria.
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
