"""Table modules: elementwise over a table, joins and splits, table plumbing, products and
distances between the entries of a table."""
from ..declare import declare


def _fold(op):
    def fn(m, g, x, s):
        y = x[0]
        for v in x[1:]:
            y = getattr(g, op)(y, v)
        return y
    return fn


declare("nn.CAddTable")(_fold("add"))
declare("nn.CSubTable")(_fold("sub"))
declare("nn.CMulTable")(_fold("mul"))
declare("nn.CDivTable")(_fold("div"))
declare("nn.CMaxTable")(_fold("maximum"))
declare("nn.CMinTable")(_fold("minimum"))


@declare("nn.JoinTable")
def join_table(m, g, x, s):
    return g.cat(list(x), m._dim(s.xin))


@declare("nn.SplitTable")
def split_table(m, g, x, s):
    d = m._dim(s.xin)
    if s.ctx.dynamic and s.xin.dyn[d]:
        from ..declare import NotDynamic
        raise NotDynamic()
    return g.unbind(x, d, s.xin.size(d))


@declare("nn.SelectTable")
def select_table(m, g, x, s):
    return x[m._i(x)]


@declare("nn.NarrowTable")
def narrow_table(m, g, x, s):
    return list(x[m.offset:m.offset + m.length])


@declare("nn.FlattenTable")
def flatten_table(m, g, x, s):
    out = []

    def walk(v):
        if isinstance(v, list):
            for e in v:
                walk(e)
        else:
            out.append(v)
    walk(x)
    return out


@declare("nn.ZipTable")
def zip_table(m, g, x, s):
    return [[t[i] for t in x] for i in range(len(x[0]))]


@declare("nn.ZipTableOneToMany")
def zip_table_one_to_many(m, g, x, s):
    return [[x[0], t] for t in x[1]]


@declare("nn.CAddTensorTable")
def cadd_tensor_table(m, g, x, s):
    return [g.add(t, x[0]) for t in x[1]]


@declare("nn.Index")
def index(m, g, x, s):
    return g.index_select(x[0], m.dimension, x[1])


@declare("nn.MM")
def mm(m, g, x, s):
    a, b = x
    n = s.xin[0].dim()
    swap = list(range(n - 2)) + [n - 1, n - 2]
    return g.matmul(g.permute(a, swap) if m.transA else a, g.permute(b, swap) if m.transB else b)


@declare("nn.MV")
def mv(m, g, x, s):
    a, v = x
    n = s.xin[0].dim()
    if m.trans:
        a = g.permute(a, list(range(n - 2)) + [n - 1, n - 2])
    return g.squeeze(g.matmul(a, g.unsqueeze(v, n - 1)), n - 1)


def _rows(g, s, v, shape):
    return g.reshape(v, [1, -1]) if shape.dim() == 1 else v


@declare("nn.DotProduct")
def dot_product(m, g, x, s):
    return g.reduce("sum", g.mul(x[0], x[1]), [s.xin[0].dim() - 1], False)


@declare("nn.CosineDistance")
def cosine_distance(m, g, x, s):
    eps = 1e-12
    a, b = _rows(g, s, x[0], s.xin[0]), _rows(g, s, x[1], s.xin[0])
    dot = g.reduce("sum", g.mul(a, b), [1], False)
    na = g.add(g.reduce("sum", g.mul(a, a), [1], False), eps)
    nb = g.add(g.reduce("sum", g.mul(b, b), [1], False), eps)
    return g.mul(dot, g.unary("sqrt", g.unary("reciprocal", g.mul(na, nb))))


@declare("nn.PairwiseDistance")
def pairwise_distance(m, g, x, s):
    d = g.unary("abs", g.sub(_rows(g, s, x[0], s.xin[0]), _rows(g, s, x[1], s.xin[0])))
    p = m.norm
    if p == 1:
        return g.reduce("sum", d, [1], False)
    return g.pow(g.reduce("sum", g.pow(d, float(p)), [1], False), 1.0 / p)


@declare("nn.MixtureTable")
def mixture_table(m, g, x, s):
    """sum_i gater_i * expert_i (experts a table, or a tensor with the experts along dim)."""
    gater, experts = x
    batch = s.xin[0].dim() == 2
    if isinstance(experts, list):
        out = None
        for i, e in enumerate(experts):
            gi = g.narrow(gater, s.xin[0].dim() - 1, i, 1)
            ed = s.xin[1][i].dim()
            if batch:
                gi = g.reshape(gi, [-1] + [1] * (ed - 1))
            term = g.mul(e, gi)
            out = term if out is None else g.add(out, term)
        return out
    d = m.dim if m.dim is not None else (1 if batch else 0)
    ed = s.xin[1].dim()
    shape = [1] * ed
    if batch:
        shape[0] = -1
    shape[d] = s.xin[0].size()[-1]
    return g.reduce("sum", g.mul(experts, g.reshape(gater, shape)), [d], False)


@declare("nngraph.JustElement")
def just_element(m, g, x, s):
    return x[0]


@declare("nngraph.JustTable")
def just_table(m, g, x, s):
    return x if isinstance(x, list) else [x]
