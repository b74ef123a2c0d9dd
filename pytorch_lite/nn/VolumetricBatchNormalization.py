"""nn.VolumetricBatchNormalization(nFeature, eps=1e-5, momentum=0.1, affine=True): batch
normalisation of each feature volume of a batch x nFeature x T x H x W input."""
from .BatchNormalization import BatchNormalization


class VolumetricBatchNormalization(BatchNormalization):
    nDim = 5
