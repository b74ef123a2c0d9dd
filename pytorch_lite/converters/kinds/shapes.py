"""Shape modules: views, permutations, slices, padding, replication, reductions."""
import numpy as np

from ..declare import declare


@declare("nn.View", "nn.Reshape", "nn.Squeeze", "nn.Unsqueeze", "nn.Collapse")
def reshape(m, g, x, s):
    """A view keeps the element order: the traced output size (the batch size left free)."""
    return g.reshape(x, s.sizes(s.xout))


@declare("nn.Transpose")
def transpose(m, g, x, s):
    k = m._shift(s.xin)
    perm = list(range(s.xin.dim()))
    for a, b in m.permutations:
        perm[a + k], perm[b + k] = perm[b + k], perm[a + k]
    return g.permute(x, perm)


@declare("nn.Narrow")
def narrow(m, g, x, s):
    d, off, length = m._args(s.xin)
    return g.narrow(x, d, off, length)


@declare("nn.Select")
def select(m, g, x, s):
    d, i = m._args(s.xin)
    return g.select(x, d, i)


@declare("nn.Replicate")
def replicate(m, g, x, s):
    r = m._rdim(s.xin)
    return g.expand(g.unsqueeze(x, r), s.sizes(s.xout))


@declare("nn.Padding")
def padding(m, g, x, s):
    """|pad| entries of ``value`` inserted along dim at the split point (before it when pad < 0)."""
    d = m.dim + (1 if m.nInputDim is not None and s.xin.dim() != m.nInputDim else 0)
    n, pad = s.xin.size(d), m.pad
    split = n - m.index if pad > 0 else m.index     # as nn.Padding places it (0-based)
    pads = [(0, 0)] * s.xin.dim()
    if split == n or split == 0:
        pads[d] = (0, abs(pad)) if split == n else (abs(pad), 0)
        return g.pad(x, pads, "constant", float(m.value))
    pads[d] = (abs(pad), 0)
    rest = g.pad(g.narrow(x, d, split, n - split), pads, "constant", float(m.value))
    return g.cat([g.narrow(x, d, 0, split), rest], d)


def _reduce(op):
    def fn(m, g, x, s):
        d = m._dim(s.xin)
        if op == "sum" and m.__dict__.get("sizeAverage"):
            y = g.reduce("mean", x, [d], True)
        else:
            y = g.reduce(op, x, [d], True)
        return g.reshape(y, s.sizes(s.xout))
    return fn


declare("nn.Sum")(_reduce("sum"))
declare("nn.Mean")(_reduce("mean"))
declare("nn.Max")(_reduce("max"))
declare("nn.Min")(_reduce("min"))


@declare("nn.Constant")
def constant(m, g, x, s):
    v = np.asarray(m.value._a)
    if len(s.xout.size()) == v.ndim:
        return g.const(v)
    # batch mode: one copy per sample; the batch size comes from the input
    rest = int(np.prod(s.xin.size()[1:]))
    lead = g.reshape(g.reduce("sum", g.reshape(x, [-1, rest]), [1], True), [-1] + [1] * v.ndim)
    return g.add(g.mul(lead, 0.0), g.const(v[None]))


@declare("nn.Convert")
def convert_layout(m, g, x, s):
    """The converter module it built for its input/output shapes ('bchw' -> 'bf', ...), with
    the batch dim added around it for one sample."""
    one = s.xin.dim() < m.nInputDim
    if one:
        x = g.unsqueeze(x, m.inputBatchDim)
    y = s.emit(m.converter, "converter", x)
    return g.reshape(y, s.sizes(s.xout)) if one else y
