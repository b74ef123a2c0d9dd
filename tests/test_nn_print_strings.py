"""str(module) of nn modules against Torch7's layout.

Each expected string below was worked out by hand from the __tostring__ of the module's Lua
source in torch/nn (newest stored version), applied to the constructor arguments on the left:
Lua's string.format('%d'/'%f') and `..` on whole numbers give the same text as Python's
%d / %f.  Modules with no __tostring__ in torch/nn print torch.type(self)."""
import pytest

import pytorch_lite.nn as nn

CASES = [
    # VolumetricConvolution: '%s(%d -> %d, %dx%dx%d' kT,kW,kH; ', dT,dW,dH' when a stride is not 1
    # or a pad is set; ', padT,padW,padH' when a pad is set; always ')' (no "without bias")
    (lambda: nn.VolumetricConvolution(2, 3, 3, 4, 5), "nn.VolumetricConvolution(2 -> 3, 3x4x5)"),
    (lambda: nn.VolumetricConvolution(2, 3, 3, 4, 5, 1, 2, 1),
     "nn.VolumetricConvolution(2 -> 3, 3x4x5, 1,2,1)"),
    (lambda: nn.VolumetricConvolution(2, 3, 3, 4, 5, 1, 1, 1, 1, 0, 2),
     "nn.VolumetricConvolution(2 -> 3, 3x4x5, 1,1,1, 1,0,2)"),
    (lambda: nn.VolumetricConvolution(2, 3, 3, 4, 5).noBias(), "nn.VolumetricConvolution(2 -> 3, 3x4x5)"),
    # VolumetricFullConvolution: kernel printed kW x kH x kT, strides dW,dH,dT, pads padW,padH,padT,
    # adj adjW,adjH,adjT (only when one is not 0)
    (lambda: nn.VolumetricFullConvolution(2, 3, 3, 4, 5), "nn.VolumetricFullConvolution(2 -> 3, 4x5x3)"),
    (lambda: nn.VolumetricFullConvolution(2, 3, 3, 4, 5, 1, 2, 3),
     "nn.VolumetricFullConvolution(2 -> 3, 4x5x3, 2,3,1)"),
    (lambda: nn.VolumetricFullConvolution(2, 3, 3, 4, 5, 2, 2, 2, 1, 0, 1, 1, 0, 1),
     "nn.VolumetricFullConvolution(2 -> 3, 4x5x3, 2,2,2, 0,1,1, 0,1,1)"),
    # VolumetricDilatedConvolution: as VolumetricConvolution, then always ', dilT,dilW,dilH'
    (lambda: nn.VolumetricDilatedConvolution(2, 3, 3, 4, 5),
     "nn.VolumetricDilatedConvolution(2 -> 3, 3x4x5, 1,1,1)"),
    (lambda: nn.VolumetricDilatedConvolution(2, 3, 3, 3, 3, 1, 1, 1, 1, 1, 1, 2, 3, 2),
     "nn.VolumetricDilatedConvolution(2 -> 3, 3x3x3, 1,1,1, 1,1,1, 2,3,2)"),
    (lambda: nn.VolumetricDilatedConvolution(2, 3, 3, 3, 3).noBias(),
     "nn.VolumetricDilatedConvolution(2 -> 3, 3x3x3, 1,1,1) without bias"),
    # Volumetric pooling: '%s(%dx%dx%d, %d,%d,%d' kT,kW,kH,dT,dW,dH [', padT,padW,padH'] ')';
    # ceil_mode is not printed
    (lambda: nn.VolumetricMaxPooling(2, 2, 2), "nn.VolumetricMaxPooling(2x2x2, 2,2,2)"),
    (lambda: nn.VolumetricMaxPooling(3, 3, 3, 2, 2, 2, 1, 1, 1).ceil(),
     "nn.VolumetricMaxPooling(3x3x3, 2,2,2, 1,1,1)"),
    (lambda: nn.VolumetricAveragePooling(2, 2, 2), "nn.VolumetricAveragePooling(2x2x2, 2,2,2)"),
    (lambda: nn.VolumetricAveragePooling(2, 3, 4, 1, 2, 3), "nn.VolumetricAveragePooling(2x3x4, 1,2,3)"),
    (lambda: nn.VolumetricDilatedMaxPooling(3, 3, 3, 1, 1, 1),
     "nn.VolumetricDilatedMaxPooling(3x3x3, 1,1,1, 1,1,1)"),
    (lambda: nn.VolumetricDilatedMaxPooling(3, 3, 3, 1, 1, 1, 1, 1, 1, 2, 2, 2),
     "nn.VolumetricDilatedMaxPooling(3x3x3, 1,1,1, 1,1,1, 2,2,2)"),
    # SpatialFullConvolution: ', dW,dH' / ', padW,padH' / ', adjW,adjH' / ') without bias'
    (lambda: nn.SpatialFullConvolution(3, 4, 5, 5), "nn.SpatialFullConvolution(3 -> 4, 5x5)"),
    (lambda: nn.SpatialFullConvolution(3, 4, 5, 5, 2, 2), "nn.SpatialFullConvolution(3 -> 4, 5x5, 2,2)"),
    (lambda: nn.SpatialFullConvolution(3, 4, 5, 5, 2, 2, 1, 1, 1, 1),
     "nn.SpatialFullConvolution(3 -> 4, 5x5, 2,2, 1,1, 1,1)"),
    (lambda: nn.SpatialFullConvolution(3, 4, 5, 5).noBias(),
     "nn.SpatialFullConvolution(3 -> 4, 5x5) without bias"),
    # Spatial convolutions
    (lambda: nn.SpatialConvolution(3, 4, 5, 5, 1, 1, 2, 2), "nn.SpatialConvolution(3 -> 4, 5x5, 1,1, 2,2)"),
    (lambda: nn.SpatialConvolutionMM(3, 4, 5, 5, 2, 2), "nn.SpatialConvolutionMM(3 -> 4, 5x5, 2,2)"),
    (lambda: nn.SpatialDilatedConvolution(3, 4, 3, 3), "nn.SpatialDilatedConvolution(3 -> 4, 3x3, 1,1)"),
    (lambda: nn.SpatialDilatedConvolution(3, 4, 3, 3, 1, 1, 2, 2, 2, 2),
     "nn.SpatialDilatedConvolution(3 -> 4, 3x3, 1,1, 2,2, 2,2)"),
    (lambda: nn.SpatialConvolutionLocal(3, 4, 8, 8, 3, 3), "nn.SpatialConvolutionLocal(3 -> 4, 8x8, 3x3)"),
    (lambda: nn.SpatialConvolutionLocal(3, 4, 8, 8, 3, 3, 2, 2, 1, 1),
     "nn.SpatialConvolutionLocal(3 -> 4, 8x8, 3x3, 2,2, 1,1)"),
    # Spatial pooling: '%s(%dx%d, %d,%d' [', padW,padH'] ')'; ceil() does not change the print
    (lambda: nn.SpatialMaxPooling(2, 2), "nn.SpatialMaxPooling(2x2, 2,2)"),
    (lambda: nn.SpatialMaxPooling(2, 2, 2, 2).ceil(), "nn.SpatialMaxPooling(2x2, 2,2)"),
    (lambda: nn.SpatialMaxPooling(3, 3, 2, 2, 1, 1), "nn.SpatialMaxPooling(3x3, 2,2, 1,1)"),
    (lambda: nn.SpatialAveragePooling(2, 2), "nn.SpatialAveragePooling(2x2, 1,1)"),
    (lambda: nn.SpatialAveragePooling(3, 3, 1, 1, 1, 1).ceil(), "nn.SpatialAveragePooling(3x3, 1,1, 1,1)"),
    (lambda: nn.SpatialDilatedMaxPooling(3, 3), "nn.SpatialDilatedMaxPooling(3x3, 3,3, 1,1)"),
    (lambda: nn.SpatialDilatedMaxPooling(3, 3, 1, 1, 1, 1, 2, 2),
     "nn.SpatialDilatedMaxPooling(3x3, 1,1, 1,1, 2,2)"),
    # padding modules
    (lambda: nn.SpatialZeroPadding(1, 2, 3, 4), "nn.SpatialZeroPadding(l=1, r=2, t=3, b=4)"),
    (lambda: nn.SpatialReflectionPadding(1, 2, 3, 4), "nn.SpatialReflectionPadding(l=1, r=2, t=3, b=4)"),
    (lambda: nn.SpatialReplicationPadding(1, 2, 3, 4), "nn.SpatialReplicationPadding(l=1, r=2, t=3, b=4)"),
    (lambda: nn.VolumetricReplicationPadding(1, 2, 3, 4, 5, 6),
     "nn.VolumetricReplicationPadding(left=1, right=2, top=3, bottom=4, front=5, back=6)"),
    # dropouts: '%s(%f)'
    (lambda: nn.Dropout(0.3), "nn.Dropout(0.300000)"),
    (lambda: nn.SpatialDropout(0.2), "nn.SpatialDropout(0.200000)"),
    (lambda: nn.VolumetricDropout(0.4), "nn.VolumetricDropout(0.400000)"),
    # SpatialUpSamplingBilinear: '%s(%d)' with scale_factor, else '%s(%d, %d)' oheight, owidth
    (lambda: nn.SpatialUpSamplingBilinear(2), "nn.SpatialUpSamplingBilinear(2)"),
    (lambda: nn.SpatialUpSamplingBilinear({"oheight": 4, "owidth": 6}), "nn.SpatialUpSamplingBilinear(4, 6)"),
    # Reshape: sizes joined by 'x' (batchMode not printed); View: sizes joined by ', '
    (lambda: nn.Reshape(2, 3), "nn.Reshape(2x3)"),
    (lambda: nn.Reshape(2, 3, True), "nn.Reshape(2x3)"),
    (lambda: nn.View(2, -1), "nn.View(2, -1)"),
    (lambda: nn.View(6).setNumInputDims(2), "nn.View(6)"),
    # Linear family: '(%d -> %d)' then ' without bias'; Bilinear's '(%dx%d -> %d) %s' keeps its space
    (lambda: nn.Linear(3, 4), "nn.Linear(3 -> 4)"),
    (lambda: nn.Linear(3, 4, False), "nn.Linear(3 -> 4) without bias"),
    (lambda: nn.Bilinear(3, 4, 5), "nn.Bilinear(3x4 -> 5) "),
    (lambda: nn.Bilinear(3, 4, 5, False), "nn.Bilinear(3x4 -> 5)  without bias"),
    (lambda: nn.LinearWeightNorm(3, 4), "nn.LinearWeightNorm(3 -> 4)"),
    (lambda: nn.PartialLinear(3, 4), "nn.PartialLinear(3 -> 4)"),
    # other printing modules
    (lambda: nn.ELU(), "nn.ELU (alpha:1.000000)"),
    (lambda: nn.RReLU(), "nn.RReLU (l:0.125000, u:0.333333)"),
    (lambda: nn.Normalize(2), "nn.Normalize(2)"),
    (lambda: nn.Normalize(1.5), "nn.Normalize(1.500000)"),
    (lambda: nn.BatchNormalization(4), "nn.BatchNormalization (2D) (4)"),
    (lambda: nn.SpatialBatchNormalization(4), "nn.SpatialBatchNormalization (4D) (4)"),
    (lambda: nn.VolumetricBatchNormalization(4), "nn.VolumetricBatchNormalization (5D) (4)"),
    (lambda: nn.SpatialFractionalMaxPooling(2, 2, 4, 4), "nn.SpatialFractionalMaxPooling(4x4, 2,2)"),
    (lambda: nn.TemporalRowConvolution(4, 3), "nn.TemporalRowConvolution(4, 3)"),
    (lambda: nn.TemporalRowConvolution(4, 3, 2), "nn.TemporalRowConvolution(4, 3, 2)"),
    (lambda: nn.SpatialDepthWiseConvolution(3, 2, 3, 3, 1, 1, 1, 1),
     "nn.SpatialDepthWiseConvolution(3 -> 2, 3x3, 1,1, 1,1)"),
    # no __tostring__ in torch/nn: the type name
    (lambda: nn.SpatialCrossMapLRN(5), "nn.SpatialCrossMapLRN"),
    (lambda: nn.SpatialUpSamplingNearest(2), "nn.SpatialUpSamplingNearest"),
    (lambda: nn.TemporalConvolution(3, 4, 2), "nn.TemporalConvolution"),
    (lambda: nn.TemporalMaxPooling(2), "nn.TemporalMaxPooling"),
    (lambda: nn.TemporalSubSampling(3, 2), "nn.TemporalSubSampling"),
    (lambda: nn.LookupTable(10, 3), "nn.LookupTable"),
    (lambda: nn.PReLU(3), "nn.PReLU"),
    (lambda: nn.Narrow(1, 2, 3), "nn.Narrow"),
    (lambda: nn.Select(1, 2), "nn.Select"),
    (lambda: nn.JoinTable(1), "nn.JoinTable"),
    (lambda: nn.SplitTable(1), "nn.SplitTable"),
    (lambda: nn.Max(1), "nn.Max"),
    (lambda: nn.Min(1), "nn.Min"),
    (lambda: nn.Sum(1), "nn.Sum"),
    (lambda: nn.Mean(1), "nn.Mean"),
]


@pytest.mark.parametrize("build,expected", CASES, ids=[e for _, e in CASES])
def test_print_string(build, expected):
    assert str(build()) == expected


def test_volumetric_convolution_pads_default_like_torch7():
    # VolumetricConvolution.lua: padW = padW or padT; padH = padH or padW
    m = nn.VolumetricConvolution(2, 3, 3, 4, 5, 1, 1, 1, 1)
    assert (m.padT, m.padW, m.padH) == (1, 1, 1)
    m = nn.VolumetricConvolution(2, 3, 3, 4, 5, 1, 1, 1, 2, 0)
    assert (m.padT, m.padW, m.padH) == (2, 0, 0)
