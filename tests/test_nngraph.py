"""nngraph: Torch7's gModule files load, run and round-trip; graphs built here match Torch7's
script outputs and PyTorch autograd, and save with Torch7's layout."""
import io
import os

import shutil

import numpy as np
import pytest

import pytorch_lite as torch
import fixture_paths
from pytorch_lite import nn, nngraph
from pytorch_lite.errors import TorchError
from lua_compat import Runtime

FIX = fixture_paths.SHARED
PUB = FIX + "/public"
GMODULES = ["luatorch-onnx-convert/test__data__model2.t7", "luatorch-onnx-convert/test__data__model3.t7",
            "luatorch-onnx-convert/test__data__model5.t7",
            "python-torchfile/testfiles_x86_64__gmodule_with_linear_identity.t7"]
needs = pytest.mark.skipif(not os.path.isdir(PUB), reason="fixtures not present")


def clone_out(o):
    return [clone_out(v) for v in o] if isinstance(o, list) else o.clone()


def assert_close(a, b, tol=1e-12):
    if isinstance(b, list):
        assert isinstance(a, list) and len(a) == len(b)
        for x, y in zip(a, b):
            assert_close(x, y, tol)
        return
    np.testing.assert_allclose(a._a, b._a, rtol=tol, atol=tol)


@needs
@pytest.mark.parametrize("name", GMODULES[:3])
def test_fixture_forward_reproduces_torch7_output(name):
    g = torch.load(os.path.join(PUB, name))
    assert isinstance(g, nn.gModule)
    stored = clone_out(g.output)
    x = list(g.innode.data["input"])
    out = g.forward(x[0] if len(x) == 1 else x)
    assert_close(out, stored)


@needs
@pytest.mark.parametrize("name", GMODULES + ["python-torchfile/testfiles_x86_64__nngraph_node.t7"])
def test_fixture_rewrites_byte_for_byte(name):
    raw = open(os.path.join(PUB, name), "rb").read()
    assert torch.serialize(torch.deserialize(raw)) == raw


@needs
def test_fixture_layout_and_nested_gmodule():
    g = torch.load(PUB + "/luatorch-onnx-convert/test__data__model5.t7")
    assert isinstance(g.innode, nngraph.Node) and isinstance(g.fg, nngraph.Graph)
    assert [type(m).__name__ for m in g.modules] == ["Identity", "Identity", "CMulTable", "gModule"]
    inner = g.modules[3]
    assert isinstance(inner.fg.edges[0], nngraph.Edge)
    assert len(g.forwardnodes) == len(g.fg.nodes)
    assert sorted(n.id for n in g.fg.nodes) == list(range(1, len(g.fg.nodes) + 1))


@needs
def test_gmodule_with_linear_identity_against_numpy():
    g = torch.load(PUB + "/python-torchfile/testfiles_x86_64__gmodule_with_linear_identity.t7")
    lin = [m for m in g.modules if type(m).__name__ == "Linear"][0]
    a, b = torch.Tensor([0.7]), torch.Tensor([0.25, -1.5])
    out = g.forward([a, b])
    # the graph adds the Linear's output to the second input (in some order): check the sum
    ref = lin.weight._a @ a._a + lin.bias._a + b._a
    np.testing.assert_allclose(out._a, ref, rtol=1e-12)


@needs
def test_fixture_lstm_backward_against_finite_differences():
    g = torch.load(PUB + "/luatorch-onnx-convert/test__data__model3.t7")
    x = [t.clone() for t in g.innode.data["input"]]
    torch.manualSeed(0)
    gos = [torch.randn(*o.size()) for o in g.forward(x)]
    gi = g.backward(x, gos)
    gi = [t.clone() for t in gi]

    def f():
        return sum(float((o._a * go._a).sum()) for o, go in zip(g.forward(x), gos))
    eps = 1e-6
    for k in range(3):
        flat = x[k]._a.reshape(-1)
        num = np.zeros(flat.size)
        for j in range(flat.size):
            old = flat[j]
            flat[j] = old + eps
            fp = f()
            flat[j] = old - eps
            num[j] = (fp - f()) / (2 * eps)
            flat[j] = old
        np.testing.assert_allclose(gi[k]._a.reshape(-1), num, rtol=1e-5, atol=1e-7)


def test_torch7_script_08_nngraph_mlp():
    """tests/../fixtures/torch7/scripts/08_nngraph_mlp.lua, line for line (Torch7's printed values)."""
    optim = pytest.importorskip("pytorch_lite.optim")
    torch.manualSeed(42)
    xa, xb = nn.Identity()(), nn.Identity()()
    ha = nn.Tanh()(nn.Linear(3, 6)(xa))
    hb = nn.Tanh()(nn.Linear(2, 6)(xb))
    h = nn.CAddTable()([ha, hb])
    h2 = nn.ReLU()(nn.Linear(6, 6)(h))
    skip = nn.CAddTable()([h, h2])
    g = nn.gModule([xa, xb], [nn.LogSoftMax()(nn.Linear(6, 2)(skip))])
    N = 40
    A, B = torch.randn(N, 3), torch.randn(N, 2)
    T = torch.Tensor(N)
    for i in range(N):
        T[i] = 0 if A[i].sum() * B[i][0] > 0 else 1   # 0-based class labels
    crit = nn.ClassNLLCriterion()
    params, grads = g.getParameters()
    assert params.nElement() == 98
    assert sum(type(n.data.get("module")).__name__ == "Linear" for n in g.forwardnodes) == 4
    expected = {10: 0.6282265674, 20: 0.5736826022, 30: 0.4935304724, 40: 0.3455911167,
                50: 0.2282859468, 60: 0.1615512}
    state, config = {}, {"learningRate": 0.02}
    for epoch in range(1, 61):
        def feval(p):
            grads.zero()
            o = g.forward([A, B])
            loss = crit.forward(o, T)
            g.backward([A, B], crit.backward(o, T))
            return loss, grads
        _, fs = optim.adam(feval, params, config, state)
        if epoch in expected:
            assert float("%.10g" % fs[0]) == pytest.approx(expected[epoch], rel=1e-9)
    _, pred = g.forward([A, B]).max(1)
    assert float((pred.view(N).double().eq(T)).sum()) / N == 0.95
    x = nn.Identity()()
    l1 = nn.Linear(4, 3)(x)
    g2 = nn.gModule([x], [nn.Sigmoid()(l1), nn.Tanh()(l1)])
    outs = g2.forward(torch.Tensor([0.5, -1, 2, 0]))
    assert len(outs) == 2
    np.testing.assert_allclose(outs[0]._a, [0.6463, 0.2832, 0.7668], atol=5e-5)
    np.testing.assert_allclose(outs[1]._a, [0.5391, -0.7299, 0.8307], atol=5e-5)
    gi = g2.backward(torch.Tensor([0.5, -1, 2, 0]), [torch.ones(3), torch.ones(3)])
    np.testing.assert_allclose(gi._a, [-0.3874, -0.0497, 0.3823, 0.1726], atol=5e-5)


def _graph_with_split():
    x, y = nn.Identity()(), nn.Identity()()
    h = nn.Tanh()(nn.Linear(4, 6)(x))
    a, b = nn.SplitTable(0)(nn.Reshape(2, 3)(h)).split(2)
    s = nn.CMulTable()([a, nn.Linear(2, 3)(y)])
    out1 = nn.CAddTable()([s, b])
    out2 = nn.Sigmoid()(h)     # h feeds two nodes: gradients are summed
    return nn.gModule([x, y], [out1, out2])


def test_built_graph_backward_against_pytorch():
    tt = pytest.importorskip("torch")
    torch.manualSeed(3)
    g = _graph_with_split()
    x, y = torch.randn(4), torch.randn(2)
    outs = g.forward([x, y])
    go = [torch.randn(3), torch.randn(6)]
    g.zeroGradParameters()
    gi = g.backward([x, y], go)
    l1, l2 = [m for m in g.modules if type(m).__name__ == "Linear"]
    X = tt.tensor(x._a, requires_grad=True)
    Y = tt.tensor(y._a, requires_grad=True)
    W1 = tt.tensor(l1.weight._a, requires_grad=True)
    W2 = tt.tensor(l2.weight._a, requires_grad=True)
    H = tt.tanh(W1 @ X + tt.tensor(l1.bias._a))
    R = H.view(2, 3)
    O1 = R[0] * (W2 @ Y + tt.tensor(l2.bias._a)) + R[1]
    O2 = tt.sigmoid(H)
    np.testing.assert_allclose(outs[0]._a, O1.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(outs[1]._a, O2.detach().numpy(), rtol=1e-12)
    (O1 * tt.tensor(go[0]._a)).sum().add((O2 * tt.tensor(go[1]._a)).sum()).backward()
    np.testing.assert_allclose(gi[0]._a, X.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(gi[1]._a, Y.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(l1.gradWeight._a, W1.grad.numpy(), rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(l2.gradWeight._a, W2.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_built_graph_saves_with_torch7_layout(tmp_path):
    torch.manualSeed(5)
    g = _graph_with_split()
    x, y = torch.randn(4), torch.randn(2)
    ref = clone_out(g.forward([x, y]))
    p = str(tmp_path / "g.t7")
    torch.save(p, g)
    raw = torch.load(p, use_registry=False) if "use_registry" in torch.load.__code__.co_varnames else None
    if raw is not None:
        assert raw.typename == "nn.gModule"
        for f in ("fg", "bg", "innode", "outnode", "forwardnodes", "backwardnodes", "modules", "nInputs"):
            assert f in raw.fields
        assert raw.fields["innode"].typename == "nngraph.Node"
        assert raw.fields["fg"].typename == "graph.Graph"
        nodes = raw.fields["fg"].fields["nodes"]
        assert nodes[1].typename == "nngraph.Node" and any(not isinstance(k, int) for k in nodes)
    g2 = torch.load(p)
    assert_close(g2.forward([x, y]), ref)
    assert [n.id for n in g2.forwardnodes] == [n.id for n in g.forwardnodes]
    assert torch.serialize(g2) == torch.serialize(torch.load(p))


def test_forward_order_is_torch7_topsort():
    x = nn.Identity()()
    a = nn.Tanh()(x)
    b = nn.Sigmoid()(x)
    g = nn.gModule([x], [nn.CAddTable()([a, b])])
    names = [type(n.data["module"]).__name__ if n.data.get("module") else "-" for n in g.forwardnodes]
    # innode, Identity, then the inputs of CAddTable depth first from the output, then the output node
    assert names[0] == "-" and names[1] == "Identity" and names[-2:] == ["CAddTable", "-"]
    assert set(names[2:4]) == {"Tanh", "Sigmoid"}
    assert [n.data.get("forwardNodeId") for n in g.forwardnodes] == [n.id for n in g.forwardnodes]


def test_parameters_clone_share_and_type():
    torch.manualSeed(1)
    x = nn.Identity()()
    g = nn.gModule([x], [nn.Linear(3, 2)(nn.Tanh()(nn.Linear(4, 3)(x)))])
    p, gp = g.parameters()
    assert [t.nElement() for t in p] == [12, 3, 6, 2]
    flat, _ = g.getParameters()
    assert flat.nElement() == 23
    c = g.clone("weight", "bias")
    c.modules[1].weight.fill(0.5)
    assert float(g.modules[1].weight[0][0]) == 0.5
    d = g.clone()
    d.modules[1].weight.fill(2)
    assert float(g.modules[1].weight[0][0]) == 0.5
    inp = torch.randn(4)
    np.testing.assert_allclose(d.forward(inp)._a, d.clone().forward(inp)._a)
    f = g.float()
    assert f.modules[1].weight.typename == "torch.FloatTensor"
    assert f.forward(inp.float()).typename == "torch.FloatTensor"
    g.clearState()


def test_annotations_and_dot(tmp_path):
    x = nn.Identity()().annotate(name="input", description="the data")
    h = nn.Tanh()(x).annotate({"name": "hidden", "graphAttributes": {"color": "red"}})
    g = nn.gModule([x], [h])
    text = g.todot("my net")
    assert text.startswith("digraph G {") and 'label="my net"' in text
    # Graph:todot's own text: dot ids made only of letters stay unquoted, a node's attributes
    # follow its label sorted by name
    assert "hidden (" in text and "desc = the data" in text
    assert ' color=red tooltip="' in text
    assert text.count("->") == len(g.fg.edges)
    paths = nngraph.dot(g.fg, "t", str(tmp_path / "g"))
    if shutil.which("dot"):   # laid out by Graphviz, as Torch7's graph.dot writes it
        laid = open(paths[0]).read()
        assert "pos=" in laid and "color=red" in laid and paths[1].endswith(".svg")
    else:
        assert open(paths[0]).read() == g.todot("t")


def test_split_of_one_and_bad_graphs():
    x = nn.Identity()()
    only = nn.SplitTable(0)(x).split(1)       # split(1): a JustElement node
    g = nn.gModule([x], [nn.Tanh()(only)])
    t = torch.randn(1, 3)
    np.testing.assert_allclose(g.forward(t)._a, np.tanh(t._a[0]))
    x = nn.Identity()()
    a, b, c = nn.SplitTable(0)(x).split(3)
    with pytest.raises(TorchError, match="unused"):
        nn.gModule([x], [nn.CAddTable()([a, b])])
    x = nn.Identity()()
    h = nn.Tanh()(x)
    nn.Sigmoid()(h)        # dangling: never reaches the output
    with pytest.raises(TorchError, match="does not connect"):
        nn.gModule([x], [nn.ReLU()(h)])
    with pytest.raises(TorchError, match="inputs"):
        nn.Tanh()([x, 3])
    with pytest.raises(TorchError, match="twice"):
        nn.CAddTable()([x, x])
    x, y = nn.Identity()(), nn.Identity()()
    g = nn.gModule([x, y], [nn.CAddTable()([x, y])])
    with pytest.raises(TorchError, match="inputs"):
        g.forward([torch.randn(2)])
    with pytest.raises(TorchError, match="table of 2 inputs"):
        g.forward(torch.randn(2))


class _ZeroGrad(nn.Module):
    """Passes its input on; its gradInput is one zero expanded over the input (no storage of its
    own size), which nngraph does not add into the sum of a node's gradOutputs."""

    def updateOutput(self, input):
        self.output = input.clone()
        return self.output

    def updateGradInput(self, input, gradOutput):
        self.gradInput = torch.Tensor([0]).view(*([1] * input.dim())).expandAs(input)
        return self.gradInput


def test_parameters_behind_a_skipped_zero_gradient_get_the_live_one():
    torch.manualSeed(3)
    x = nn.Identity()()
    lin = nn.Linear(3, 2)
    h = lin(x)
    g = nn.gModule([x], [nn.CAddTable()([_ZeroGrad()(h), nn.Tanh()(h)])])
    inp, go = torch.randn(3), torch.randn(2)
    g.zeroGradParameters()
    g.forward(inp)
    g.backward(inp, go)
    w, b, xa = lin.weight._a, lin.bias._a, inp._a
    glin = go._a * (1 - np.tanh(w @ xa + b) ** 2)     # the zero branch adds nothing
    np.testing.assert_allclose(lin.gradWeight._a, np.outer(glin, xa), rtol=1e-12)
    np.testing.assert_allclose(lin.gradBias._a, glin, rtol=1e-12)
    np.testing.assert_allclose(g.gradInput._a, w.T @ glin, rtol=1e-12)


def test_calling_a_module_on_an_empty_table_is_refused():
    # nngraph refuses m({}) (a table of typo'd, nil inputs would otherwise run forward silently)
    with pytest.raises(TorchError, match="cannot pass an empty table of inputs"):
        nn.Identity()([])
    with pytest.raises(TorchError, match="cannot pass an empty table of inputs"):
        nn.CAddTable()(())


def test_calling_a_module_on_an_empty_lua_table_is_refused():
    ok, err = Runtime(stdout=io.StringIO()).execute(
        "require 'nngraph' local x = nn.Identity()() "
        "return pcall(function() return nn.Identity()({aTypo}) end)")
    assert ok is False
    assert "cannot pass an empty table of inputs. To indicate no incoming connections, " \
           "leave the second set of parens blank." in err


def test_module_call_still_runs_forward():
    m = nn.Tanh()
    t = torch.Tensor([0.5, -1])
    np.testing.assert_allclose(m(t)._a, np.tanh([0.5, -1]))


def test_module_from_criterion_in_graph_against_numpy():
    """nngraph's test_call: MSECriterion called on {prediction, target} nodes, scaled to bits."""
    torch.manualSeed(3)
    pred, target = nn.Identity()(), nn.Identity()()
    mse = nn.MSECriterion()([pred, target])
    assert isinstance(mse.data["module"], nn.ModuleFromCriterion)
    g = nn.gModule([pred, target], [nn.MulConstant(1 / np.log(2))(mse)])
    x = [torch.randn(3, 5), torch.rand(3, 5)]
    p, t = x[0]._a.copy(), x[1]._a.copy()
    out = g.forward(x)
    assert out._size == (1,)
    np.testing.assert_allclose(out._a[0], np.mean((p - t) ** 2) / np.log(2), rtol=1e-13)
    go = torch.randn(1)
    gi = g.backward(x, go)
    np.testing.assert_allclose(gi[0]._a, 2 * (p - t) / p.size * go._a[0] / np.log(2), rtol=1e-12, atol=1e-15)
    np.testing.assert_array_equal(gi[1]._a, np.zeros_like(t))


def test_module_from_criterion_gradient_inside_graph():
    """nngraph's test_grad: the target built inside the graph; the gradient through both paths."""
    pred = nn.Identity()()
    target = nn.AddConstant(1.23)(nn.MulConstant(0.5)(pred))
    net = nn.gModule([pred], [nn.MSECriterion()([pred, target])])
    x = torch.randn(4, 7)
    a = x._a.copy()
    np.testing.assert_allclose(net.forward(x)._a[0], np.mean((a - (0.5 * a + 1.23)) ** 2), rtol=1e-13)
    gi = net.backward(x, torch.Tensor([2.0]))
    # d/dp of mean((p - t)^2) is 2(p - t)/n; the target path contributes zero (ModuleFromCriterion)
    np.testing.assert_allclose(gi._a, 2 * 2 * (a - (0.5 * a + 1.23)) / a.size, rtol=1e-12)


def test_module_from_criterion_direct_table_grad_and_t7(tmp_path):
    m = nn.ModuleFromCriterion(nn.ClassNLLCriterion())
    x = torch.randn(3, 4)
    y = torch.LongTensor([0, 3, 1])
    out = m.forward([x, y])
    a = x._a
    np.testing.assert_allclose(out._a[0], -np.mean(a[[0, 1, 2], [0, 3, 1]]), rtol=1e-13)
    gi = m.backward([x, y], torch.Tensor([3.0]))
    ref = np.zeros((3, 4))
    ref[[0, 1, 2], [0, 3, 1]] = -3.0 / 3
    np.testing.assert_allclose(gi[0]._a, ref, rtol=1e-13)
    assert gi[1]._size == (3,) and not gi[1]._a.any()
    torch.save(str(tmp_path / "m.t7"), m)
    back = torch.load(str(tmp_path / "m.t7"))
    assert isinstance(back, nn.ModuleFromCriterion) and back.criterion.typename == "nn.ClassNLLCriterion"
    np.testing.assert_allclose(back.forward([x, y])._a, out._a, rtol=1e-15)
    with pytest.raises(TorchError):
        m.forward(x)


def test_annotate_nodes_names_nodes_after_lua_locals():
    # nngraph.annotateNodes(): each local holding a node and no name yet is named after the
    # variable (rnn's FastLSTM calls it); an explicit name stays, as in nngraph
    got = Runtime(stdout=io.StringIO()).execute("""
        require 'nngraph'
        local function build()
           local input = nn.Identity()()
           local hidden = nn.Tanh()(input)
           local out = nn.Sigmoid()(hidden):annotate({name = 'kept'})
           nngraph.annotateNodes()
           return input, hidden, out
        end
        local a, b, c = build()
        return a.data.annotations.name, b.data.annotations.name, c.data.annotations.name""")
    assert got == ("input", "hidden", "kept")


def test_clone_keeps_the_lua_index_view_of_inner_modules():
    # a LookupTable made from Lua reads 1-based indices; gModule:clone goes through the t7 format,
    # which names only nn.LookupTable: the clone must still read them 1-based
    rt = Runtime(stdout=io.StringIO())
    out = rt.execute("""
        require 'nngraph'
        torch.manualSeed(3)
        local x1, x2 = nn.Identity()(), nn.Identity()()
        local g = nn.gModule({x1, x2}, {nn.LookupTable(11, 3)(x1), nn.Identity()(x2)})
        local c = g:clone('weight', 'bias')
        local function lookup(m)
           for _, mm in ipairs(m.modules) do if torch.type(mm) == 'nn.LookupTable' then return mm end end
        end
        local idx = torch.LongTensor{11, 1, 5}
        local a = g:forward({idx, torch.ones(2)})[1]:clone()
        local b = c:forward({idx, torch.ones(2)})[1]
        lookup(c).weight[11]:fill(7)               -- shared weights: the original sees it
        return (a - b):abs():max(), g:forward({idx, torch.ones(2)})[1][1][2], a[3][1] == lookup(g).weight[5][1]
    """)
    assert out[0] == 0 and out[1] == 7 and out[2] is True



def test_a_table_output_used_twice_sums_its_table_gradients():
    # nngraph's own test_resizeNestedAs: one input node feeding two outputs, the input a nested
    # table: its two gradOutputs are tables, summed element by element
    in1 = nn.Identity()()
    net = nn.gModule([in1], [nn.Identity()(in1), nn.Identity()(in1)])
    inp = [torch.randn(10), [torch.randn(3), torch.randn(4)]]
    net.forward(inp)
    g = net.backward(inp, net.output)
    assert np.allclose(g[0].numpy(), 2 * inp[0].numpy())
    assert np.allclose(g[1][1].numpy(), 2 * inp[1][1].numpy())


def test_operator_syntax_builds_the_same_graph_as_calls():
    # nngraph's init.lua: `-m` is m() and `x - m` is m(x) for a node, a table of nodes or a module's
    # node (pix2pix's `e1 - nn.LeakyReLU(0.2, true) - nn.SpatialConvolution(...)`)
    got = Runtime(stdout=io.StringIO()).execute("""
        require 'nngraph'
        torch.manualSeed(5)
        local l1, l2, l3 = nn.Linear(3, 4), nn.Linear(4, 2), nn.Linear(4, 2)
        local e1 = - l1
        local e2 = e1 - nn.Tanh() - l2
        local out = {e2, e1 - l3} - nn.CAddTable()
        local g = nn.gModule({e1}, {out})
        local x = torch.Tensor{0.5, -1, 2}
        return torch.typename(e1), #g.forwardnodes, g:forward(x):clone(), l1, l2, l3""")
    assert got[0] == "nngraph.Node" and got[1] == 7   # input, l1, Tanh, l2, l3, CAddTable, output
    (w1, b1), (w2, b2), (w3, b3) = [(m.weight._a, m.bias._a) for m in got[3:]]
    h = w1 @ np.array([0.5, -1, 2]) + b1
    np.testing.assert_allclose(got[2]._a, w2 @ np.tanh(h) + b2 + w3 @ h + b3, rtol=1e-12)


def test_operators_without_a_class_method_stay_tensor_arithmetic():
    got = Runtime(stdout=io.StringIO()).execute("""
        require 'nngraph'
        local t = torch.Tensor{1, 2}
        local ok, err = pcall(function() return nn.Linear(2, 2) + 1 end)
        return -t, t - 1, 3 - t, t - t, t + t, ok""")
    assert [list(v._a) for v in got[:5]] == [[-1, -2], [0, 1], [2, 1], [0, 0], [2, 4]]
    assert got[5] is False
