"""nn.SpatialReplicationPadding(pad_l, pad_r=pad_l, pad_t=pad_l, pad_b=pad_l): pads the last two
dimensions by repeating the edge pixels."""
from .SpatialReflectionPadding import SpatialReflectionPadding


class SpatialReplicationPadding(SpatialReflectionPadding):
    _reflect = False
