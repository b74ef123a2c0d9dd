"""cudnn.LogSoftMax(fast=False): the log of cudnn.SoftMax, over everything but the batch
dimension (all of C x H x W of a 3D input or of each sample of a 4D one)."""
from ..LogSoftMax import LogSoftMax as _NNLogSoftMax
from .SoftMax import InstanceMode


class LogSoftMax(InstanceMode, _NNLogSoftMax):
    typename = "cudnn.LogSoftMax"
