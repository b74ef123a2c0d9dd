"""Every nn model among the fixtures loads as live modules and its forward gives the right numbers:
Torch7's recorded output where the fixture has one, else an independent numpy computation from the
loaded weights.  (nngraph models: tests/test_nngraph.py; the module cases: tests/test_nn_*.py.)"""
import os

import numpy as np
import pytest

import pytorch_lite as torch
import fixture_paths
from pytorch_lite import nn

SER = os.path.join(fixture_paths.TORCH7, "serialization")
LUATORCH = os.path.join(fixture_paths.PUBLIC, "luatorch-onnx-convert")
needs_public = pytest.mark.skipif(not os.path.isdir(fixture_paths.PUBLIC),
                                  reason="../shared/fixtures/public is absent (CI always has it)")


def _txt_comment_block(path, header):
    lines = open(path).read().splitlines()
    i = next(k for k, line in enumerate(lines) if line.startswith(header))
    out = []
    for line in lines[i + 1:]:
        if not line.startswith("#   "):
            break
        out.append(line[4:])
    return out


@pytest.mark.parametrize("flavour, mode", [("bin", None), ("b32", "b32"), ("ascii", "ascii")])
def test_nn_model_forward_and_print_equal_torch7(flavour, mode):
    path = os.path.join(SER, "nn_model.%s.t7" % flavour)
    model = torch.load(path) if mode is None else torch.load(path, mode)
    txt = os.path.join(SER, "nn_model.%s.txt" % flavour)
    want = [float(v) for v in _txt_comment_block(txt, "# functional check")[0].split()]
    x = torch.range(1, 36).view(1, 6, 6).div(36)
    got = model.forward(x)
    np.testing.assert_allclose(got.numpy().reshape(-1), want, rtol=1e-12)
    assert str(model).splitlines() == _txt_comment_block(txt, "# print(loaded) gives")


def test_nn_model_default_init_equals_torch7():
    # the file was written right after torch.manualSeed(7) and these constructors
    torch.manualSeed(7)
    built = (nn.Sequential().add(nn.SpatialConvolution(1, 2, 3, 3)).add(nn.ReLU())
             .add(nn.SpatialMaxPooling(2, 2, 2, 2)).add(nn.View(8)).add(nn.Linear(8, 3)).add(nn.LogSoftMax()))
    loaded = torch.load(os.path.join(SER, "nn_model.bin.t7"))
    for a, b in zip(built.parameters()[0], loaded.parameters()[0]):
        assert a.numpy().tolist() == b.numpy().tolist()


def _linear(x, m):
    y = x @ m.weight.numpy().astype(np.float64).T
    return y + m.bias.numpy() if getattr(m, "bias", None) is not None else y


@needs_public
def test_gpu_saved_model_runs_on_the_cpu():
    model = torch.load(os.path.join(fixture_paths.PUBLIC, "DeepLearning_HW1", "model.t7"))
    lin = model.findModules("nn.Linear")[0]  # (modules, their containers), as Torch7
    assert len(lin) == 3 and torch.typename(lin[0].weight) == "torch.FloatTensor"
    x = np.random.RandomState(0).rand(5, 1, 28, 28).astype(np.float32)
    got = model.forward(torch.from_numpy(x)).numpy()
    h = x.reshape(5, 784).astype(np.float64)
    h = np.maximum(_linear(h, lin[0]), 0)
    h = np.maximum(_linear(h, lin[1]), 0)
    h = _linear(h, lin[2])
    want = h - np.log(np.exp(h - h.max(1, keepdims=True)).sum(1, keepdims=True)) - h.max(1, keepdims=True)
    np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)


@needs_public
def test_luatorch_model4_sequential():
    model = torch.load(os.path.join(LUATORCH, "test__data__model4.t7"))
    x = np.random.RandomState(1).randn(6, 10)
    got = model.forward(torch.from_numpy(x.copy())).numpy()
    l1, l2 = model.findModules("nn.Linear")[0]
    np.testing.assert_allclose(got, _linear(np.tanh(_linear(x, l1)), l2), rtol=1e-12)


@needs_public
@pytest.mark.parametrize("name", ["test__data__model1.t7", "test__data__model1batch.t7"])
def test_luatorch_module_tables(name):
    mods = torch.load(os.path.join(LUATORCH, name))
    batch = "batch" in name
    rs = np.random.RandomState(2)
    lead = (7,) if batch else ()
    # the pointwise modules: invert Torch7's stored output to get its input, then forward again
    for key, inverse in (("tanh", np.arctanh), ("sigmoid", lambda y: np.log(y / (1 - y)))):
        m = mods[key]
        stored = m.output.clone()
        again = m.forward(torch.from_numpy(inverse(stored.numpy())))
        np.testing.assert_allclose(again.numpy(), stored.numpy(), rtol=1e-9, atol=1e-12)
    x = rs.randn(*(lead + (20,)))
    for key in ("linear-bias", "linear-nobias"):
        m = mods[key]
        np.testing.assert_allclose(m.forward(torch.from_numpy(x.copy())).numpy(), _linear(x, m), rtol=1e-12)
    v = rs.randn(*(lead + (15,)))
    np.testing.assert_array_equal(mods["abs"].forward(torch.from_numpy(v.copy())).numpy(), np.abs(v))
    r = rs.randn(*(lead + (84,)))
    assert mods["reshape"].forward(torch.from_numpy(r.copy())).numpy().tolist() == r.reshape(lead + (4, 3, 7)).tolist()
    rep = mods["replicate"].forward(torch.from_numpy(rs.randn(*(lead + (5,)))))
    assert list(rep.size()) == list(lead + (3, 5))
    a, b = rs.randn(*(lead + (3,))), rs.randn(*(lead + (3,)))
    np.testing.assert_array_equal(mods["cadd-table"].forward([torch.from_numpy(a), torch.from_numpy(b)]).numpy(), a + b)
    idx = torch.LongTensor([0, 4, 19])           # 0-based rows in Python
    w = mods["lookup"].weight.numpy()
    np.testing.assert_array_equal(mods["lookup"].forward(idx).numpy(), w[[0, 4, 19]])
    parts = mods["splittable"].forward(torch.from_numpy(rs.randn(*(lead + (4, 6)))))
    assert len(parts) == 6  # SplitTable(2) (1-based), with nInputDims=2 in the batch file
