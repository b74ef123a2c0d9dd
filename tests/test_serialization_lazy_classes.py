"""pytorch_lite.load of a file holding nn / nngraph / optim objects gives live objects in a fresh
interpreter that never imported pytorch_lite.nn: the class registry imports the package that
defines a Torch class when a file first needs it."""
import os
import subprocess
import sys

import numpy as np
import pytest

import pytorch_lite as torch
from pytorch_lite import nn, optim  # noqa: F401  (this process: the reference outputs)
from fixture_paths import PUBLIC, TORCH7

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
NN_MODEL = os.path.join(TORCH7, "serialization", "nn_model.bin.t7")
GMODULE = os.path.join(PUBLIC, "luatorch-onnx-convert", "test__data__model2.t7")

CHILD = r"""
import sys
import numpy as np
import pytorch_lite as torch
assert "pytorch_lite.nn" not in sys.modules and "pytorch_lite.nngraph" not in sys.modules
m = torch.load(sys.argv[1])
print(type(m).__module__, type(m).__name__)
x = torch.DoubleTensor(np.arange(float(sys.argv[3])).reshape([int(d) for d in sys.argv[2].split("x")]) / 10)
out = m.forward(x.type(m.output.type() if hasattr(m.output, "type") else "torch.DoubleTensor"))
np.save(sys.argv[4], out.double().numpy())
"""


def _child(path, shape, tmp_path):
    n = int(np.prod([int(d) for d in shape.split("x")]))
    out = str(tmp_path / "out.npy")
    r = subprocess.run([sys.executable, "-c", CHILD, path, shape, str(n), out], cwd=ROOT,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    return r.stdout.split(), np.load(out)


def _here(path, shape):
    m = torch.load(path)
    n = int(np.prod([int(d) for d in shape.split("x")]))
    x = torch.DoubleTensor(np.arange(float(n)).reshape([int(d) for d in shape.split("x")]) / 10)
    return m.forward(x.type(m.output.type())).double().numpy()


@pytest.mark.skipif(not os.path.isfile(NN_MODEL), reason="Torch7 fixtures not present")
def test_nn_model_loads_live_without_importing_nn(tmp_path):
    kind, out = _child(NN_MODEL, "1x1x6x6", tmp_path)
    assert kind == ["pytorch_lite.nn.Sequential", "Sequential"]
    want = _here(NN_MODEL, "1x1x6x6")
    assert out.shape == (3,)
    np.testing.assert_allclose(out, want, rtol=1e-12)
    assert np.isclose(np.exp(out).sum(), 1)   # the model ends in LogSoftMax


@pytest.mark.skipif(not os.path.isfile(GMODULE), reason="public fixtures not present")
def test_gmodule_loads_live_without_importing_nngraph(tmp_path):
    kind, out = _child(GMODULE, "3x20", tmp_path)
    assert kind == ["pytorch_lite.nngraph.gmodule", "gModule"]
    np.testing.assert_allclose(out, _here(GMODULE, "3x20"), rtol=1e-12)
    assert out.shape == (3, 1)


def test_optim_object_loads_live(tmp_path):
    p = str(tmp_path / "cm.t7")
    cm = optim.ConfusionMatrix(3)
    cm.add(0, 0)
    cm.add(2, 1)
    torch.save(p, cm)
    code = ("import sys, pytorch_lite as torch\nassert 'pytorch_lite.optim' not in sys.modules\n"
            "cm = torch.load(sys.argv[1])\ncm.updateValids()\n"
            "print(type(cm).__name__, cm.mat.sum(), round(cm.totalValid, 6))")
    r = subprocess.run([sys.executable, "-c", code, p], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["ConfusionMatrix", "2", "0.5"]
