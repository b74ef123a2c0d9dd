"""A gModule's planned walks (pytorch_lite/nngraph/gmodule.py), compiled.

The same steps as gmodule's node-by-node walk, over the flat wiring its plan works out once
(gmodule._pull_forward / _pull_backward say what each step holds).  Nothing here is numeric: it
is the bookkeeping between the modules (each node's data.input / data.gradOutput lists, which
output goes where), which in Python cost as much as a small module's arithmetic.  The modules
are called as Python does, by attribute, so methods replaced from Lua still win.
"""
from pytorch_lite.errors import TorchValueError


cdef inline object module_input(object xs):
    """What a node's module gets from its input list: up to the first hole, a lone input
    unwrapped (nngraph's unpack of a one-element table), a fresh list otherwise."""
    if xs is None:
        return []
    cdef list x = xs if type(xs) is list else list(xs)
    cdef Py_ssize_t i, n = len(x)
    for i in range(n):
        if x[i] is None:
            n = i
            break
    if n == 1:
        return x[0]
    return x[:n]


cdef inline list node_list(dict d, str key):
    """d[key] as a list, a fresh one put there when it is not."""
    v = d.get(key)
    if type(v) is list:
        return <list>v
    cdef list fresh = []
    d[key] = fresh
    return fresh


cdef inline void set_one(list x, v):
    if len(x) == 1:
        x[0] = v
    else:
        x[:] = (v,)


def forward(list steps, input, func):
    """Run the forward steps (data, src, sel, n_split): src an int (one input, that step's
    output), a tuple of ints, or a str (the gModule's input table)."""
    cdef list outs = []
    cdef list x
    cdef dict d
    cdef tuple step
    for step in steps:
        d = <dict>step[0]
        src, sel, n_split = step[1], step[2], step[3]
        x = node_list(d, "input")
        if type(src) is int:
            v = outs[<Py_ssize_t>src]
            set_one(x, v)
            if sel is not None:
                if not isinstance(v, (list, tuple)):
                    raise TorchValueError("nn.gModule: the input for a split should be a table")
                outs.append(v[sel - 1])
                continue
            if v is None:
                v = []
        else:
            if type(src) is str:
                x[:] = input
            else:
                x[:] = [outs[<Py_ssize_t>i] for i in <tuple>src]
            if sel is not None:
                if len(x) != 1 or not isinstance(x[0], (list, tuple)):
                    raise TorchValueError("nn.gModule: the input for a split should be a table")
                outs.append(x[0][sel - 1])
                continue
            v = module_input(x)
        module = d.get("module")
        if module is None:
            out = v
        elif func is None:
            out = module.updateOutput(v)
        else:
            out = func(module, v)
        if n_split is not None and n_split != len(out):
            raise TorchValueError("split(%d) cannot split %d outputs" % (n_split, len(out)))
        outs.append(out)


def backward(list steps, gradOutput, total_grad_output):
    """Run the backward steps (data, src, sel): src None (the gModule's gradOutput), a tuple of
    (step, k) pairs (that step's gradInput, or its k-th entry), or ("split", n, pairs)."""
    cdef list res = []     # per step: its gradInput (a split node: its gradOutput)
    cdef list go, table
    cdef dict d
    cdef tuple step, pairs
    cdef Py_ssize_t i
    for step in steps:
        d = <dict>step[0]
        src, sel = step[1], step[2]
        go = node_list(d, "gradOutput")
        if src is None:
            set_one(go, gradOutput)
        else:
            pairs = <tuple>src
            if len(pairs) == 1:             # one consumer (most nodes)
                i, k = pairs[0]
                set_one(go, res[i] if k is None else res[i][k])
            elif pairs[0] == "split":
                table = [None] * <Py_ssize_t>pairs[1]
                for i, k in pairs[2]:
                    table[k] = res[i]
                while table and table[len(table) - 1] is None:
                    table.pop()
                go[:] = (table,)
            else:
                go[:] = [res[i] if k is None else res[i][k] for i, k in pairs]
        g = go[0] if len(go) == 1 else total_grad_output(d, go)
        if sel is not None:
            res.append(g)
            continue
        module = d.get("module")
        if module is None:
            res.append(g)
            continue
        x = d.get("input")
        if type(x) is list and len(<list>x) == 1 and (<list>x)[0] is not None:
            res.append(module.updateGradInput((<list>x)[0], g))
        else:
            res.append(module.updateGradInput(module_input(x), g))


def acc(list bdata, scale, grad_output_given):
    """accGradParameters of every backward node's module, with what updateGradInput got."""
    cdef dict d
    for d in bdata:
        module = d.get("module")
        if module is None:
            continue
        go = d["gradOutput"]
        x = d.get("input")
        if type(x) is list and len(<list>x) == 1 and (<list>x)[0] is not None:
            x = (<list>x)[0]
        else:
            x = module_input(x)
        module.accGradParameters(x, go[0] if len(go) == 1 else grad_output_given(d), scale)
