"""require 'nnx' from Lua: the classes under nn with Torch7's 1-based dims, table constructors,
SoftMaxTree's node ids and updates, PushTable/PullTable, and t7 files written from Lua."""
import numpy as np
import pytest

from lua_compat.runtime import Runtime


@pytest.fixture()
def rt():
    return Runtime()


def test_require_nnx_defines_the_classes(rt):
    got = rt.execute("""
        nnx = {before = 1}
        local n = require 'nnx'
        local missing = {}
        for _, c in ipairs({'SpatialReSampling', 'SpatialReSamplingEx', 'SpatialUpSampling', 'SpatialDownSampling',
                            'SpatialLinear', 'SpatialPadding', 'SpatialMatching', 'SpatialGraph', 'MultiSoftMax',
                            'Balance', 'SaturatedLU', 'Minus', 'SoftMaxTree', 'TreeNLLCriterion', 'PushTable',
                            'PullTable', 'SpatialNormalization', 'SpatialPyramid', 'SpatialFovea'}) do
           if type(nn[c]) ~= 'table' then missing[#missing + 1] = c end
        end
        local q = nnx.QDRiemaNNLinear(3, 2)
        return n == nnx and nnx.before == 1, type(nnx), table.concat(missing, ','), torch.isTypeOf(nn.Minus(), 'nn.Module'),
               torch.type(q), torch.isTypeOf(q, 'nn.Linear')""")
    assert got == (True, "table", "", True, "nnx.QDRiemaNNLinear", True)


def test_dims_are_one_based_from_lua(rt):
    got = rt.execute("""
        require 'nnx'
        local x = torch.rand(4, 5, 3)                      -- H x W x planes
        local up = nn.SpatialUpSampling{dW=2, dH=3, yDim=1, xDim=2}
        local y = up:forward(x)
        local ex = nn.SpatialReSamplingEx{owidth=10, oheight=8, yDim=1, xDim=2, mode='simple'}
        local pad = nn.SpatialPadding(1, 1, 2, 0, 1, 2)
        local p = pad:forward(x)
        return y:size(1), y:size(2), y:size(3), y[3][2][1] == x[1][1][1], y[4][2][1] == x[2][1][1],
               ex:forward(x):size(1), ex:forward(x):size(2), up.yDim, pad.x_dim, p:size(1), p:size(2)""")
    assert got == (12, 10, 3, True, True, 8, 10, 1, 2, 6, 7)


def test_softmax_tree_ids_updates_and_push_pull(rt):
    got = rt.execute("""
        require 'nnx'
        local hierarchy = {[29]=torch.IntTensor{30,1,2}, [1]=torch.IntTensor{3,4,5}, [2]=torch.IntTensor{6,7,8}}
        local smt = nn.SoftMaxTree(10, hierarchy, 29)
        local input, target = torch.randn(3, 10), torch.IntTensor{3, 7, 30}
        local out = smt:forward{input, target}:clone()   -- smt runs again below
        smt:zeroGradParameters()
        smt:backward({input, target}, torch.ones(3))
        local params = smt:getNodeParameters(1)
        local w, b = unpack(params)
        local lin = nn.Sequential():add(nn.Linear(10, 3)):add(nn.LogSoftMax())
        lin.modules[1].weight:copy(w); lin.modules[1].bias:copy(b)
        local l1 = lin:forward(input[1])[1]
        local top = smt:getNodeParameters(29)
        local lin2 = nn.Sequential():add(nn.Linear(10, 3)):add(nn.LogSoftMax())
        lin2.modules[1].weight:copy(top[1]); lin2.modules[1].bias:copy(top[2])
        local l2 = lin2:forward(input[1])[2]
        -- a target teleported past a Linear by PushTable/PullTable
        local push = nn.PushTable(2)
        local mlp = nn.Sequential():add(push):add(nn.SelectTable(1)):add(nn.Linear(10, 10)):add(push:pull(2)):add(smt)
        local o = mlp:forward{input, target}
        return math.abs(out[1] - (l1 + l2)) < 1e-10, smt.updates[29], smt.updates[1], smt.updates[2],
               o:size(1), torch.type(mlp:backward({input, target}, torch.ones(3))[2])""")
    assert got == (True, 3, 1, 1, 3, "torch.IntTensor")


def test_t7_written_from_lua_keeps_one_based_dims(rt, tmp_path):
    path = str(tmp_path / "m.t7")
    got = rt.execute("""
        require 'nnx'
        local path = ...
        local m = nn.Sequential():add(nn.SpatialPadding(1, 2, 0, 1)):add(nn.SpatialReSampling{owidth=6, oheight=5})
                                 :add(nn.SpatialLinear(3, 2))
        local x = torch.rand(3, 4, 4)
        local y = m:forward(x):clone()
        torch.save(path, m)
        local back = torch.load(path)
        return back:forward(x):dist(y), back.modules[1].x_dim, torch.type(back.modules[3])""", path)
    assert got == (0, 3, "nn.SpatialLinear")
    from pytorch_lite import load
    m = load(path)
    assert (m.modules[0].y_dim, m.modules[0].x_dim) == (1, 2)


def test_lua_helpers_pass_values_through(rt, capsys):
    got = rt.execute("""
        require 'nnx'
        local fw = nn.FunctionWrapper(function(s) s.k = 3 end,
                                      function(s, x) return x * s.k end,
                                      function(s, x, g) return g * s.k end)
        local m = nn.Sequential():add(nn.Tic('t')):add(fw):add(nn.Probe('here')):add(nn.Toc('t', 'done'))
        local x = torch.range(1, 6):view(2, 3)
        local y = m:forward(x)
        local g = m:backward(x, torch.ones(2, 3))
        local crit = nn.SuperCriterion()
        crit:add(nn.MSECriterion(), 2)
        local l = crit:forward({torch.Tensor{1, 2}}, torch.Tensor{1, 4})
        local d = nn.DistNLLCriterion{inputIsLogProbability=true}
        return y:sum(), g:sum(), torch.type(fw), l, d:forward(torch.Tensor{-1, -2}, torch.Tensor{0.5, 0.5})""")
    assert got == (63, 18, "nn.FunctionWrapper", 4, 1.5)
    out = capsys.readouterr().out
    assert "<here>.output" in out and "+ mean = 10.5" in out and "Toc 't' (done)" in out
