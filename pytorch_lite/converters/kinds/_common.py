"""Helpers the layer declarations share.  Torch7's spatial modules also take one sample
without a batch dimension: it is added around the PyTorch/ONNX op (``_batched``)."""
import numpy as np


def _a(t):
    return None if t is None else np.asarray(t._a)


def _batched(g, s, x, rank, fn):
    """fn on x with a batch dim: x of ``rank`` dims is a batch, of rank - 1 one sample."""
    if s.xin.dim() == rank - 1:
        return g.squeeze(fn(g.unsqueeze(x, 0)), 0)
    return fn(x)


def _temporal(g, s, x, fn):
    """(T, C) or (N, T, C) frames -> conv1d layout (N, C, T) and back."""
    v = g.unsqueeze(x, 0) if s.xin.dim() == 2 else x
    y = g.permute(fn(g.permute(v, (0, 2, 1))), (0, 2, 1))
    return g.squeeze(y, 0) if s.xin.dim() == 2 else y
