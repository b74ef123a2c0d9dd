"""Python side of `require 'cudnn'` (lua/cudnn.lua): the cudnn module names that are nn's."""
from pytorch_lite import nn


def bridge(runtime):
    return dict(equivalents=runtime.lua.table_from(list(nn.CUDNN_EQUIVALENTS)))
