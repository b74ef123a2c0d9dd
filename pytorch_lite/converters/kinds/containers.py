"""Containers: their children's declarations, wired as Torch7's forward wires them."""
from ..declare import declare


@declare("nn.Sequential", "nn.SpatialLPPooling", "nn.Maxout")
def sequential(m, g, x, s):
    for i, child in enumerate(m.modules):
        x = s.emit(child, i, x)
    return x


@declare("nn.Decorator", "nn.DontCast", "nn.NaN", "nn.WeightNorm", "nn.GPU", "nn.Profile")
def decorator(m, g, x, s):
    # WeightNorm: the traced forward has just written g * v / |v| into the inner module's weight
    return s.emit(m.modules[0], 0, x)


@declare("nn.Concat")
def concat(m, g, x, s):
    return g.cat([s.emit(c, i, x) for i, c in enumerate(m.modules)], m.dimension)


@declare("nn.DepthConcat")
def depth_concat(m, g, x, s):
    """Children's outputs centred (zero padding) in the largest size, then concatenated."""
    d = m.dimension
    outs = []
    big = s.xout.size()
    for i, c in enumerate(m.modules):
        y = s.emit(c, i, x)
        size = s.ctx.shapes[id(c)][1].size()
        pads = []
        for k, n in enumerate(big):
            extra = 0 if k == d else n - size[k]
            pads.append((extra // 2, extra - extra // 2))
        outs.append(g.pad(y, pads) if any(p != (0, 0) for p in pads) else y)
    return g.cat(outs, d)


@declare("nn.Parallel")
def parallel(m, g, x, s):
    n = s.xin.size(m.inputDimension)
    return g.cat([s.emit(m.modules[i], i, g.select(x, m.inputDimension, i)) for i in range(n)], m.outputDimension)


@declare("nn.ConcatTable")
def concat_table(m, g, x, s):
    return [s.emit(c, i, x) for i, c in enumerate(m.modules)]


@declare("nn.ParallelTable")
def parallel_table(m, g, x, s):
    return [s.emit(c, i, v) for (i, c), v in zip(enumerate(m.modules), x)]


@declare("nn.MapTable")
def map_table(m, g, x, s):
    # the clones share the first module's parameters: one PyTorch layer applied to every entry
    return [s.emit(m.modules[0], 0, v) for v in x]


@declare("nn.Bottle")
def bottle(m, g, x, s):
    """Leading dims folded into one batch dim around the inner module, then unfolded."""
    size = s.sizes(s.xin)
    n_in = m.nInputDim
    if len(size) <= n_in:
        return s.emit(m.modules[0], 0, x)
    lead = len(size) - n_in + 1
    folded = g.reshape(x, [-1] + size[lead:])
    y = s.emit(m.modules[0], 0, folded)
    out = s.sizes(s.xout)
    return g.reshape(y, out)


@declare("nn.gModule")
def gmodule(m, g, x, s):
    """The nodes in Torch7's forward order; a node's input is its parents' outputs (a table
    when several), ``selectindex`` nodes pick one entry of a table output."""
    from ...nngraph import mapindex_list
    vals = {}
    out = None
    names = {id(c): i for i, c in enumerate(m.modules)}
    for node in m.forwardnodes:
        d = node.data
        if d is m.innode.data:
            v = x
        else:
            xs = [vals[id(e)] for e in mapindex_list(d)]
            v = xs[0] if len(xs) == 1 else xs
        mod = d.get("module")
        if d.get("selectindex") is not None:
            out = v[d["selectindex"] - 1]
        elif mod is not None:
            out = s.emit(mod, names[id(mod)], v)
        else:
            out = v
        vals[id(d)] = out
    return out
