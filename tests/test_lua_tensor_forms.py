"""Tensor forms Torch7 scripts use, from Lua: results given first (res:sum(src, 1),
v:max(i, src, 2), res:view(src, ...), torch.split into a table, torch.randperm(res, n)), numbers
for one element (select on a vector, squeeze), x[#x], storage views, HalfTensor and
torch.getmetatable of tensor types (with methods a script adds), torch.isTypeOf patterns,
torch.class with a module table, trepl's print of a table, the Lua forms of conv2, pstrf, bhistc
and the alias method."""
import io

import pytest

from lua_compat import Runtime


@pytest.fixture
def rt():
    return Runtime(stdout=io.StringIO())


def lua(rt, code):
    return rt.execute(code)


def table(t):
    return [t[i] for i in range(1, len(t) + 1)]


def test_results_first(rt):
    r = lua(rt, """
    local x = torch.Tensor{{1, 5, 2}, {7, 3, 4}}
    local s = torch.Tensor()
    local s2 = s:sum(x, 1)
    local v, i = torch.Tensor(), torch.LongTensor()
    local a, b = v:max(i, x, 2)
    local m = torch.Tensor()
    local c, d = m:min(x, 1)
    local into = torch.Tensor()
    into:cat(x, x, 2)
    local p = torch.Tensor()
    torch.randperm(p, 4)
    local sorted = p:clone():sort()
    return s2 == s, s:storage():totable(), a == v, b == i, v:storage():totable(), i:storage():totable(),
           c == m, d:storage():totable(), into:size(1), into:size(2), sorted:storage():totable()
    """)
    assert r[0] is True and table(r[1]) == [8, 8, 6]
    assert r[2] is True and r[3] is True and table(r[4]) == [5, 7] and table(r[5]) == [2, 1]
    assert r[6] is True and table(r[7]) == [1, 2, 1]
    assert (r[8], r[9]) == (2, 6)
    assert table(r[10]) == [1, 2, 3, 4]


def test_results_first_with_a_number_before_the_dim(rt):
    # res:norm(src, p, dim): the dim is the third argument here, the p stays a p (rnn's MaskZero:
    # self._zeroMask:norm(input, 2, dim)); the own form x:norm(p, dim) still works
    r = lua(rt, """
    local x = torch.Tensor{{3, 4}, {6, 8}}
    local r2, r1, r0 = torch.Tensor(), torch.Tensor(), torch.Tensor()
    r2:norm(x, 2, 2)
    r1:norm(x, 1, 1)
    local own = x:norm(1, 2)
    local m = torch.Tensor()
    m:mean(x, 2)
    return r2:storage():totable(), r1:storage():totable(), own:storage():totable(), r2:dim(),
           m:storage():totable()
    """)
    assert table(r[0]) == [5, 10] and table(r[1]) == [9, 12] and table(r[2]) == [7, 14]
    assert r[3] == 2 and table(r[4]) == [3.5, 7]


def test_view_forms_and_split_into_a_table(rt):
    r = lua(rt, """
    local src = torch.range(1, 15)
    local res = torch.Tensor()
    res:view(src, 3, 5)
    res:fill(2)
    local e = torch.Tensor()
    e:expandAs(torch.Tensor{{1}, {2}}, torch.Tensor(2, 3))
    local r2 = torch.Tensor()
    r2:repeatTensor(torch.Tensor{1, 2}, 2, 1)
    local parts = {'stale'}
    local same = torch.split(parts, torch.range(1, 7), 3)
    return src:sum(), e:size(2), e[2][3], r2:size(1), r2[2][2], same == parts, #parts, parts[3][1]
    """)
    assert r == (30, 3, 2, 2, 2, True, 3, 7)


def test_numbers_for_one_element(rt):
    r = lua(rt, """
    local v = torch.Tensor{4, 5, 6}
    local m = torch.Tensor{{1, 2}, {3, 4}}
    return v:select(1, 2), m:select(2, 1):select(2, 2), torch.Tensor(1, 1):fill(3):squeeze(),
           torch.type(torch.Tensor(2, 1):squeeze()), m[#m], m[torch.LongStorage{1, 2}]
    """)
    # select on a vector ignores the dim, as Torch7's binding
    assert r == (5, 3, 3, "torch.DoubleTensor", 4, 2)
    r = lua(rt, "local m = torch.zeros(2, 2) m[torch.LongStorage{2, 1}] = 7 return m[2][1]")
    assert r == 7


def test_range_into_a_noncontiguous_view(rt):
    r = lua(rt, """
    local x = torch.zeros(2, 3)
    x:narrow(2, 2, 2):range(0, 3)
    local y = torch.zeros(2, 3)
    y:narrow(2, 2, 2):logspace(0, 3, 4)
    return x:storage():totable(), y:storage():totable()
    """)
    assert table(r[0]) == [0, 0, 1, 0, 2, 3]
    assert table(r[1]) == [0, 1, 10, 0, 100, 1000]


def test_storage_views(rt):
    r = lua(rt, """
    local s1 = torch.LongStorage({3, 4, 5})
    local s2 = torch.LongStorage(s1, 2)
    s2[1] = 13
    local s3 = torch.LongStorage(s1, 1, 2)
    return s2:size(), s1[2], s3:size(), s3[2], torch.LongStorage():elementSize(), torch.HalfTensor():elementSize()
    """)
    assert r == (2, 13, 2, 13, 8, 2)


def test_half_and_tensor_metatables(rt):
    r = lua(rt, """
    local mt = torch.getmetatable('torch.DoubleTensor')
    local h = mt.half(torch.Tensor{1.5, 2.25})
    local back = h:real()
    function torch.HalfTensor:describe() return 'half of ' .. self:nElement() end
    local ok = pcall(function() return torch.Tensor(2):describe() end)
    return torch.type(h), torch.type(back), back[2], h:describe(), ok, torch.isTensor(h),
           torch.Tensor.isTensor(h), type(h), torch.getmetatable('torch.LongStorage') == torch.LongStorage
    """)
    assert r == ("torch.HalfTensor", "torch.DoubleTensor", 2.25, "half of 2", False, True, True, "userdata", True)


def test_is_type_of_patterns_and_classes_in_a_module(rt):
    r = lua(rt, """
    local t = torch.LongTensor()
    local M = {}
    local A = torch.class('TfA', M)
    local B = torch.class('TfB', 'TfA', M)
    local OtherA = torch.class('OtherTfA', M)
    local b, o = M.TfB(), M.OtherTfA()
    return torch.isTypeOf(t, torch.LongTensor), torch.isTypeOf(t, 'torch.Long'),
           torch.isTypeOf(t, 'torch.*Tensor'), torch.isTypeOf(t, '.*Long'), torch.isTypeOf(t, torch.IntTensor),
           torch.isTypeOf(b, 'TfA'), torch.isTypeOf(b, M.TfA), torch.isTypeOf(o, 'TfA'),
           rawget(_G, 'TfA') == nil, torch.typename(b)
    """)
    assert r == (True, False, True, True, False, True, True, False, True, "TfB")


def test_print_of_a_table_as_trepl(rt):
    lua(rt, "print({1, 'a', b = 'str', c = {d = 2}, e = {}, t = torch.Tensor(2, 3), s = torch.LongStorage(2)})")
    assert rt._stdout.getvalue() == (
        "{\n"
        "  1 : 1\n"
        "  2 : \"a\"\n"
        "  b : \"str\"\n"
        "  c : \n"
        "    {\n"
        "      d : 2\n"
        "    }\n"
        "  e : {...}\n"
        "  s : LongStorage - size: 2\n"
        "  t : DoubleTensor - size: 2x3\n"
        "}\n")


def test_torch7_functions_from_lua(rt):
    r = lua(rt, """
    local x = torch.Tensor{{1, 2, 3}, {4, 5, 6}, {7, 8, 9}}
    local c = torch.conv2(x, torch.Tensor{{1, 0}, {0, -1}})
    local xc = torch.xcorr2(x, torch.Tensor{{-1, 0}, {0, 1}})
    local a = torch.Tensor{{4, 2}, {2, 3}}
    local u, piv = torch.pstrf(a)
    local h = torch.bhistc(torch.Tensor{{1, 2, 2, 3}}, 3, 1, 3)
    local state = torch.multinomialAliasSetup(torch.Tensor{0.25, 0.75})
    local out = torch.LongTensor(1000)
    torch.multinomialAlias(out, state)
    local state2 = torch.multinomialAliasSetup(torch.Tensor{0.5, 0.5}, state)
    return c:storage():totable(), xc:storage():totable(), piv:storage():totable(), torch.type(piv),
           (torch.mm(u:t(), u) - a):abs():max(), h:storage():totable(), out:min(), out:max(),
           state2 == state, torch.type(state[1])
    """)
    # conv2 flips the kernel: -x[i][j] + x[i+1][j+1], as xcorr2 with the flipped kernel
    assert table(r[0]) == [4, 4, 4, 4] and table(r[1]) == table(r[0])
    assert table(r[2]) == [1, 2] and r[3] == "torch.IntTensor" and r[4] < 1e-12
    assert table(r[5]) == [1, 2, 1]
    assert (r[6], r[7]) == (1, 2) and r[8] is True and r[9] == "torch.LongTensor"
