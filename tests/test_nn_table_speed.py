"""The LSTM hot paths of nn's table and pointwise modules (bench/bench_legacy.lua) against the
plain formulas they replace, bit for bit on float and double: SplitTable's gradInput by array
assignment, Sigmoid computed in its output buffer, CMulTable's gradInput written in place."""
import numpy as np
import pytest

import pytorch_lite as torch
from pytorch_lite import nn

TYPES = ["torch.DoubleTensor", "torch.FloatTensor"]


def rand(typename, *size):
    return torch.TENSOR_TYPES[typename](*size).uniform(-3, 3)


@pytest.mark.parametrize("typename", TYPES)
@pytest.mark.parametrize("dim,shape", [(1, (4, 3, 5)), (0, (3, 5)), (2, (2, 3, 4))])
def test_split_table_grad_input_is_select_copy(typename, dim, shape):
    torch.manualSeed(1)
    x = rand(typename, *shape)
    m = nn.SplitTable(dim).type(typename)
    outs = m.forward(x)
    gos = [rand(typename, *o._size) for o in outs]
    gi = m.backward(x, gos)._a.copy()
    ref = np.empty(shape, gi.dtype)
    for i, g in enumerate(gos):                 # the slow path: select(dim, i):copy(g)
        ref[(slice(None),) * dim + (i,)] = g._a
    assert np.array_equal(gi, ref)
    # gradOutputs of another type or shape (same count) still go through copy's rules
    other = "torch.FloatTensor" if typename == TYPES[0] else "torch.DoubleTensor"
    gos2 = [rand(other, *o._size) for o in outs[:-1]] + [rand(typename, int(np.prod(outs[-1]._size)))]
    gi2 = m.backward(x, gos2)._a
    for i, g in enumerate(gos2):
        got = gi2[(slice(None),) * dim + (i,)]
        assert np.array_equal(got, g._a.astype(gi2.dtype).reshape(got.shape))


@pytest.mark.parametrize("typename", TYPES)
def test_sigmoid_in_place_steps_equal_formula(typename):
    torch.manualSeed(2)
    x = rand(typename, 7, 9)
    x._a[0, :3] = [80, -80, 0]   # saturation and the midpoint
    y = nn.Sigmoid().type(typename).forward(x)._a
    assert np.array_equal(y, np.divide(1, 1 + np.exp(-x._a)))
    xs = rand(typename, 6, 8).narrow(1, 1, 5)   # strided input
    assert np.array_equal(nn.Sigmoid().type(typename).forward(xs)._a, np.divide(1, 1 + np.exp(-xs._a)))


def _cmul_grads_by_copy(inputs, go):
    out = []
    for i in range(len(inputs)):
        a = go.copy()
        for j, t in enumerate(inputs):
            if j != i:
                a *= t
        out.append(a)
    return out


@pytest.mark.parametrize("typename", TYPES)
@pytest.mark.parametrize("n", [1, 2, 3])
def test_cmul_table_grad_input_equals_copy_then_multiply(typename, n):
    torch.manualSeed(3)
    xs = [rand(typename, 5, 6) for _ in range(n)]
    go = rand(typename, 5, 6)
    m = nn.CMulTable().type(typename)
    m.forward(xs)
    gis = m.backward(xs, go)
    for g, r in zip(gis, _cmul_grads_by_copy([x._a for x in xs], go._a)):
        assert np.array_equal(g._a, r)
    # a gradInput buffer that is also an input: the products are taken before it is written
    if n >= 2:
        m.gradInput = [xs[1], torch.TENSOR_TYPES[typename]()]
        ref = _cmul_grads_by_copy([x._a.copy() for x in xs], go._a)
        gis = m.backward(xs, go)
        assert np.array_equal(gis[0]._a, ref[0])


@pytest.mark.parametrize("typename", TYPES)
def test_cadd_table_grad_input_is_a_copy_of_grad_output(typename):
    torch.manualSeed(4)
    xs = [rand(typename, 4, 6), rand(typename, 4, 6), rand(typename, 24)]   # the last: same count
    go = rand(typename, 4, 6)
    m = nn.CAddTable().type(typename)
    m.forward(xs[:2])
    gis = m.backward(xs[:2], go)
    assert all(np.array_equal(g._a, go._a) and g._a is not go._a for g in gis)
    other = "torch.FloatTensor" if typename == TYPES[0] else "torch.DoubleTensor"
    m.gradInput = [torch.TENSOR_TYPES[other](), torch.TENSOR_TYPES[typename]()]
    xs2 = [rand(other, 4, 6), xs[2]]
    gis = m.backward(xs2, go)
    assert gis[0].typename == other and np.array_equal(gis[0]._a, go._a.astype(gis[0]._a.dtype))
    assert gis[1]._size == (24,) and np.array_equal(gis[1]._a, go._a.reshape(24))
