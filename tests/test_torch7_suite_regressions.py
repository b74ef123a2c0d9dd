"""Behaviours Torch7's own test suites rely on, checked against independent references."""
import numpy as np
import pytest

import pytorch_lite as torch
from pytorch_lite import nn

from lua_compat.runtime import Runtime


def _conv_map_reference(x, conn, weight, bias, kH, kW):
    """Torch7's SpatialConvolutionMap loop, one sample (planes x H x W): for each table row
    (in, out), a valid 2-D cross-correlation of plane `in` with the row's kernel, added to `out`."""
    nOut = bias.shape[0]
    H, W = x.shape[1:]
    oH, oW = H - kH + 1, W - kW + 1
    y = np.repeat(bias[:, None, None], oH * oW).reshape(nOut, oH, oW).astype(float)
    for k, (i, o) in enumerate(conn):
        for r in range(oH):
            for c in range(oW):
                y[o, r, c] += (x[i, r:r + kH, c:c + kW] * weight[k]).sum()
    return y


def test_conv_map_batch_with_unused_input_planes_reads_planes_as_torch7():
    # a table that uses only input planes 0..1 while the input has 3 planes per sample: Torch7's
    # kernel steps between samples by nInputPlane (2) planes of the flat input
    torch.manualSeed(3)
    conn = torch.LongTensor([[0, 0], [1, 0], [1, 1]])
    m = nn.SpatialConvolutionMap(conn, 3, 2)
    B, C, H, W = 2, 3, 5, 6
    x = torch.randn(B, C, H, W)
    y = m.forward(x).numpy()
    flat = x.numpy().reshape(-1, H, W)
    w, b = m.weight.numpy(), m.bias.numpy()
    for s in range(B):
        planes = flat[s * 2:s * 2 + 2]
        np.testing.assert_allclose(y[s], _conv_map_reference(planes, conn.numpy(), w, b, 2, 3), rtol=1e-12)
    # the gradient is that of the same map: finite differences agree
    err = nn.Jacobian.testJacobian(m, x)
    assert err < 1e-6


def test_permute_with_one_dimension_is_the_identity_view():
    x = torch.randn(4)
    y = x.permute(0)
    assert y.size() == torch.LongStorage([4]) and y.storage() is x.storage()
    np.testing.assert_array_equal(y.numpy(), x.numpy())
    assert Runtime().execute("local x = torch.range(1, 3) return x:permute(1):sum()") == 6


def test_index_fields_keep_their_identity_in_lua_while_unchanged():
    # FlattenTable keeps input_map and output between calls with the same input nesting
    # (Torch7's test compares them with ==); a new nesting rebuilds them
    rt = Runtime()
    same, rebuilt, first = rt.execute("""require 'nn'
        local m = nn.FlattenTable()
        local input = {torch.rand(1), {torch.rand(2), {torch.rand(3)}}, torch.rand(4)}
        m:forward(input)
        local map, out = m.input_map, m.output
        m:forward(input)
        local same = map == m.input_map and out == m.output
        input[4] = torch.rand(5)
        m:forward(input)
        return same, map ~= m.input_map, m.input_map[2][2][1]""")
    assert same is True and rebuilt is True
    assert first == 3   # t1, t2, then the innermost t3: its 1-based position in the output


def test_cdata_and_data_describe_the_tensor_through_the_ffi():
    # Torch7's x:cdata() is its TH struct and x:data() a pointer to the first element; here the
    # struct describes x at the call, and both point into x's own memory
    got = Runtime().execute("""
        local x = torch.range(1, 12):resize(3, 4):t()        -- 4x3, strides 1 and 4
        local c = x:cdata()
        local y = x:select(2, 2)                            -- 5 6 7 8, offset 4
        local p = y:data()
        p[2] = -1                                           -- writes y[3], i.e. x[3][2]
        local e = torch.Tensor():cdata()
        return torch.type(c), c.nDimension, tonumber(c.size[0]), tonumber(c.size[1]),
               tonumber(c.stride[0]), tonumber(c.stride[1]), tonumber(y:cdata().storageOffset),
               p[0], p[1], x[3][2], tonumber(c.storage.size), e.nDimension,
               torch.FloatTensor(2):fill(3):data()[1]""")
    assert got == ("cdata", 2, 4, 3, 1, 4, 4, 5, 6, -1, 12, 0, 3)


def test_torch_data_and_cdata_are_the_methods_through_the_ffi():
    # Torch7's FFI helpers: torch.data(x) is x:data(), and with asnumber the address as an
    # intptr_t; dcgan's dataset reads a path from a char tensor row this way
    got = Runtime().execute("""
        local ffi = require 'ffi'
        local names = torch.CharTensor(2, 8):zero()
        ffi.copy(names[2]:data(), 'img.png')
        local x = torch.range(1, 6)
        local s = torch.DoubleStorage({1.5, 2.5, 3.5})
        return ffi.string(torch.data(names[2])),
               tonumber(torch.data(names[2], true) - torch.data(names[1], true)),
               torch.data(x:narrow(1, 3, 2))[1], torch.data(s)[2], torch.cdata(x).nDimension,
               torch.data(nil) == nil, torch.data(torch.Tensor()) == nil""")
    assert got == ("img.png", 8, 4, 3.5, 1, True, True)


def test_an_object_field_holding_cdata_is_left_out_with_torch7s_warning(capsys):
    rt = Runtime()
    ok, back = rt.execute("""
        local foo = {}
        torch.class('Bar', foo)
        local obj = foo.Bar()
        obj.data = torch.Tensor():cdata()
        obj.kept = 7
        local f = torch.MemoryFile('rw'):binary()
        local ok = pcall(torch.File.writeObject, f, obj)
        f:seek(1)
        local back = f:readObject()
        return ok, back.data == nil and back.kept == 7""")
    assert ok is True and back is True
    assert "$ Warning: cannot write object field <data> of <Bar>" in capsys.readouterr().out


def test_a_nil_argument_with_no_python_default_is_passed_as_nil():
    # nn's own Kmeans test calls km:backward(input, gradOutput) with gradOutput an unset global:
    # Lua passes nil, and Kmeans ignores it; a trailing nil where Python has a default (Linear's
    # scale) is left out, so the default 1 applies as Torch7's `scale = scale or 1`
    got = Runtime().execute("""require 'nn'
        local km = nn.Kmeans(2, 3)
        local input = torch.Tensor({{0, 0, 0}, {0, 0, 1}, {10, 10, 10}, {10, 10, 11}})
        km.weight:copy(torch.Tensor({{0, 0, 0}, {10, 10, 10}}))
        km:zeroGradParameters()
        km:forward(input)
        km:backward(input, not_set_anywhere)
        local l = nn.Linear(3, 2)
        l:zeroGradParameters()
        l:forward(input)
        l:backward(input, torch.ones(4, 2), nil)
        return km.gradWeight:sum(), l.gradBias[1], l.gradBias[2]""")
    # Kmeans' gradWeight (Torch7's rule): for each centre, the mean of (centre - member) over its
    # members (count + 1e-7): centre 1 gets (0,0,-1)/2, centre 2 likewise, -1 in all
    assert got[0] == pytest.approx(-2 * 1 / (2 + 1e-7), rel=1e-12)
    assert got[1:] == (4.0, 4.0)


def test_class_metatables_are_in_the_registry_and_element_size_is_static():
    # Torch7 registers each class metatable in the Lua registry under its name (torchnet's
    # torch.isclass asks debug.getregistry()[t]); Storage.elementSize takes no storage
    got = Runtime().execute("""
        require 'nn'
        local R = debug.getregistry()
        local A = torch.class('RegistryA')
        local a = A()
        return R[A], R[getmetatable(a)], R[a], R[getmetatable(nn.Linear(2, 2))],
               R[getmetatable(torch.FloatTensor())], R[{}],
               torch.CharStorage.elementSize(), torch.DoubleStorage.elementSize(),
               torch.IntStorage(2):elementSize()""")
    assert got == ("RegistryA", "RegistryA", None, "nn.Linear", "torch.FloatTensor", None, 1, 8, 4)
