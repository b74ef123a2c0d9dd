"""The declarations of every nn / nngraph module kind with a PyTorch or ONNX equivalent, by
family; importing this package registers them (``declare.DECLARATIONS``)."""
from . import (containers, linear, convolutions, pooling, normalization, resampling,  # noqa: F401
               pointwise, shapes, tables, none, cudnn)
