"""The Module/Container API of nn doc/module.md: parameters, getParameters, share, clone,
type, training/evaluate, apply/listModules/findModules/replace, accUpdateGradParameters,
and bad input naming the module."""
import numpy as np
import pytest

import pytorch_lite as torch
from pytorch_lite import nn
from pytorch_lite.errors import TorchError


def mlp():
    return nn.Sequential().add(nn.Linear(4, 3)).add(nn.Tanh()).add(nn.Linear(3, 2))


def test_get_parameters_flattens_into_views():
    m = mlp()
    before = [p.clone() for p in m.parameters()[0]]
    flat, gflat = m.getParameters()
    assert flat.nElement() == 4 * 3 + 3 + 3 * 2 + 2 == gflat.nElement()
    params, grads = m.parameters()
    off = 0
    for p, g, b in zip(params, grads, before):
        assert p.storage() is flat.storage() and g.storage() is gflat.storage()
        assert p.storageOffset() == g.storageOffset() == off
        np.testing.assert_array_equal(p._a, b._a)
        off += p.nElement()
    flat.fill(0.5)  # writing the flat vector writes every module's weights
    assert m.get(0).weight._a.max() == 0.5 and m.get(2).bias._a.min() == 0.5


def test_get_parameters_counts_shared_parameters_once():
    a, b = nn.Linear(3, 3), nn.Linear(3, 3)
    b.share(a, "weight", "bias", "gradWeight", "gradBias")
    m = nn.Sequential().add(a).add(b)
    flat, gflat = m.getParameters()
    assert flat.nElement() == 12 == gflat.nElement()
    assert a.weight.storage() is b.weight.storage() and a.weight.storageOffset() == b.weight.storageOffset()


def test_get_parameters_matches_a_training_step_with_update_parameters():
    x = torch.DoubleTensor(np.random.RandomState(1).standard_normal((5, 4)))
    g = torch.DoubleTensor(np.random.RandomState(2).standard_normal((5, 2)))
    m1 = mlp()
    m2 = m1.clone()
    flat, gflat = m2.getParameters()
    for m in (m1, m2):
        m.zeroGradParameters()
        m.forward(x)
        m.backward(x, g)
    m1.updateParameters(0.1)
    flat._a[...] -= 0.1 * gflat._a
    for p, q in zip(m1.parameters()[0], m2.parameters()[0]):
        np.testing.assert_allclose(p._a, q._a, rtol=1e-14)


def test_acc_update_grad_parameters_is_a_sgd_step():
    x = torch.DoubleTensor(np.random.RandomState(3).standard_normal((5, 4)))
    g = torch.DoubleTensor(np.random.RandomState(4).standard_normal((5, 3)))
    a = nn.Linear(4, 3)
    b = a.clone()
    a.zeroGradParameters()
    a.forward(x)
    a.backward(x, g)
    a.updateParameters(0.05)
    b.forward(x)
    b.backwardUpdate(x, g, 0.05)
    np.testing.assert_allclose(a.weight._a, b.weight._a, rtol=1e-14)
    np.testing.assert_allclose(a.bias._a, b.bias._a, rtol=1e-14)


def test_clone_is_deep_and_clone_with_names_shares():
    a = nn.Linear(3, 2)
    c = a.clone()
    assert c.weight.storage() is not a.weight.storage()
    np.testing.assert_array_equal(c.weight._a, a.weight._a)
    s = a.clone("weight", "bias")
    assert s.weight.storage() is a.weight.storage()
    assert s.gradWeight.storage() is not a.gradWeight.storage()


def test_clone_keeps_sharing_through_objects_it_deep_copies():
    # a key object (nngraph's LuaKey(data) in a mapindex), as a key or a value, met before the
    # table it refers to: the clone's refers to the clone's table, one object, as Torch7's clone
    from pytorch_lite.serialization.types import LuaKey
    m = nn.Identity()
    data = {"w": torch.Tensor([1.0, 2.0])}
    m.__dict__ = {"keyed": {LuaKey(data): 1}, "held": [LuaKey(data)], "data": data, **m.__dict__}
    c = m.clone()
    (key,) = c.keyed
    assert key.value is c.data and c.held[0].value is c.data and c.data is not data
    c.data["w"].fill(5)
    assert data["w"]._a.tolist() == [1.0, 2.0]


def test_type_conversion_keeps_sharing():
    a = nn.Linear(3, 2)
    b = a.clone("weight", "bias")
    m = nn.Sequential().add(a).add(b).float()
    assert a.weight.typename == "torch.FloatTensor" and m.type() == "torch.FloatTensor"
    assert a.weight.storage() is b.weight.storage()
    m.double()
    assert a.weight.typename == "torch.DoubleTensor"


def test_training_evaluate_reach_every_module():
    m = mlp()
    m.evaluate()
    assert all(x.train is False for x in m.listModules())
    m.training()
    assert all(x.train is True for x in m.listModules())


def test_tree_walks():
    inner = nn.Sequential().add(nn.Linear(2, 2)).add(nn.Tanh())
    m = nn.Sequential().add(nn.Linear(2, 2)).add(inner).add(nn.Tanh())
    assert [x.typename for x in m.listModules()] == ["nn.Sequential", "nn.Linear", "nn.Sequential",
                                                     "nn.Linear", "nn.Tanh", "nn.Tanh"]
    nodes, containers = m.findModules("nn.Tanh")
    assert len(nodes) == 2 and containers[0] is inner and containers[1] is m
    seen = []
    m.apply(lambda x: seen.append(x.typename))
    assert len(seen) == 6
    m.replace(lambda x: nn.ReLU() if x.typename == "nn.Tanh" else x)
    assert [x.typename for x in m.listModules()].count("nn.ReLU") == 2


def test_sequential_insert_remove_and_fields():
    m = mlp()
    assert len(m) == 3 and m.output is not None
    m.insert(nn.ReLU(), 1)
    assert m.get(1).typename == "nn.ReLU"
    m.remove(1)
    assert m.get(1).typename == "nn.Tanh"
    with pytest.raises(TorchError):
        m.get(7)


def test_call_is_forward_and_backward():
    m = nn.Linear(3, 2)
    x = torch.DoubleTensor(np.ones((4, 3)))
    out = m(x)
    assert out is m.output
    out, gin = m(x, torch.DoubleTensor(np.ones((4, 2))))
    assert gin is m.gradInput and gin._size == (4, 3)


@pytest.mark.parametrize("module, x, words", [
    (lambda: nn.Linear(5, 3), (4, 6), ["nn.Linear", "5"]),
    (lambda: nn.Linear(5, 3), (2, 2, 5), ["nn.Linear"]),
    (lambda: nn.LogSoftMax(), (2, 2, 2, 2, 2), ["nn.LogSoftMax", "1D, 2D, 3D or 4D"]),
    (lambda: nn.Select(3, 0), (2, 2), ["nn.Select"]),
    (lambda: nn.View(5), (2, 3), ["nn.View"]),
])
def test_bad_input_names_the_module(module, x, words):
    with pytest.raises(TorchError) as e:
        module().forward(torch.DoubleTensor(*x).zero())
    for w in words:
        assert w in str(e.value)


def test_criterion_bad_input():
    with pytest.raises(TorchError) as e:
        nn.MSECriterion().forward(torch.DoubleTensor(3).zero(), torch.DoubleTensor(4).zero())
    assert "nn.MSECriterion" in str(e.value)
    with pytest.raises(TorchError) as e:
        nn.ClassNLLCriterion().forward(torch.DoubleTensor(2, 3).zero(), torch.LongTensor([0, 3]))
    assert "nn.ClassNLLCriterion" in str(e.value)


def test_default_init_follows_torch7_rng_stream():
    """Linear's reset draws weight then bias with uniform(-1/sqrt(in), 1/sqrt(in)) from the global
    generator: the Linear_batch fixture's params came from manualSeed(seed) + nn.Linear(5, 3)."""
    import nn_cases as C
    f = C.load_fixture("Linear_batch")
    torch.manualSeed(f["seed"])
    m = nn.Linear(5, 3)
    params = C.lua_list(f["params"])
    np.testing.assert_array_equal(m.weight._a, params[0]._a)
    np.testing.assert_array_equal(m.bias._a, params[1]._a)


def test_pytorch_oracle_for_mlp_with_cross_entropy():
    ptorch = pytest.importorskip("torch")
    m = nn.Sequential().add(nn.Linear(6, 5)).add(nn.ReLU()).add(nn.Linear(5, 4))
    crit = nn.CrossEntropyCriterion()
    rs = np.random.RandomState(0)
    x = rs.standard_normal((7, 6))
    y = rs.randint(0, 4, 7)
    loss = crit.forward(m.forward(torch.DoubleTensor(x)), torch.LongTensor(y))
    m.zeroGradParameters()
    m.backward(torch.DoubleTensor(x), crit.backward(m.output, torch.LongTensor(y)))
    l1, l2 = m.get(0), m.get(2)
    pm = ptorch.nn.Sequential(ptorch.nn.Linear(6, 5), ptorch.nn.ReLU(), ptorch.nn.Linear(5, 4)).double()
    with ptorch.no_grad():
        pm[0].weight.copy_(ptorch.from_numpy(l1.weight._a.copy()))
        pm[0].bias.copy_(ptorch.from_numpy(l1.bias._a.copy()))
        pm[2].weight.copy_(ptorch.from_numpy(l2.weight._a.copy()))
        pm[2].bias.copy_(ptorch.from_numpy(l2.bias._a.copy()))
    pl = ptorch.nn.functional.cross_entropy(pm(ptorch.from_numpy(x)), ptorch.from_numpy(y))
    pl.backward()
    assert abs(loss - pl.item()) < 1e-12
    np.testing.assert_allclose(l1.gradWeight._a, pm[0].weight.grad.numpy(), rtol=1e-10, atol=1e-13)
    np.testing.assert_allclose(l2.gradBias._a, pm[2].bias.grad.numpy(), rtol=1e-10, atol=1e-13)


# -- attributes: Python's rules, with Torch7's optional fields defaulted ----------------------------
def test_missing_attribute_raises():
    m = nn.Linear(3, 2)
    with pytest.raises(AttributeError):
        m.wieght  # a typo is an error, not None
    assert not hasattr(m, "wieght") and not hasattr(nn.MSECriterion(), "nosuchfield")
    assert not hasattr(nn.Linear(3, 2, False), "bias")


def test_t7_file_without_optional_fields_loads_and_runs():
    """Fields Torch7 leaves nil are absent from a t7 file; the loaded module reads their defaults
    and writes the file back without inventing them."""
    for m, x in [(nn.Sum(0), torch.randn(3, 4)), (nn.View(12), torch.randn(3, 4)),
                 (nn.Reshape(12), torch.randn(3, 4)), (nn.JoinTable(0), [torch.randn(2), torch.randn(3)]),
                 (nn.Padding(0, 2), torch.randn(3)), (nn.Replicate(2), torch.randn(3)),
                 (nn.Squeeze(), torch.randn(3, 1)), (nn.LookupTable(5, 2), torch.LongTensor([0, 4, 4]))]:
        ref = m.forward(x)
        data = torch.serialize(m)
        m2 = torch.deserialize(data)
        for name in ("nInputDims", "numInputDims", "batchMode", "nInputDim", "ndim", "dim", "maxNorm"):
            assert name not in m2.__dict__ or m2.__dict__[name] is not None  # nil is never written
        out = m2.forward(x)
        for a, b in zip(out if isinstance(out, list) else [out], ref if isinstance(ref, list) else [ref]):
            np.testing.assert_array_equal(a._a, b._a)
        assert torch.serialize(m2) == data
    assert "nInputDims" not in torch.deserialize(torch.serialize(nn.Sum(0))).__dict__


def test_old_files_missing_inplace_and_dropout_v2():
    relu = nn.ReLU()
    fields = {k: v for k, v in relu.__dict__.items() if k != "inplace"}
    old = nn.ReLU.__new__(nn.ReLU)
    old.__t7_read__(fields, 1)
    x = torch.randn(5)
    np.testing.assert_array_equal(old.forward(x)._a, np.maximum(x._a, 0))
    d = nn.Dropout(0.5)
    del d.__dict__["v2"]  # a file from before Dropout v2: v1 scaling in evaluate mode
    d.evaluate()
    np.testing.assert_allclose(d.forward(torch.ones(4))._a, 0.5)


# -- containers name the child an error came from, as Torch7's rethrowErrors does -----------------
def test_container_errors_name_the_child_and_keep_the_type():
    m = nn.Sequential().add(nn.Linear(4, 3)).add(nn.Linear(4, 2))
    with pytest.raises(TorchError) as e:
        m.forward(torch.randn(2, 4))
    assert type(e.value).__name__ == "TorchValueError"
    msg = str(e.value)
    assert msg.startswith("In 2 module of nn.Sequential:\n") and "nn.Linear" in msg and "4" in msg
    nested = nn.Sequential().add(nn.ConcatTable().add(nn.Identity()).add(nn.Sequential().add(nn.Linear(5, 2))))
    with pytest.raises(TorchError) as e:
        nested.forward(torch.randn(3))
    assert str(e.value).startswith("In 1 module of nn.Sequential:\nIn 2 module of nn.ConcatTable:\n"
                                   "In 1 module of nn.Sequential:\nnn.Linear: size mismatch")


@pytest.mark.parametrize("container,x,where", [
    (lambda bad: nn.Concat(0).add(nn.Identity()).add(bad), torch.randn(3), "In 2 module of nn.Concat:"),
    (lambda bad: nn.ParallelTable().add(bad), [torch.randn(3)], "In 1 module of nn.ParallelTable:"),
    (lambda bad: nn.MapTable(bad), [torch.randn(3)], "In 1 module of nn.MapTable:"),
    (lambda bad: nn.Parallel(0, 0).add(bad), torch.randn(1, 3), "In 1 module of nn.Parallel:"),
])
def test_every_container_wraps_child_errors(container, x, where):
    m = container(nn.Linear(5, 2))
    with pytest.raises(TorchError, match="^" + where):
        m.forward(x)


def test_container_wraps_backward_errors():
    m = nn.Sequential().add(nn.Linear(4, 3)).add(nn.Tanh())
    x = torch.randn(2, 4)
    m.forward(x)
    with pytest.raises(TorchError, match="^In 2 module of nn.Sequential:"):
        m.backward(x, torch.randn(5))


def test_identity_forward_modules_backward_rules():
    x, g = torch.randn(3, 4), torch.randn(3, 4)
    m = nn.L1Penalty(0.1, True)
    assert m.forward(x)._a.tolist() == x._a.tolist()
    assert abs(m.loss - 0.1 / 12 * np.abs(x._a).sum()) < 1e-14
    np.testing.assert_allclose(m.backward(x, g)._a, np.sign(x._a) * 0.1 / 12 + g._a, rtol=1e-14)
    np.testing.assert_allclose(nn.L1Penalty(0.1, False, False).backward(x, g)._a, np.sign(x._a) * 0.1)
    np.testing.assert_array_equal(nn.GradientReversal(0.5).backward(x, g)._a, -0.5 * g._a)
    np.testing.assert_array_equal(nn.ZeroGrad().backward(x, g)._a, 0 * g._a)
    t = torch.randn(3, 4)
    ct = nn.CriterionTable(nn.MSECriterion())
    assert abs(ct.forward([x, t]) - ((x._a - t._a) ** 2).mean()) < 1e-14
    np.testing.assert_allclose(ct.backward([x, t])[0]._a, 2 * (x._a - t._a) / 12, rtol=1e-14)
