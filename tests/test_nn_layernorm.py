"""nn.LayerNormalization: Torch7's composition of nn modules (centre, unit L2 norm times
sqrt(n), gain and bias).  A single vector is layer normalisation proper (PyTorch's layer_norm is
the reference); for a batch, Torch7's module pairs the input with the replicated means element by
element in memory order (CSubTable subtracts two tensors of equal size but different shapes), and
this module does the same: the reference below models that TH arithmetic directly."""
import io

import numpy as np
import torch as ref

import pytorch_lite as torch
from pytorch_lite import nn
from pytorch_lite.nn import jacobian
from lua_compat.runtime import Runtime


def test_single_vector_is_layer_normalisation():
    torch.manualSeed(1)
    m = nn.LayerNormalization(6, 0.25)
    x = torch.randn(6)
    want = ref.nn.functional.layer_norm(ref.tensor(x._a), (6,), eps=0).numpy() + 0.25
    np.testing.assert_allclose(m.forward(x)._a, want, atol=1e-8)
    assert [type(c).__name__ for c in m.modules] == ["ConcatTable", "CSubTable", "Normalize", "MulConstant",
                                                      "CMul", "Add"]
    assert len(nn.LayerNormalization(6, 0, 1e-10, False).modules) == 4


def test_batch_follows_torch7s_element_pairing():
    torch.manualSeed(2)
    m = nn.LayerNormalization(5)
    x = torch.randn(3, 5)
    a = x._a
    centred = (a.reshape(-1) - np.tile(a.mean(1), 5)).reshape(3, 5)   # (5, 3) means, row-major pairing
    want = centred / np.sqrt((centred ** 2).sum(1, keepdims=True) + 1e-10) * np.sqrt(5)
    np.testing.assert_allclose(m.forward(x)._a, want, atol=1e-8)


def test_gradients_and_t7_round_trip(tmp_path):
    torch.manualSeed(3)
    m = nn.LayerNormalization(4, 0.5)
    x = torch.randn(4)
    assert jacobian.testJacobian(m, x) < 1e-6
    assert jacobian.testJacobianParameters(m, x, m.modules[4].weight, m.modules[4].gradWeight) < 1e-6
    path = str(tmp_path / "ln.t7")
    torch.save(path, m)
    back = torch.load(path)
    assert type(back) is nn.LayerNormalization
    np.testing.assert_array_equal(back.forward(x)._a, m.forward(x)._a)


def test_from_lua():
    got = Runtime(stdout=io.StringIO()).execute("""
        require 'nn'
        local m = nn.LayerNormalization(3)
        local y = m:forward(torch.Tensor{1, 2, 6})
        return torch.type(m), y:mean(), y:norm() ^ 2""")
    assert got[0] == "nn.LayerNormalization"
    assert abs(got[1]) < 1e-12 and abs(got[2] - 3) < 1e-8
