"""Model-building idioms of well-known legacy programs (fb.resnet.torch, char-rnn, the Oxford
practicals), found by running them unmodified; each test is our own small Lua doing the same."""
import numpy as np
import pytest
import torch

import pytorch_lite as pl
from lua_compat.runtime import Runtime


@pytest.fixture(scope="module")
def rt():
    return Runtime()


def test_double_underscore_fields_are_plain_fields(rt):
    # fb.resnet.torch's preresnet marks modules with `m.__shareGradInputKey = key` and its
    # models/init.lua clears `model.__memoryOptimized`; in Torch7 these are ordinary table fields
    # that survive serialization.  Python's own attributes stay unreachable.
    got = rt.execute("""require 'nn'
        local bn = nn.SpatialBatchNormalization(3)
        bn.__shareGradInputKey = 'last'
        local s = nn.Sequential():add(bn):add(nn.ReLU())
        s.__memoryOptimized = true
        s.__memoryOptimized = nil
        local back = torch.deserialize(torch.serialize(s))
        local ok, err = pcall(function() bn.__class__ = 1 end)
        return bn.__shareGradInputKey, back:get(1).__shareGradInputKey, s.__memoryOptimized,
               back:get(2).__shareGradInputKey, ok, bn.__dict__""")
    assert got == ("last", "last", None, None, False, None)


def test_shared_gradinput_storage_keeps_gradients(rt):
    # fb.resnet.torch's shareGradInput points the gradInput of every module of one type at one
    # 1-element storage (`torch.FloatTensor(storage, 1, 0)`) and drops the first conv's gradInput;
    # each module must resize that view in place (in-place ReLU re-points it with set), and the
    # parameter gradients must equal the unshared net's (PyTorch as the oracle)
    x = np.random.RandomState(0).randn(2, 3, 6, 6)
    w = np.random.RandomState(1).randn(4, 3, 3, 3) * 0.2
    w2 = np.random.RandomState(2).randn(4, 4, 3, 3) * 0.2
    got = rt.execute("""require 'nn'
        local x, w, w2 = ...
        local s = nn.Sequential()
        s:add(nn.SpatialConvolution(3, 4, 3, 3, 1, 1, 1, 1))
        s:add(nn.SpatialBatchNormalization(4))
        s:add(nn.ReLU(true))
        s:add(nn.SpatialConvolution(4, 4, 3, 3, 1, 1, 1, 1))
        s:add(nn.SpatialBatchNormalization(4))
        s:add(nn.ReLU(true))
        s:get(1).weight:copy(w); s:get(1).bias:zero()
        s:get(4).weight:copy(w2); s:get(4).bias:zero()
        s:get(2).weight:fill(1); s:get(5).weight:fill(1)
        local cache = {}
        s:get(1).gradInput = nil
        s:apply(function(m)
           if torch.isTensor(m.gradInput) then
              local key = torch.type(m)
              cache[key] = cache[key] or torch.DoubleStorage(1)
              m.gradInput = torch.DoubleTensor(cache[key], 1, 0)
           end
        end)
        local out = s:forward(x)
        local gout = torch.range(1, out:nElement()):viewAs(out):div(out:nElement())
        s:backward(x, gout)
        return s:get(1).gradWeight, s:get(4).gradWeight, s:get(2).gradWeight, out:sum(),
               s:get(2).gradInput:storage() == s:get(5).gradInput:storage(), s:get(1).gradInput""",
        pl.from_numpy(x), pl.from_numpy(w), pl.from_numpy(w2))
    gw1, gw2, gbn, total, same_storage, first_gi = got
    tx = torch.tensor(x)
    tw, tw2 = torch.tensor(w, requires_grad=True), torch.tensor(w2, requires_grad=True)
    g1 = torch.ones(4, dtype=torch.float64, requires_grad=True)
    bn = torch.nn.functional.batch_norm
    h = torch.relu(bn(torch.nn.functional.conv2d(tx, tw, padding=1), None, None, g1,
                      None, training=True, eps=1e-5))
    o = torch.relu(bn(torch.nn.functional.conv2d(h, tw2, padding=1), None, None, None,
                      None, training=True, eps=1e-5))
    gout = torch.arange(1, o.numel() + 1, dtype=torch.float64).view_as(o) / o.numel()
    o.backward(gout)
    assert np.allclose(gw1.numpy(), tw.grad.numpy(), atol=1e-9)
    assert np.allclose(gw2.numpy(), tw2.grad.numpy(), atol=1e-9)
    assert np.allclose(gbn.numpy(), g1.grad.numpy(), atol=1e-9)
    assert total == pytest.approx(o.sum().item(), rel=1e-12)
    assert same_storage is True
    assert first_gi is None


def test_gmodule_replace_reaches_the_graph(rt):
    # nngraph's gModule:replace puts the callback's modules into the graph nodes, so forward runs
    # them (nngraph's test_replace swaps a Sigmoid for a Tanh); numpy as the oracle
    x = np.random.RandomState(4).randn(3, 4)
    got = rt.execute("""require 'nngraph'
        local x = ...
        local i = nn.Identity()()
        local h = nn.Sigmoid()(nn.Linear(4, 2)(i))
        local g = nn.gModule({i}, {h})
        local before = g:forward(x):clone()
        local lin = g.modules[2]
        g:replace(function(m)
           if torch.type(m) == 'nn.Sigmoid' then return nn.Tanh() end
           return m
        end)
        local after = g:forward(x):clone()
        local types = {}
        for k, m in ipairs(g.modules) do types[k] = torch.type(m) end
        return before, after, lin.weight, lin.bias, table.concat(types, ','),
               g:backward(x, torch.ones(3, 2)):size(2)""", pl.from_numpy(x))
    before, after, w, b, types, gsize = got
    lin = x @ w.numpy().T + b.numpy()
    assert np.allclose(before.numpy(), 1 / (1 + np.exp(-lin)), atol=1e-12)
    assert np.allclose(after.numpy(), np.tanh(lin), atol=1e-12)
    assert types == "nn.Identity,nn.Linear,nn.Tanh"
    assert gsize == 4


def test_gmodule_bad_inputs_and_outputs_are_named_as_nngraph(rt):
    # nngraph's messages (utils.expectingNodeErrorMessage), which its test_debug.lua matches: a
    # module passed without its second parens, a nil hole in the outputs table, a non-node
    got = rt.execute("""require 'nngraph'
        local function err(f) local ok, e = pcall(f) return ok, e end
        local i = nn.Identity()()
        local _, e1 = err(function() return nn.gModule({i}, {nn.Tanh()(i), nn.Linear(2, 3)}) end)
        local _, e2 = err(function() return nn.gModule({i}, {nn.Tanh()(i), nil, nn.Sigmoid()(i)}) end)
        local _, e3 = err(function() return nn.CMulTable()({i, nn.Identity()}) end)
        local _, e4 = err(function() return nn.Linear(2, 2)({i, 3}) end)
        return e1, e2, e3, e4""")
    assert got[0].endswith("outputs[2] is an nn.Module, specifically a nn.Linear, but the only "
                           "valid thing to pass is an instance of nngraph.Node. Did you forget a "
                           "second set of parens, which convert a nn.Module to a nngraph.Node?")
    assert got[1].endswith("outputs[2] is nil (typo / bad index?)")
    assert "inputs[2] is an nn.Module, specifically a nn.Identity, but" in got[2]
    assert got[3].endswith("inputs[2] should be an nngraph.Node but is of type number")


def test_nngraph_nest_outputs_nested_tables(rt):
    # nngraph.nest turns a nested table of nodes into one node, so a gModule outputs nested
    # tables ({a}, {a, {b}, c}) holding the very values fed in
    got = rt.execute("""require 'nngraph'
        local a, b, c = nn.Identity()(), nn.Identity()(), nn.Identity()()
        local g = nn.gModule({a, b, c}, {nngraph.nest({a}), nngraph.nest({a, {b}, c}),
                                         nn.CAddTable()(nngraph.nest({a, c})), nngraph.nest(b)})
        local x, y, z = torch.Tensor{1, 2}, torch.Tensor{5}, torch.Tensor{10, 20}
        local o = g:forward({x, y, z})
        local ok, err = pcall(nngraph.nest, {})
        return #o, #o[1], o[1][1]:sum(), #o[2], o[2][1]:sum(), #o[2][2], o[2][2][1][1], o[2][3]:sum(),
               o[3][1], o[3][2], o[4][1], ok, err:find('what is this in the nest input') ~= nil""")
    assert got == (4, 1, 3, 3, 3, 1, 5, 30, 11, 22, 5, False, True)


def test_gmodule_type_converts_what_the_nodes_hold(rt):
    # nngraph's gModule:type converts each forward node's stored input and the data of every
    # node's children, not only the in/out nodes: after :float() no DoubleTensor is left there
    got = rt.execute("""require 'nngraph'
        local x = nn.Identity()()
        local h = nn.Tanh()(nn.Linear(3, 2)(x))
        local g = nn.gModule({x}, {nn.CMulTable()({h, nn.Sigmoid()(h)})})
        local input = torch.randn(4, 3)
        local out = g:forward(input):clone()
        g:backward(input, torch.ones(4, 2))
        g:float()
        local kinds = {}
        local function note(t)
           if torch.isTensor(t) then kinds[torch.typename(t)] = true
           elseif type(t) == 'table' then for _, v in ipairs(t) do note(v) end end
        end
        for _, node in ipairs(g.forwardnodes) do
           note(node.data.input)
           for _, child in ipairs(node.children) do note(child.data.input) end
        end
        for _, node in ipairs(g.backwardnodes) do
           for _, child in ipairs(node.children) do note(child.data.gradOutput) end
        end
        local fout = g:forward(input:float())
        return kinds['torch.DoubleTensor'] == nil, kinds['torch.FloatTensor'] == true,
               torch.typename(fout), (fout:double() - out):abs():max()""")
    assert got[:3] == (True, True, "torch.FloatTensor")
    assert got[3] < 1e-6
