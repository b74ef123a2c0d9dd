"""nn.SpatialSoftMax(): SoftMax over the feature planes at every pixel of a 3D (C x H x W) or
4D (batch x C x H x W) input (THNN runs the SoftMax kernel on it: the same axis rule)."""
from .SoftMax import SoftMax


class SpatialSoftMax(SoftMax):
    pass
