"""What Torch7's own nn test.lua needs from the Lua side: 1-based index inputs converted once at the
bridge (nn_kinds.py), nn.Jacobian/nn.hessian/nn.tables/nn.utils/moses from Lua, extra arguments
dropped, tensorCache sharing; checked against the same computation done 0-based in Python."""
import io

import numpy as np
import pytest

import pytorch_lite as torch
from pytorch_lite import nn
from lua_compat import Runtime


@pytest.fixture
def rt():
    r = Runtime(stdout=io.StringIO())
    r.execute("require 'nn'")
    return r


def test_lookup_table_padding_value_and_one_based_rows(rt):
    r = rt.execute("""
        torch.manualSeed(1)
        local m = nn.LookupTable(5, 3, 2)
        local none = nn.LookupTable(5, 3, 0)          -- 0: no padding row (not an index)
        local x = torch.LongTensor{2, 5, 2, 1}
        local y = m:forward(x)
        local w0 = m.weight:clone()
        m:backwardUpdate(x, torch.ones(4, 3), 0.1)   -- the padding row (2) keeps its weights
        return y[2][1] == w0[5][1], (m.weight[2] - w0[2]):abs():max(), (m.weight[5] - w0[5]):abs():max(),
               none.paddingValue == 0, m:updateOutput(torch.LongTensor{3})[1][1] == m.weight[3][1]""")
    assert r[0] is True and r[1] == 0 and abs(r[2] - 0.1) < 1e-12 and r[3] is True and r[4] is True


def test_class_nll_ignore_index_sentinel(rt):
    r = rt.execute("""
        local c = nn.ClassNLLCriterion(nil, nil, -1)
        local x = torch.Tensor{{-1, -2, -3}, {-4, -5, -6}}
        return c:forward(x, torch.LongTensor{2, -1}), c:forward(x, torch.LongTensor{3, 1})""")
    assert r == (2.0, 3.5)   # the ignored row counts neither in the sum nor in the mean


def test_index_one_hot_and_sparse_inputs_are_one_based(rt):
    r = rt.execute("""
        local y = nn.Index(1):forward({torch.Tensor{10, 20, 30}, torch.LongTensor{1, 3, 3}})
        local oh = nn.OneHot(4):forward(torch.LongTensor{4, 1})
        local s = nn.SparseLinear(5, 2)
        s.weight:copy(torch.range(1, 10):view(2, 5)) s.bias:zero()
        local so = s:forward(torch.Tensor{{1, 1}, {5, 2}})
        local il = nn.IndexLinear(6, 1)
        il.weight:zero() il.weight[6][1] = 3 il.bias:zero()
        local io = il:updateOutput({{torch.LongTensor{6}}, {torch.Tensor{2}}})
        return y[1], y[2], y[3], oh[1][4], oh[2][1], oh:sum(), so[1], so[2], io[1][1]""")
    assert r == (10, 30, 30, 1, 1, 2, 1 + 2 * 5, 6 + 2 * 10, 6)


def test_partial_linear_partition_and_map_tables_are_one_based(rt):
    r = rt.execute("""
        torch.manualSeed(2)
        local m = nn.PartialLinear(3, 5)
        m:setPartition(torch.LongTensor{5, 1})
        local x = torch.rand(2, 3)
        local y = m:forward(x)
        local full = x * m.network:get(1):get(2).weight:t()   -- the weight rows live in a LookupTable
        local t = nn.tables.full(2, 3)
        local r = nn.tables.random(4, 2, 3)
        local o = nn.tables.oneToOne(3)
        return y:size(2), math.abs(y[1][1] - (full[1][5] + m.bias[1][5])), t:min(), t[{{}, 1}]:max(),
               t[{{}, 2}]:max(), r:min() >= 1 and r[{{}, 1}]:max() <= 4, o[3][1], o[3][2]""")
    assert r[0] == 2 and r[1] < 1e-12 and r[2:] == (1, 2, 3, True, 3, 3)


def test_narrow_mixture_and_glu_dims(rt):
    r = rt.execute("""
        local x = torch.range(1, 20):view(2, 10)
        local a = nn.Narrow(2, -1, 7):forward(x)
        local g = nn.GatedLinearUnit(2):forward(torch.Tensor{{1, 2, 0, 0}})
        return a:size(2), a[1][1], a[1][3], g[1][1], g[1][2]""")
    assert r == (3, 1, 3, 0.5, 1.0)


def test_direct_update_calls_convert_once(rt):
    # updateOutput & co called straight from Lua convert the 1-based input; the module's own inner
    # calls (accUpdateGradParameters -> accGradParameters) do not convert again
    r = rt.execute("""
        local m = nn.LookupTable(4, 2)
        m.weight:zero()
        local x = torch.LongTensor{4}
        m:updateOutput(x)
        m:accUpdateGradParameters(x, torch.ones(1, 2), 1)
        return m.weight[4][1], m.weight[3][1]""")
    assert r == (-1, 0)


def test_extra_lua_arguments_are_dropped(rt):
    r = rt.execute("""
        local a = nn.Add(3, true, 'ignored')
        local c = nn.Cosine(2, 2)
        local y = c:forward(torch.Tensor{1, 0}, torch.Tensor{5, 5})
        return a.bias:nElement(), y:nElement()""")
    assert r == (1, 2)


def test_jacobian_hessian_and_sparse_jacobian_from_lua(rt):
    r = rt.execute("""
        torch.manualSeed(3)
        local m = nn.Linear(4, 3)
        local x = torch.Tensor(2, 4)
        local e1 = nn.Jacobian.testJacobian(m, x)
        local e2 = nn.Jacobian.testJacobianParameters(m, x, m.weight, m.gradWeight)
        local e3 = nn.Jacobian.testJacobianUpdateParameters(m, x, m.bias)
        local f, b = nn.Jacobian.testIO(m, x)
        local all = nn.Jacobian.testAllUpdate(m, x, 'weight', 'gradWeight')
        nn.hessian.enable()
        local h = nn.Jacobian.testDiagHessianWeight(m, x)
        local jb = nn.Jacobian.backward(m, torch.rand(4))
        local s = nn.SparseLinear(6, 2)
        local sx = torch.Tensor{{2, 0.5}, {6, 1}}
        local sj = nn.SparseJacobian.forward(s, sx)
        return e1, e2, e3, f, b, all['accUpdateGradParameters [shared]'], h, (jb - m.weight:t()):abs():max(),
               (sj[2] - s.weight:select(2, 6)):abs():max(), sx[2][1]""")
    assert max(r[:3]) < 1e-8 and r[3:5] == (0, 0) and r[5] < 1e-12 and r[6] < 1e-10 and r[7] < 1e-14
    assert r[8] < 1e-8 and r[9] == 6


def test_nn_utils_from_lua(rt):
    r = rt.execute("""
        local t = torch.rand(3, 4):t()
        local v = nn.utils.addSingletonDimension(t, 2)
        local out = torch.Tensor()
        local same = nn.utils.addSingletonDimension(out, t, 3) == out
        local nested = nn.utils.recursiveResizeAs(nil, {torch.rand(2), {torch.rand(3, 1)}})
        nn.utils.recursiveFill(nested, 2)
        local sum = nn.utils.recursiveAdd(nested, 3, {torch.ones(2), {torch.ones(3, 1)}})
        local copy = nn.utils.recursiveCopy(nil, nested)
        local ok = pcall(nn.utils.addSingletonDimension, t, 4)
        return v:dim(), v:size(2), (v:select(2, 1) - t):abs():max(), same, out:size(3), nested[2][1][3][1],
               copy[1][2], copy[1] ~= nested[1], ok""")
    assert r == (3, 1, 0, True, 1, 5, 5, True, False)


def test_tensor_cache_keeps_sharing_across_type_calls(rt):
    r = rt.execute("""
        local a, b = nn.Linear(3, 2), nn.Linear(3, 2)
        b.bias:set(a.bias)
        local cache = {}
        a:type('torch.FloatTensor', cache)
        b:type('torch.FloatTensor', cache)
        a.bias:fill(3)
        local c, d = nn.Linear(3, 2), nn.Linear(3, 2)
        d.bias:set(c.bias)
        nn.utils.recursiveType({c, d}, 'torch.FloatTensor')
        c.bias:fill(4)
        local e, f = nn.Linear(3, 2), nn.Linear(3, 2)
        f.bias:set(e.bias)
        e:float() f:float()
        e.bias:fill(5)
        return torch.type(b.bias), b.bias[1], d.bias[1], f.bias[1] == 5""")
    assert r == ("torch.FloatTensor", 3, 4, False)


def test_moses_helpers(rt):
    r = rt.execute("""
        local _ = require 'moses'
        local m = _.map({a = 1, b = 2}, function(k, v) return v * 10 end)
        return _.isNaN(0/0), _.isNaN(1), _.indexOf({'x', 'y', 'z'}, 'z'), m.b, _.sum({1, 2, 3}),
               #_.range(1, 4), _.count({1, 2, 1}, 1), _.include({3, 4}, 4)""")
    assert r == (True, False, 3, 20, 6, 4, 2, True)


def test_moses_compact_and_is_finite(rt):
    # rnn's AbstractRecurrent:forget compacts step-indexed tables with _.compact: falsy values
    # go, the rest renumbered 1..n keeping the steps' order
    r = rt.execute("""
        local _ = require 'moses'
        local t = {}
        t[9], t[2], t[5], t[7] = 'c', 'a', false, 'b'
        local c = _.compact(t)
        return #c, c[1], c[2], c[3], _.isFinite(3), _.isFinite(1/0), _.isFinite(0/0), _.isFinite('3')""")
    assert r == (3, "a", "b", "c", True, False, False, False)


def test_torch_type_of_a_list_field_is_table(rt):
    r = rt.execute("""
        local p = nn.ParallelTable():add(nn.Linear(2, 1))
        p:forward({torch.rand(2)})
        return torch.type(p.output), torch.type(p.modules), torch.type(p)""")
    assert r == ("table", "table", "nn.ParallelTable")


def test_new_modules_from_lua(rt):
    r = rt.execute("""
        local u = nn.UpSampling({oheight = 4, owidth = 6}, 'bilinear')
        local y = u:forward(torch.rand(1, 2, 2, 3))
        local p = nn.FeatureLPPooling(2, 1, 2)
        local f = p:forward(torch.Tensor{3, 4, 0})
        local g = nn.GPU(nn.Identity(), 1)
        local pr = nn.Profile(nn.Identity(), 10)
        return y:size(3), y:size(4), f[1], f[2], g:forward(torch.Tensor{7})[1], pr:forward(torch.Tensor{8})[1],
               u.outputSize[3], u.outputSize[4]""")
    assert r == (4, 6, 5, 4, 7, 8, 4, 6)


def test_padding_index_is_one_based(rt):
    # Torch7: with pad < 0 the index counts from the left (2: between the 1st and 2nd entries),
    # with pad > 0 from the right
    r = rt.execute("""
        local x = torch.Tensor{{1, 2, 3}}
        local a = nn.Padding(2, -2, nil, 9, 2):forward(x)
        local b = nn.Padding(2, 1, nil, 7, 2):forward(x)
        local c = nn.Padding(1, -1):forward(x)
        return a:totable(), b:totable(), c:size(1), c[1][1]""")
    assert [r[0][1][i] for i in range(1, 6)] == [1, 9, 9, 2, 3]
    assert [r[1][1][i] for i in range(1, 5)] == [1, 2, 7, 3] and r[2:] == (2, 0)


def test_index_fields_read_and_written_one_based(rt):
    # the fields a t7 file stores 1-based (t7_index_fields) are 1-based from Lua too
    r = rt.execute("""
        local n = nn.Narrow(2, 3, 1)
        local d0, i0 = n.dimension, n.index
        n.index = 1
        local y = n:forward(torch.range(1, 6):view(2, 3))
        local p = nn.SpatialMaxPooling(2, 2)
        p:forward(torch.Tensor{{{1, 9}, {3, 4}}})
        local t = nn.Transpose({1, 3})
        return d0, i0, y[1][1], y[2][1], p.indices[1][1][1], t.permutations[1][2], nn.JoinTable(-1).dimension""")
    assert r == (2, 3, 1, 4, 2, 3, -1)


def test_lookup_table_padding_value_field(rt):
    r = rt.execute("""
        local a, b = nn.LookupTable(5, 2), nn.LookupTable(5, 2, 3)
        local before = {a.paddingValue, b.paddingValue}
        a.paddingValue = 4
        a.weight:fill(1)
        a:backwardUpdate(torch.LongTensor{4, 1}, torch.ones(2, 2), 1)
        b.paddingValue = 0
        return before[1], before[2], a.paddingValue, a.weight[4][1], a.weight[1][1], b.paddingValue""")
    assert r == (0, 3, 4, 1, 0, 0)
