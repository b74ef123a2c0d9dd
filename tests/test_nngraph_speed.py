"""The gModule's planned walk (its wiring resolved once, bench/bench_legacy.lua's LSTM) against the
node-by-node walk it replaces: the same outputs, gradInputs and gradients bit for bit (float and
double), the same inputs/gradOutputs left on the nodes, the same errors."""
import numpy as np
import pytest

import pytorch_lite as torch
from pytorch_lite import nn
from pytorch_lite.errors import TorchValueError
from pytorch_lite.nngraph import gmodule

V, H, B = 7, 5, 3


def lstm_cell(layers=2):
    """char-rnn's LSTM: inputs x, (c, h) per layer; outputs (c, h) per layer, log-probabilities."""
    inputs = [nn.Identity()()]
    for _ in range(layers):
        inputs += [nn.Identity()(), nn.Identity()()]
    x, outs = inputs[0], []
    for l in range(layers):
        pc, ph = inputs[1 + 2 * l], inputs[2 + 2 * l]
        sums = nn.CAddTable()([nn.Linear(V if l == 0 else H, 4 * H)(x), nn.Linear(H, 4 * H)(ph)])
        g1, g2, g3, g4 = nn.SplitTable(1)(nn.Reshape(4, H)(sums)).split(4)
        i, f, o, tr = nn.Sigmoid()(g1), nn.Sigmoid()(g2), nn.Sigmoid()(g3), nn.Tanh()(g4)
        c = nn.CAddTable()([nn.CMulTable()([f, pc]), nn.CMulTable()([i, tr])])
        h = nn.CMulTable()([o, nn.Tanh()(c)])
        outs += [c, h]
        x = h
    outs.append(nn.LogSoftMax()(nn.Linear(H, V)(x)))
    return nn.gModule(inputs, outs)


def nested_graph():
    """A split feeding an output directly, a node used twice, a gModule inside a gModule."""
    x, y = nn.Identity()(), nn.Identity()()
    h = nn.Tanh()(nn.Linear(4, 6)(x))
    a, b = nn.SplitTable(0)(nn.Reshape(2, 3)(h)).split(2)
    inner_in = nn.Identity()()
    inner = nn.gModule([inner_in], [nn.Sigmoid()(nn.Linear(3, 3)(inner_in))])
    s = nn.CMulTable()([a, inner(nn.Linear(2, 3)(y))])
    return nn.gModule([x, y], [nn.CAddTable()([s, b]), nn.Sigmoid()(h), b])


def snapshot(g, out, gi):
    flat = []

    def add(v):
        if isinstance(v, (list, tuple)):
            for e in v:
                add(e)
        else:
            flat.append(v._a.copy())
    add(out)
    add(gi)
    add(g.parameters()[1])
    wiring = []
    for n in g.forwardnodes:      # what the walk leaves on the nodes (nngraph's data.input)
        ins = n.data.get("input", [])
        wiring.append(len(ins))
        add(ins)
    for n in g.backwardnodes:
        wiring.append(len(n.data.get("gradOutput", [])))
    return flat, wiring


def run(g, inputs, grads):
    g.zeroGradParameters()
    out = g.forward(inputs)
    gi = g.backward(inputs, grads, 0.5)
    return snapshot(g, out, gi)


def same(a, b):
    assert a[1] == b[1]
    assert len(a[0]) == len(b[0])
    for x, y in zip(a[0], b[0]):
        assert x.dtype == y.dtype and np.array_equal(x, y)


def cases(dtype):
    torch.manualSeed(5)
    cell = lstm_cell().type(dtype)
    T = torch.TENSOR_TYPES[dtype]
    xs = [T(B, V).uniform(-1, 1)] + [T(B, H).uniform(-1, 1) for _ in range(4)]
    gs = [T(B, H).uniform(-1, 1) for _ in range(4)] + [T(B, V).uniform(-1, 1)]
    g2 = nested_graph().type(dtype)
    return [(cell, xs, gs), (g2, [T(4).uniform(-1, 1), T(2).uniform(-1, 1)],
                             [T(3).uniform(-1, 1), T(6).uniform(-1, 1), T(3).uniform(-1, 1)])]


@pytest.mark.parametrize("dtype", ["torch.DoubleTensor", "torch.FloatTensor"])
def test_planned_walk_equals_node_walk(dtype, monkeypatch):
    for g, xs, gs in cases(dtype):
        planned = run(g, xs, gs)
        assert gmodule._plan(g) is not None
        with monkeypatch.context() as m:
            m.setattr(gmodule, "_plan", lambda g: None)
            by_nodes = run(g, xs, gs)
        same(planned, by_nodes)
        same(run(g, xs, gs), planned)   # and again: the plan is reused, the state reset


@pytest.mark.parametrize("dtype", ["torch.DoubleTensor", "torch.FloatTensor"])
def test_shared_clones_get_their_own_plan(dtype):
    # char-rnn's clones (t7 round trip, weights shared) run their own wiring, not the proto's
    g, xs, gs = cases(dtype)[0]
    c = g.clone("weight", "bias", "gradWeight", "gradBias")
    ref = run(g, xs, gs)
    got = run(c, xs, gs)
    assert gmodule._plan(c) is not gmodule._plan(g)
    for x, y in zip(ref[0], got[0]):
        assert np.array_equal(x, y)


def test_verbose_and_errors_match_the_node_walk(monkeypatch, capsys):
    g, xs, gs = cases("torch.DoubleTensor")[0]
    msgs = []
    for plan in (True, False):
        with monkeypatch.context() as m:
            if not plan:
                m.setattr(gmodule, "_plan", lambda g: None)
            for bad in (xs[:3], xs[0]):
                with pytest.raises(TorchValueError) as e:
                    g.forward(bad)
                msgs.append(str(e.value))
            g.forward(xs)
            with pytest.raises(TorchValueError) as e:
                g.backward(xs, gs[:2])
            msgs.append(str(e.value))
    assert msgs[:3] == msgs[3:]
    g.verbose = True          # verbose: the node walk, printing each node
    g.forward(xs)
    assert capsys.readouterr().out.count(" V : ") == len(g.forwardnodes)


def test_graph_without_plan_runs_node_by_node(monkeypatch):
    # a graph the plan does not cover (here: forced) runs the node walk every time, and a new
    # node list (as reading a t7 file makes) gets a fresh plan
    g, xs, gs = cases("torch.DoubleTensor")[0]
    ref = run(g, xs, gs)
    gmodule._PLANS.pop(g, None)
    monkeypatch.setattr(gmodule, "_build_plan", lambda g, key: None)
    for _ in range(2):
        same(run(g, xs, gs), ref)
        assert gmodule._plan(g) is None
    monkeypatch.undo()
    assert gmodule._plan(g) is None          # the answer is kept while the node lists are the same
    g.forwardnodes = list(g.forwardnodes)
    assert gmodule._plan(g) is not None
    same(run(g, xs, gs), ref)
