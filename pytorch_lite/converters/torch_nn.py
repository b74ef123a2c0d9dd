"""PyTorch modules for the Torch7 layers PyTorch has no direct equivalent of (tables, fixed
reshapes, graphs).  Saved .pt models refer to these classes, so loading one needs
``pytorch_lite.converters.torch_nn`` importable (only PyTorch is needed at run time)."""
import torch


class Reshape(torch.nn.Module):
    def __init__(self, shape):
        super().__init__()
        self.shape = tuple(shape)

    def forward(self, x):
        return x.reshape(self.shape)


class Table(torch.nn.Module):
    """A table op: 'add', 'mul', 'sub', 'div' elementwise over a list; 'split' (unbind along dim);
    'join' (cat along dim)."""

    def __init__(self, op, dim=0):
        super().__init__()
        self.op = op
        self.dim = dim

    def forward(self, x):
        if self.op == "split":
            return list(torch.unbind(x, self.dim))
        if self.op == "join":
            return torch.cat(list(x), self.dim)
        out = x[0]
        for t in x[1:]:
            if self.op == "add":
                out = out + t
            elif self.op == "mul":
                out = out * t
            elif self.op == "sub":
                out = out - t
            else:
                out = out / t
        return out


class Narrow(torch.nn.Module):
    def __init__(self, dim, start, length):
        super().__init__()
        self.dim, self.start, self.length = dim, start, length

    def forward(self, x):
        return x.narrow(self.dim, self.start, self.length)


class Select(torch.nn.Module):
    def __init__(self, dim, index):
        super().__init__()
        self.dim, self.index = dim, index

    def forward(self, x):
        return x.select(self.dim, self.index)


class Affine(torch.nn.Module):
    """x * scale + shift (MulConstant, AddConstant)."""

    def __init__(self, scale=1.0, shift=0.0):
        super().__init__()
        self.scale, self.shift = scale, shift

    def forward(self, x):
        return x * self.scale + self.shift


class Threshold(torch.nn.Module):
    """Torch7's Threshold: x where x > threshold, else value."""

    def __init__(self, threshold, value):
        super().__init__()
        self.threshold, self.value = threshold, value

    def forward(self, x):
        return torch.where(x > self.threshold, x, torch.full_like(x, self.value))


class Unbatched(torch.nn.Module):
    """Runs a batch-only layer on one sample: adds and removes the batch dimension."""

    def __init__(self, inner):
        super().__init__()
        self.inner = inner

    def forward(self, x):
        return self.inner(x.unsqueeze(0)).squeeze(0)


class Apply(torch.nn.Module):
    """The i-th child on the i-th element of a table (ParallelTable), or every child on the same
    input (ConcatTable: mode 'concat')."""

    def __init__(self, mods, mode):
        super().__init__()
        for i, m in enumerate(mods):
            self.add_module(str(i), m)
        self.mode = mode

    def forward(self, x):
        mods = list(self.children())
        if self.mode == "concat":
            return [m(x) for m in mods]
        return [m(v) for m, v in zip(mods, x)]


class Graph(torch.nn.Module):
    """An nngraph gModule: ``plan`` lists the forward nodes in Torch7's order as
    (child name or None, input node positions, selectindex or None, is the input node)."""

    def __init__(self, mods, plan, n_inputs, n_outputs):
        super().__init__()
        for name, m in mods:
            self.add_module(name, m)
        self.plan = plan
        self.n_inputs = n_inputs
        self.n_outputs = n_outputs

    def forward(self, *inputs):
        x0 = inputs[0] if len(inputs) == 1 else list(inputs)
        if self.n_inputs > 1 and len(inputs) == 1:
            x0 = list(inputs[0])
        vals = []
        out = None
        for name, ins, sel, is_in in self.plan:
            if is_in:
                x = x0
            else:
                xs = [vals[i] for i in ins]
                x = xs[0] if len(xs) == 1 else xs
            if sel is not None:
                out = x[sel - 1]
            elif name is not None:
                out = getattr(self, name)(x)
            else:
                out = x
            vals.append(out)
        return out


class Unary(torch.nn.Module):
    """An elementwise function by name: abs, exp, log, sqrt, square."""

    def __init__(self, op):
        super().__init__()
        self.op = op

    def forward(self, x):
        return x * x if self.op == "square" else getattr(torch, self.op)(x)


class Embedding(torch.nn.Embedding):
    """Torch7's LookupTable: rows of the weight picked by 0-based indices (any numeric dtype;
    cast to int64), a vector or a batch matrix; state_dict key ``weight`` as in nn.Embedding."""

    def forward(self, x):
        return super().forward(x.long())
