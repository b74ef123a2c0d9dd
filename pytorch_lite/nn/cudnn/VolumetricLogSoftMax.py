"""cudnn.VolumetricLogSoftMax(fast=False): the log-softmax over the feature planes at every voxel
of a 4D (C x T x H x W) or 5D (batch x C x T x H x W) input."""
from ..SpatialLogSoftMax import SpatialLogSoftMax
from .VolumetricSoftMax import VolumetricSoftMax


class VolumetricLogSoftMax(VolumetricSoftMax):
    typename = "cudnn.VolumetricLogSoftMax"
    spatial = SpatialLogSoftMax
