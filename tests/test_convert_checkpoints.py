"""Checkpoints as users have them: a char-rnn checkpoint (tables around the model, char-rnn's own
OneHot class), --key paths, several models, Lua-defined layers and the plugin hook, the CLI's
exit codes, dynamic batch in ONNX, the generated .py file, the progress bar."""
import io
import os
import subprocess
import sys

import numpy as np
import pytest

import pytorch_lite as torch
from pytorch_lite import nn, converters, serialization
from pytorch_lite.cli import main as cli_main
from pytorch_lite.converters import ConversionError
from pytorch_lite.errors import TorchValueError
import charrnn_checkpoint

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


@pytest.fixture()
def charrnn(tmp_path):
    path = str(tmp_path / "lm_lstm_epoch1.00_1.6000.t7")
    rnn = charrnn_checkpoint.save(path)
    return path, rnn


def _cli(*argv):
    out = io.StringIO()
    return cli_main(list(argv), out), out.getvalue()


def _lstm_reference(rnn, x, states):
    """char-rnn's LSTM step written out in numpy from the graph's Linear weights (an oracle
    independent of nngraph): gates i, f, o, g in the order Reshape(4, n) + SplitTable splits."""
    lin = [m for m in rnn.modules if m.typename == "nn.Linear"]
    vocab = lin[0].weight.size(1)
    h_in = np.eye(vocab)[x]
    outs = []
    for layer in range(len(states) // 2):
        c, h = states[2 * layer], states[2 * layer + 1]
        i2h, h2h = lin[2 * layer], lin[2 * layer + 1]
        sums = h_in @ i2h.weight._a.T + i2h.bias._a + h @ h2h.weight._a.T + h2h.bias._a
        n = c.shape[1]
        sig = 1 / (1 + np.exp(-sums[:, :3 * n]))
        i, f, o = sig[:, :n], sig[:, n:2 * n], sig[:, 2 * n:]
        g = np.tanh(sums[:, 3 * n:])
        c = f * c + i * g
        h = o * np.tanh(c)
        outs += [c, h]
        h_in = h
    dec = lin[-1]
    z = h_in @ dec.weight._a.T + dec.bias._a
    z = z - z.max(1, keepdims=True)
    return outs + [z - np.log(np.exp(z).sum(1, keepdims=True))]


def test_charrnn_checkpoint_converts_with_no_key_to_every_format(charrnn, tmp_path, capsys):
    ort = pytest.importorskip("onnxruntime")
    pt = pytest.importorskip("torch")
    path, rnn = charrnn
    for target in ("onnx", "pt", "py"):
        rc, text = _cli("convert", path, str(tmp_path / ("rnn." + target)))
        assert rc == 0 and text.startswith("wrote %s (%s)" % (tmp_path / ("rnn." + target), target)), text
        assert "the batch dimension is free (checked at batch sizes 2 and 3)" in capsys.readouterr().err
    rs = np.random.RandomState(3)
    x = rs.randint(0, 8, 5)
    states = [rs.standard_normal((5, 6)) for _ in range(4)]
    want = _lstm_reference(rnn, x, states)
    sess = ort.InferenceSession(str(tmp_path / "rnn.onnx"), providers=["CPUExecutionProvider"])
    assert [i.type for i in sess.get_inputs()] == ["tensor(int64)"] + ["tensor(float)"] * 4
    assert sess.get_inputs()[0].shape == ["batch"]
    got = sess.run(None, dict(zip([i.name for i in sess.get_inputs()], [x] + [s.astype(np.float32) for s in states])))
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-4, atol=1e-5)
    m = pt.jit.load(str(tmp_path / "rnn.pt"))
    with pt.no_grad():
        got = m(pt.from_numpy(x), *[pt.from_numpy(s) for s in states])
    for g, w in zip(got, want):
        np.testing.assert_allclose(g.numpy(), w, rtol=1e-10, atol=1e-12)


def test_key_paths_and_the_model_list(charrnn, tmp_path):
    path, _ = charrnn
    rc, text = _cli("info", path, "--depth", "1")
    assert rc == 0 and "models (convert --key PATH):\n  protos.rnn  nn.gModule\n" in text
    assert converters.convert(path, str(tmp_path / "a.npz"), key="protos.rnn")["tensors"] == 10
    with pytest.raises(TorchValueError, match=r"no entry 'rn' \(--key protos\.rn\); its models:\n  protos\.rnn  nn\.gModule"):
        converters.convert(path, str(tmp_path / "b.npz"), key="protos.rn")
    with pytest.raises(TorchValueError, match=r"--key opt in .* holds a table of 6 entries, not a model"):
        converters.convert(path, str(tmp_path / "b.npz"), key="opt")
    # a table of several models: listed with their classes, 1-based for list entries
    two = str(tmp_path / "two.t7")
    serialization.save(two, {"models": [nn.Linear(3, 2), nn.Sequential().add(nn.Tanh())], "note": "x"})
    rc, _ = _cli("convert", two, str(tmp_path / "c.npz"))
    assert rc == 2
    with pytest.raises(TorchValueError, match=r"holds 2 models: choose one with --key PATH:\n"
                                        r"  models\.1  nn\.Linear\n  models\.2  nn\.Sequential"):
        converters.convert(two, str(tmp_path / "c.npz"))
    r = converters.convert(two, str(tmp_path / "c.npz"), key="models.1")
    assert set(converters.read_weights(str(tmp_path / "c.npz"))) == {"weight", "bias"} and r["max_error"] == 0
    rc, text = _cli("info", two)
    assert "  models.1  nn.Linear\n  models.2  nn.Sequential\n" in text


def test_cli_error_is_one_line_with_exit_code_2(tmp_path):
    path = str(tmp_path / "m.t7")
    serialization.save(path, nn.Sequential().add(nn.Linear(3, 3)).add(nn.SparseLinear(3, 2)))
    r = subprocess.run([sys.executable, "-m", "pytorch_lite.cli", "convert", path, str(tmp_path / "m.onnx")],
                       capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert r.stderr.strip().splitlines() == [
        "pytorch-lite convert: cannot convert nn.SparseLinear (module path '1') to onnx: its input is a sparse "
        "{index, value} list; no dense PyTorch/ONNX layer takes it"]


def test_unknown_lua_class_in_a_file_is_named_with_the_hook(tmp_path):
    """A torch.class layer pytorch_lite has no class for: the error names it and the hook."""
    from pytorch_lite.serialization import TorchObject
    path = str(tmp_path / "m.t7")
    obj = TorchObject("MyAttention", {"output": torch.Tensor(), "gradInput": torch.Tensor(), "train": True})
    seq = nn.Sequential().add(nn.Linear(3, 3))
    seq.modules.append(obj)
    serialization.save(path, {"model": seq})
    with pytest.raises(ConversionError, match=r"cannot convert MyAttention \(module path '1'\) to pt: pytorch_lite "
                                              r"has no class for it .*converters\.declare\('MyAttention'\)"):
        converters.convert(path, str(tmp_path / "m.pt"))


def test_lua_defined_layers_convert_or_name_the_hook(tmp_path):
    pytest.importorskip("lupa")
    import lua_compat
    # nn.LearnedScale's forward is Lua code: refused with its name and the hook ...
    model = lua_compat.load_model(os.path.join(ROOT, "examples", "mlp_model.lua"), 2, 8, 2)
    with pytest.raises(ConversionError, match=r"nn\.LearnedScale \(module path '1'\) to onnx: its forward is Lua "
                                              r"code .*declare\('nn\.LearnedScale'\)"):
        converters.convert(model, str(tmp_path / "m.onnx"))
    # ... and converts once a declaration is registered for it
    try:
        @converters.declare("nn.LearnedScale")
        def learned_scale(m, g, x, s):
            return g.mul(x, s.param("weight"))
        r = converters.convert(model, str(tmp_path / "m.onnx"))
        assert r["max_error"] < 1e-5 and r["dynamic_batch"]
    finally:
        converters.DECLARATIONS.pop("nn.LearnedScale", None)
    # a Lua subclass of a container that keeps its parent's forward converts as that container
    rt = lua_compat.Runtime()
    block = rt.execute("""require 'nn'
        local Block, parent = torch.class('nn.MyBlock', 'nn.Sequential')
        function Block:__init(n) parent.__init(self); self:add(nn.Linear(n, n)); self:add(nn.Tanh()) end
        return nn.MyBlock(4)""") if hasattr(rt, "execute") else None
    if block is None:
        pytest.skip("the Lua runtime has no execute()")
    block = lua_compat.to_python_view(block)
    assert converters.convert(block, str(tmp_path / "b.pt"))["max_error"] < 1e-12
    # a Lua forward that only wires modules is replayed into their declarations ...
    wired = lua_compat.to_python_view(rt.execute("""
        local B, parent = torch.class('nn.Residual', 'nn.Module')
        function B:__init(n) parent.__init(self); self.lin = nn.Linear(n, n); self.act = nn.Tanh()
           self.add = nn.CAddTable() end
        function B:updateOutput(x)
           self.output = self.add:forward({self.act:forward(self.lin:forward(x)), x}); return self.output end
        return nn.Sequential():add(nn.Residual(4)):add(nn.Linear(4, 2))"""))
    r = converters.convert(wired, str(tmp_path / "w.py"), input_shape=(3, 4))
    assert r["max_error"] < 1e-12 and r["batch_sizes_checked"] == [3, 4]
    text = open(tmp_path / "w.py").read()
    assert "self.m0_lin = nn.Linear(4, 4)" in text and "x3 = x2 + input" in text
    lin = wired.modules[0].lin
    x = np.random.RandomState(0).standard_normal((3, 4))
    want = np.tanh(x @ lin.weight._a.T + lin.bias._a) + x
    want = want @ wired.modules[1].weight._a.T + wired.modules[1].bias._a
    np.testing.assert_allclose(wired.forward(torch.Tensor(x.tolist()))._a, want, rtol=1e-12)
    # ... but not one that changes a module's output in place (Lua arithmetic has no declaration)
    scaled = lua_compat.to_python_view(rt.execute("""
        local C, parent = torch.class('nn.Doubled', 'nn.Module')
        function C:__init() parent.__init(self); self.lin = nn.Linear(4, 4) end
        function C:updateOutput(x) self.output = self.lin:forward(x):mul(2); return self.output end
        return nn.Sequential():add(nn.Doubled())"""))
    with pytest.raises(ConversionError, match=r"nn\.Doubled \(module path '0'\) to onnx: its forward is Lua code "
                                              r"that changes values in place"):
        converters.convert(scaled, str(tmp_path / "d.onnx"), input_shape=(2, 4))


def test_generated_py_is_readable_and_standalone(tmp_path):
    pytest.importorskip("torch")
    torch.manualSeed(1)
    model = nn.Sequential().add(nn.SpatialConvolution(3, 4, 3, 3, 1, 1, 1, 1).noBias()) \
        .add(nn.SpatialBatchNormalization(4)).add(nn.ReLU()).add(nn.View(-1).setNumInputDims(3)) \
        .add(nn.Linear(4 * 5 * 5, 3))
    r = converters.convert(model, str(tmp_path / "net.py"), input_shape=(2, 3, 5, 5))
    assert r["state_dict"] == str(tmp_path / "net.pth") and r["batch_sizes_checked"] == [2, 3]
    text = open(tmp_path / "net.py").read()
    assert "pytorch_lite" not in text.split('"""', 2)[2]      # only its docstring mentions the converter
    for line in ("self.m0 = nn.Conv2d(3, 4, (3, 3), stride=(1, 1), padding=(1, 1), bias=False)",
                 "self.m1 = nn.BatchNorm2d(4, eps=1e-05)", "self.m4 = nn.Linear(100, 3)",
                 "x3 = F.relu(x2)", "x4 = x3.reshape(-1, 100)", "def load(path="):
        assert line in text, line
    # the weights of a no-bias convolution (fb.resnet's) are there, and nothing else for it
    import torch as pt
    sd = pt.load(str(tmp_path / "net.pth"))
    np.testing.assert_array_equal(sd["m0.weight"].numpy(), model.modules[0].weight._a)
    assert "m0.bias" not in sd


def test_onnx_batch_dimension_is_symbolic(tmp_path):
    onnx = pytest.importorskip("onnx")
    ort = pytest.importorskip("onnxruntime")
    torch.manualSeed(2)
    model = nn.Sequential().add(nn.Linear(4, 3)).add(nn.Tanh())
    converters.convert(model, str(tmp_path / "m.onnx"))
    mp = onnx.load(str(tmp_path / "m.onnx"))
    onnx.checker.check_model(mp)
    dims = mp.graph.input[0].type.tensor_type.shape.dim
    assert dims[0].dim_param == "batch" and dims[1].dim_value == 4
    sess = ort.InferenceSession(str(tmp_path / "m.onnx"), providers=["CPUExecutionProvider"])
    for n in (1, 7):
        x = np.random.RandomState(n).standard_normal((n, 4))
        want = np.tanh(x @ model.modules[0].weight._a.T + model.modules[0].bias._a)
        np.testing.assert_allclose(sess.run(None, {"input": x.astype(np.float32)})[0], want, rtol=1e-5, atol=1e-6)
    # a model that takes one size only (a non-batch spatial input) keeps its sizes
    single = nn.Sequential().add(nn.SpatialConvolution(2, 2, 3, 3)).add(nn.View(2 * 3 * 3)).add(nn.Linear(18, 2))
    r = converters.convert(single, str(tmp_path / "s.onnx"), input_shape=(2, 5, 5))
    assert r["dynamic_batch"] is False
    dims = onnx.load(str(tmp_path / "s.onnx")).graph.input[0].type.tensor_type.shape.dim
    assert [d.dim_value for d in dims] == [2, 5, 5]


def test_large_model_shows_a_progress_bar(tmp_path, capsys):
    pytest.importorskip("onnx")
    model = nn.Sequential()
    for _ in range(30):
        model.add(nn.Linear(4, 4)).add(nn.Tanh())
    converters.convert(model, str(tmp_path / "m.onnx"))
    err = capsys.readouterr().err
    assert "converting to onnx (61 modules)" in err and "61/61" in err
    converters.convert(nn.Sequential().add(nn.Linear(4, 4)), str(tmp_path / "s.onnx"))
    assert capsys.readouterr().err == ""


def test_every_declared_kind_is_an_nn_class():
    """The declarations name real classes (a typo would silently never match)."""
    from pytorch_lite.converters import NO_EQUIVALENT
    known = set(nn.CLASSES) | {"nngraph.JustElement", "nngraph.JustTable"}
    # added to nn while the converters grew their declarations (absent from older checkouts)
    recent = {"nn.GPU", "nn.Profile", "nn.UpSampling", "nn.FeatureLPPooling"}
    assert set(converters.DECLARATIONS) - known <= recent
    assert set(NO_EQUIVALENT) <= known


def test_gpu_wrappers_and_cudnn_files_convert(tmp_path):
    """A model as cunn/cudnn training scripts save it: cudnn.* layers (fb.resnet's no-bias
    convolutions), wrapped in cunn's DataParallelTable; cudnn.ClippedReLU, which pytorch_lite
    has no class for, becomes HardTanh(0, ceiling)."""
    pytest.importorskip("onnxruntime")
    from pytorch_lite.serialization import TorchObject

    class CudnnConv(nn.SpatialConvolution):
        __t7_typename__ = "cudnn.SpatialConvolution"

    class CudnnBN(nn.SpatialBatchNormalization):
        __t7_typename__ = "cudnn.SpatialBatchNormalization"

    torch.manualSeed(5)
    conv = CudnnConv(3, 4, 3, 3, 1, 1, 1, 1).noBias()
    net = nn.Sequential().add(conv).add(CudnnBN(4))
    net.modules.append(TorchObject("cudnn.ClippedReLU", {"ceiling": 0.5, "output": torch.Tensor(),
                                                         "gradInput": torch.Tensor(), "train": True}))
    dpt = TorchObject("nn.DataParallelTable", {"modules": [net], "gpuAssignments": [1, 2], "dimension": 1,
                                               "output": torch.Tensor(), "gradInput": torch.Tensor(), "train": True})
    path = str(tmp_path / "resnet_like.t7")
    serialization.save(path, dpt)
    raw = open(path, "rb").read()
    assert b"cudnn.SpatialConvolution" in raw and b"nn.DataParallelTable" in raw
    r = converters.convert(path, str(tmp_path / "m.onnx"), input_shape=(2, 3, 6, 6))
    assert r["max_error"] <= 1e-5 and r["dynamic_batch"]
    import onnxruntime as ort
    x = np.random.RandomState(0).standard_normal((5, 3, 6, 6))
    sess = ort.InferenceSession(str(tmp_path / "m.onnx"), providers=["CPUExecutionProvider"])
    got = sess.run(None, {"input": x.astype(np.float32)})[0]
    # numpy oracle: the convolution, the evaluate-mode batch norm, then clip to [0, 0.5]
    w = conv.weight._a
    xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    y = np.zeros((5, 4, 6, 6))
    for i in range(6):
        for j in range(6):
            y[:, :, i, j] = np.einsum("nchw,ochw->no", xp[:, :, i:i + 3, j:j + 3], w)
    bn = net.modules[1]
    y = (y - bn.running_mean._a[None, :, None, None]) / np.sqrt(bn.running_var._a[None, :, None, None] + bn.eps)
    y = y * bn.weight._a[None, :, None, None] + bn.bias._a[None, :, None, None]
    np.testing.assert_allclose(got, np.clip(y, 0, 0.5), rtol=1e-4, atol=1e-5)
