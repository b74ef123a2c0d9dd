"""nn.SpatialBatchNormalization(nFeature, eps=1e-5, momentum=0.1, affine=True): batch
normalisation of each feature map of a batch x nFeature x H x W input (statistics over the batch
and all pixels)."""
from .BatchNormalization import BatchNormalization


class SpatialBatchNormalization(BatchNormalization):
    nDim = 4
