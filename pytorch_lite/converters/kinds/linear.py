"""Linear maps and elementwise parameters: Linear and its variants, LookupTable/OneHot,
CMul/CAdd/Add/Mul, PReLU, distances to weight vectors, Bilinear."""
import numpy as np

from ..declare import declare
from ._common import _a


@declare("nn.Linear")
def linear(m, g, x, s):
    return g.linear(s.path, x, _a(m.weight), _a(m.__dict__.get("bias")))


@declare("nn.LinearWeightNorm")
def linear_weight_norm(m, g, x, s):
    w = _a(m.updateWeightMatrix() if hasattr(m, "updateWeightMatrix") else m.weight)
    return g.linear(s.path, x, _a(m.weight) if w is None else w, _a(m.__dict__.get("bias")))


@declare("nn.LookupTable")
def lookup_table(m, g, x, s):
    if m.maxNorm is not None and s.target == "onnx":
        s.fail("maxNorm (rows renormalised in place at each forward) has no ONNX equivalent")
    n = m.weight.size(0)
    pad = m.paddingValue if m.paddingValue is not None and 0 <= m.paddingValue < n else None
    return g.embedding(s.path, x, _a(m.weight), pad, None if m.maxNorm is None else float(m.maxNorm),
                       float(m.normType or 2))


@declare("nn.OneHot")
def one_hot(m, g, x, s):
    return g.gather_rows(g.const(np.eye(m.outputSize)), x)


@declare("nn.PReLU")
def prelu(m, g, x, s):
    n = m.nOutputPlane or 0
    w = _a(m.weight)
    if n:
        plane = 0 if s.xin.dim() in (1, 3) else 1
        w = w.reshape((n,) + (1,) * (s.xin.dim() - plane - 1))
    else:
        w = w.reshape(())
    p = s.param("weight", w)
    return g.add(g.maximum(x, 0.0), g.mul(p, g.minimum(x, 0.0)))


def _broadcast(arr, xin):
    """A CMul/CAdd-style parameter shaped to broadcast against the input (Torch7 expands it
    over a leading batch dim, or views it as the input when the sizes agree)."""
    size = xin.size()
    if arr.size == int(np.prod(size)):
        return arr.reshape(size)
    if arr.size == int(np.prod(size[1:])):
        return arr.reshape((1,) + tuple(size[1:]))
    return arr.reshape((1,) * max(len(size) - arr.ndim, 0) + arr.shape)


@declare("nn.CMul")
def cmul(m, g, x, s):
    return g.mul(x, s.param("weight", _broadcast(_a(m.weight), s.xin)))


@declare("nn.CAdd")
def cadd(m, g, x, s):
    return g.add(x, s.param("bias", _broadcast(_a(m.bias), s.xin)))


@declare("nn.Add")
def add(m, g, x, s):
    b = _a(m.bias)
    return g.add(x, s.param("bias", b.reshape(()) if m.scalar else _broadcast(b, s.xin)))


@declare("nn.Mul")
def mul(m, g, x, s):
    return g.mul(x, s.param("weight", _a(m.weight).reshape(())))


@declare("nn.Euclidean", "nn.WeightedEuclidean")
def euclidean(m, g, x, s):
    """y_j = || x - w_j || (times diagCov elementwise for WeightedEuclidean), w_j a column."""
    d = g.sub(g.unsqueeze(x, s.xin.dim()), s.param("weight"))
    if m.typename == "nn.WeightedEuclidean":
        d = g.mul(d, s.param("diagCov"))
    return g.unary("sqrt", g.reduce("sum", g.mul(d, d), [s.xin.dim() - 1], False))


@declare("nn.Cosine")
def cosine(m, g, x, s):
    eps = 1e-12
    y = g.matmul(x, g.permute(s.param("weight"), (1, 0)))
    xn = g.add(g.unary("sqrt", g.reduce("sum", g.mul(x, x), [s.xin.dim() - 1], True)), eps)
    wnorm = g.add(g.unary("sqrt", g.reduce("sum", g.mul(s.param("weight"), s.param("weight")), [1], False)), eps)
    return g.div(g.div(y, wnorm), xn)


@declare("nn.Bilinear")
def bilinear(m, g, x, s):
    """out_k = x1 W_k x2 (+ b_k), batched over rows."""
    x1, x2 = x
    t = g.matmul(g.unsqueeze(g.unsqueeze(x1, 1), 1), s.param("weight"))   # N11i @ kij -> Nk1j
    y = g.reduce("sum", g.mul(g.squeeze(t, 2), g.unsqueeze(x2, 1)), [2], False)
    b = m.__dict__.get("bias")
    return y if b is None else g.add(y, s.param("bias"))


@declare("nn.PartialLinear")
def partial_linear(m, g, x, s):
    """A Linear over the partition's output columns (the LookupTable rows are the weight rows)."""
    cols = m._cols()
    b = m.__dict__.get("bias")
    return g.linear(s.path, x, _a(m._lookup().weight)[cols], None if b is None else _a(b).reshape(-1)[cols])
