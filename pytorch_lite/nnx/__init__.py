"""pytorch_lite.nnx: clementfarabet/lua---nnx ("nn experimental"), the extra nn modules many
older Torch7 scripts load with ``require 'nnx'``.

    from pytorch_lite import nnx
    up = nnx.SpatialReSampling(owidth=32, oheight=24)     # bilinear, corners aligned
    pad = nnx.SpatialPadding(2, 2, 1, 1, val=-1)

The classes keep nnx's Torch names (``nn.SpatialReSampling``, ...), so t7 files that hold them
load and save; dims given to them (yDim/xDim, y_dim/x_dim) are 0-based here and 1-based in Lua
and t7 files, as everywhere in pytorch_lite.
"""
from .SpatialReSampling import SpatialReSampling
from .SpatialReSamplingEx import SpatialReSamplingEx
from .SpatialUpSampling import SpatialUpSampling
from .SpatialDownSampling import SpatialDownSampling
from .SpatialLinear import SpatialLinear
from .SpatialPadding import SpatialPadding
from .SpatialMatching import SpatialMatching
from .MultiSoftMax import MultiSoftMax
from .Balance import Balance
from .SaturatedLU import SaturatedLU
from .Minus import Minus
from .TreeNLLCriterion import TreeNLLCriterion
from .SpatialGraph import SpatialGraph
from .SoftMaxTree import SoftMaxTree
from .PushTable import PushTable
from .PullTable import PullTable
from .SpatialNormalization import SpatialNormalization
from .SpatialPyramid import SpatialPyramid
from .SpatialFovea import SpatialFovea
from .CTCCriterion import CTCCriterion
from .DistMarginCriterion import DistMarginCriterion
from .SpatialMaxSampling import SpatialMaxSampling
from .SpatialRadialMatching import SpatialRadialMatching
from .SuperCriterion import SuperCriterion
from .DistNLLCriterion import DistNLLCriterion
from .SpatialClassifier import SpatialClassifier
from .QDRiemaNNLinear import QDRiemaNNLinear
from .PixelSort import PixelSort
from .SpatialColorTransform import SpatialColorTransform

# Torch class name -> class, for the t7 registry and the Lua bridge
CLASSES = {c.typename: c for c in (SpatialReSampling, SpatialReSamplingEx, SpatialUpSampling,
                                    SpatialDownSampling, SpatialLinear, SpatialPadding, SpatialMatching,
                                    MultiSoftMax, Balance, SaturatedLU, Minus, TreeNLLCriterion, SpatialGraph, SoftMaxTree,
                                    PushTable, PullTable, SpatialNormalization,
                                    SpatialPyramid, SpatialFovea, CTCCriterion,
                                    DistMarginCriterion, SpatialMaxSampling,
                                    SpatialRadialMatching, SuperCriterion, DistNLLCriterion,
                                    SpatialClassifier, QDRiemaNNLinear,
                                    PixelSort, SpatialColorTransform)}


def _register_t7():
    from ..serialization.registry import register_class
    for name, cls in CLASSES.items():
        register_class(name, cls)


_register_t7()
