"""Converters: every fixture model built from convertible modules goes to every target, and each
result, loaded back (pytorch_lite, PyTorch, onnxruntime, the weight files), reproduces
pytorch_lite's outputs; the options of the t7 target; errors name the module at fault."""
import io
import os

import numpy as np
import pytest

import pytorch_lite as torch
import fixture_paths
from pytorch_lite import nn, converters
from pytorch_lite.cli import main as cli_main
from pytorch_lite.converters import ConversionError
from pytorch_lite.serialization import inspect_file

PUB = fixture_paths.PUBLIC
MODELS = {
    "mlp_gmodule": (PUB + "/luatorch-onnx-convert/test__data__model2.t7", None),
    "lstm_gmodule": (PUB + "/luatorch-onnx-convert/test__data__model3.t7", None),
    "sequential": (PUB + "/luatorch-onnx-convert/test__data__model4.t7", None),
    "nested_gmodule": (PUB + "/luatorch-onnx-convert/test__data__model5.t7", None),
    "gmodule_linear_identity": (PUB + "/python-torchfile/testfiles_x86_64__gmodule_with_linear_identity.t7",
                                [(1,), (2,)]),
    "gpu_saved_mlp": (PUB + "/DeepLearning_HW1/model.t7", None),
    "conv_net": (os.path.join(fixture_paths.TORCH7, "serialization", "nn_model.bin.t7"), None),
}
TARGETS = ["t7", "npz", "safetensors", "pt", "py", "onnx"]
HAVE = {"pt": "torch", "py": "torch", "onnx": "onnxruntime"}


def _need(target):
    if target in HAVE:
        pytest.importorskip(HAVE[target])
    if target == "onnx":
        pytest.importorskip("onnx")


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("name", sorted(MODELS))
def test_fixture_models_convert_to_every_target(name, target, tmp_path):
    path, shape = MODELS[name]
    if not os.path.exists(path):
        pytest.skip("fixture missing")
    _need(target)
    out = tmp_path / ("model." + target)
    r = converters.convert(path, str(out), input_shape=shape)
    assert r["target"] == target and out.stat().st_size > 0
    assert r["max_error"] <= 1e-5


def test_fixture_outputs_match_torch7_through_pytorch(tmp_path):
    """The stored Torch7 output of the LSTM cell, reproduced by the exported PyTorch model."""
    pt = pytest.importorskip("torch")
    path = MODELS["lstm_gmodule"][0]
    g = torch.load(path)
    stored = [o._a.copy() for o in g.output]
    inputs = [t._a.copy() for t in g.innode.data["input"]]
    converters.convert(path, str(tmp_path / "m.pt"))
    m = pt.jit.load(str(tmp_path / "m.pt"))
    with pt.no_grad():
        got = m(*[pt.from_numpy(a) for a in inputs])
    for a, b in zip(got, stored):
        np.testing.assert_allclose(a.numpy(), b, rtol=1e-12, atol=1e-14)


def test_weight_names_agree_across_targets(tmp_path):
    pt = pytest.importorskip("torch")
    safetensors = pytest.importorskip("safetensors.numpy")
    path = MODELS["conv_net"][0]
    for t in ("pt", "py", "npz", "safetensors"):
        converters.convert(path, str(tmp_path / ("m." + t)))
    sd = pt.load(str(tmp_path / "m.pth"))                      # the state_dict beside m.py
    scripted = pt.jit.load(str(tmp_path / "m.pt")).state_dict()
    with np.load(str(tmp_path / "m.npz")) as z:
        npz = {k: z[k] for k in z.files}
    st = safetensors.load_file(str(tmp_path / "m.safetensors"))
    assert set(npz) == set(st) == {"0.weight", "0.bias", "4.weight", "4.bias"}
    # PyTorch attribute names cannot hold dots: the module at path 4 is `m4`
    assert set(sd) == set(scripted) == {"m" + k for k in npz}
    model = torch.load(path)
    np.testing.assert_array_equal(st["0.weight"], model.modules[0].weight._a)
    np.testing.assert_array_equal(sd["m4.weight"].numpy(), model.modules[4].weight._a)
    np.testing.assert_array_equal(scripted["m0.bias"].numpy(), model.modules[0].bias._a)


def test_onnx_opset_and_checker(tmp_path):
    onnx = pytest.importorskip("onnx")
    converters.convert(MODELS["lstm_gmodule"][0], str(tmp_path / "m.onnx"))
    m = onnx.load(str(tmp_path / "m.onnx"))
    onnx.checker.check_model(m)
    assert max(o.version for o in m.opset_import if o.domain in ("", "ai.onnx")) >= 17
    assert {"MatMul", "Split", "Sigmoid", "Tanh", "Mul", "Add"} <= {n.op_type for n in m.graph.node}
    assert "1.weight" in {i.name for i in m.graph.initializer}


def test_t7_options_gpu_model_to_cpu_float_ascii_long4(tmp_path):
    src = MODELS["gpu_saved_mlp"][0]
    assert b"torch.Cuda" in open(src, "rb").read()
    out = tmp_path / "cpu.t7"
    converters.convert(src, str(out), type="double", ascii=True, long_size=4)
    raw = open(out, "rb").read()
    assert b"Cuda" not in raw and b"torch.DoubleTensor" in raw
    assert inspect_file(str(out))[0] == "ascii"
    m = torch.load(str(out))
    assert m.modules[1].weight.typename == "torch.DoubleTensor"
    out2 = tmp_path / "b4.t7"
    converters.convert(src, str(out2), type="float", long_size=4)
    assert inspect_file(str(out2)) == ("binary", 4)
    orig = torch.load(src)
    np.testing.assert_array_equal(torch.load(str(out2)).modules[1].weight._a, orig.modules[1].weight._a)


def _python_models():
    torch.manualSeed(11)
    conv = nn.Sequential()
    conv.add(nn.SpatialConvolution(3, 4, 3, 3, 1, 1, 1, 1)).add(nn.SpatialBatchNormalization(4))
    conv.add(nn.ReLU()).add(nn.SpatialAveragePooling(2, 2, 2, 2)).add(nn.SpatialMaxPooling(2, 2, 2, 2))
    conv.add(nn.View(4 * 2 * 2)).add(nn.Linear(16, 5)).add(nn.Dropout(0.5)).add(nn.SoftMax())
    bn = conv.modules[1]
    bn.running_mean.uniform(-1, 1)
    bn.running_var.uniform(0.5, 2)
    x = nn.Identity()()
    y = nn.Identity()()
    h = nn.Tanh()(nn.Linear(4, 6)(x))
    a, b = nn.SplitTable(0)(nn.Reshape(2, 3)(h)).split(2)
    join = nn.JoinTable(0)([nn.CMulTable()([a, nn.Linear(2, 3)(y)]), b])
    g = nn.gModule([x, y], [nn.MulConstant(0.5)(join), nn.Sigmoid()(h)])
    return {"conv_bn_pool": (conv, (2, 3, 8, 8)), "graph_split_join": (g, [(4,), (2,)])}


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("name", ["conv_bn_pool", "graph_split_join"])
def test_models_built_here_convert(name, target, tmp_path):
    _need(target)
    model, shape = _python_models()[name]
    r = converters.convert(model, str(tmp_path / ("m." + target)), input_shape=shape)
    assert r["max_error"] <= 1e-5


def test_error_names_first_unconvertible_module(tmp_path):
    pytest.importorskip("onnx")
    model = nn.Sequential().add(nn.Linear(3, 4)).add(nn.Sequential().add(nn.Tanh()).add(nn.SparseLinear(4, 4)))
    model.add(nn.Tanh())
    with pytest.raises(ConversionError, match=r"nn\.SparseLinear \(module path '1\.1'\) to onnx: its input is a sparse"):
        converters.convert(model, str(tmp_path / "m.onnx"))
    pytest.importorskip("torch")
    with pytest.raises(ConversionError, match=r"nn\.SparseLinear .*'1\.1'.* to pt"):
        converters.convert(model, str(tmp_path / "m.pt"))


def test_large_model_shows_progress_and_converts(tmp_path, capsys):
    pytest.importorskip("onnxruntime")
    model = nn.Sequential()
    for _ in range(30):
        model.add(nn.Linear(4, 4)).add(nn.Tanh())
    r = converters.convert(model, str(tmp_path / "m.onnx"))
    assert r["max_error"] <= 1e-5


def test_cli_convert(tmp_path):
    out = io.StringIO()
    dst = str(tmp_path / "m.safetensors")
    assert cli_main(["convert", MODELS["sequential"][0], dst], out) == 0
    assert "checked" in out.getvalue() and os.path.exists(dst)
    assert cli_main(["convert", MODELS["sequential"][0], str(tmp_path / "m.bin"), "--to", "npz"], io.StringIO()) == 0
    assert cli_main(["convert", MODELS["sequential"][0], str(tmp_path / "m.xyz")], io.StringIO()) == 2
    assert cli_main(["convert", MODELS["gmodule_linear_identity"][0], str(tmp_path / "g.npz"),
                     "--input-shape", "1;2"], io.StringIO()) == 0


LOOKUP_FIXTURE = PUB + "/luatorch-onnx-convert/test__data__model1.t7"


def _lookup_models():
    torch.manualSeed(5)
    seq = nn.Sequential().add(nn.LookupTable(20, 8)).add(nn.View(-1)).add(nn.Linear(40, 3)).add(nn.Tanh())
    models = {"lookup_view_linear": seq}
    if os.path.exists(LOOKUP_FIXTURE):
        models["fixture_lookup"] = torch.load(LOOKUP_FIXTURE)["lookup"]
    return models


def _run_back(target, path, idx):
    """The converted file run on 0-based indices ``idx`` (numpy int64), outside pytorch_lite's model."""
    if target == "pt":
        pt = pytest.importorskip("torch")
        m = pt.jit.load(path)
        with pt.no_grad():
            return m(pt.from_numpy(idx)).numpy()
    import onnxruntime as ort
    sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    assert sess.get_inputs()[0].type == "tensor(int64)"
    return sess.run(None, {sess.get_inputs()[0].name: idx})[0]


@pytest.mark.parametrize("target", TARGETS)
@pytest.mark.parametrize("name", ["lookup_view_linear", "fixture_lookup"])
def test_lookup_table_converts_to_every_target(name, target, tmp_path):
    _need(target)
    models = _lookup_models()
    if name not in models:
        pytest.skip("fixture missing")
    model = models[name]
    out = str(tmp_path / ("m." + target))
    r = converters.convert(model, out)
    assert r["max_error"] <= 1e-5
    n = model.modules[0].weight.size(0) if name == "lookup_view_linear" else model.weight.size(0)
    # the ONNX graph is specialised to the traced shapes: (5,) and (2, 5) as sample_input picks
    idx = np.random.RandomState(1).randint(0, n, (5,) if name == "lookup_view_linear" else (2, 5)).astype(np.int64)
    ref = model.forward(torch.LongTensor(idx.tolist())).clone()._a
    if name == "fixture_lookup":   # numpy oracle: rows of the stored weight, picked by 0-based index
        np.testing.assert_array_equal(ref, model.weight._a[idx])
    if target in ("pt", "onnx"):
        got = _run_back(target, out, idx)
        np.testing.assert_allclose(got.reshape(ref.shape), ref, rtol=1e-5, atol=1e-5)
    elif target in ("npz", "safetensors"):
        arrs = converters.read_weights(out)
        key = "0.weight" if name == "lookup_view_linear" else "weight"
        table = model.modules[0].weight._a if name == "lookup_view_linear" else model.weight._a
        np.testing.assert_array_equal(arrs[key], table)


def test_lookup_table_padding_and_max_norm(tmp_path):
    pt = pytest.importorskip("torch")
    torch.manualSeed(2)
    lt = nn.LookupTable(10, 4, paddingValue=3, maxNorm=1.0)
    lt.weight.mul(3)
    r = converters.convert(lt, str(tmp_path / "m.py"))
    assert r["max_error"] <= 1e-5
    import importlib.util
    spec = importlib.util.spec_from_file_location("converted_lt", str(tmp_path / "m.py"))
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    emb = mod.load().m                       # the root module's layer: an nn.Embedding
    assert emb.padding_idx == 3 and emb.max_norm == 1.0 and emb.norm_type == 2.0
    # rows not touched by the check's sample: both renormalise them in place the same way
    used = set(np.unique(converters.sample_input(lt)._a).tolist())
    fresh = np.array([i for i in range(10) if i not in used][:3] or [0], dtype=np.int64)
    ref = lt.forward(torch.LongTensor(fresh.tolist()))._a
    assert np.all(np.linalg.norm(ref, axis=1) <= 1.0 + 1e-6)
    with pt.no_grad():
        np.testing.assert_allclose(emb(pt.from_numpy(fresh)).numpy(), ref, rtol=1e-6, atol=1e-7)
    # ONNX has no in-place renormalisation: a clear error naming the option and the module
    pytest.importorskip("onnx")
    with pytest.raises(ConversionError, match=r"nn\.LookupTable \(the model root\) to onnx: maxNorm"):
        converters.convert(lt, str(tmp_path / "m.onnx"))
    # paddingValue alone acts on gradients only: the ONNX export goes through
    lt2 = nn.LookupTable(10, 4, paddingValue=3)
    assert converters.convert(lt2, str(tmp_path / "p.onnx"))["max_error"] <= 1e-5


def test_lookup_table_on_float_indices_casts_in_onnx(tmp_path):
    """A LookupTable reached by a float value (not an int64 graph input) gets a Cast."""
    onnx = pytest.importorskip("onnx")
    ort = pytest.importorskip("onnxruntime")
    torch.manualSeed(4)
    lt = nn.LookupTable(7, 3)
    x = torch.Tensor([[0, 6, 2], [1, 1, 5]])
    converters.convert(lt, str(tmp_path / "m.onnx"), sample=x)
    mp = onnx.load(str(tmp_path / "m.onnx"))
    assert "Cast" in {n.op_type for n in mp.graph.node}
    sess = ort.InferenceSession(str(tmp_path / "m.onnx"), providers=["CPUExecutionProvider"])
    got = sess.run(None, {"input": x._a.astype(np.float32)})[0]
    np.testing.assert_allclose(got, lt.weight._a[x._a.astype(int)], rtol=1e-6)


T = torch.Tensor
# modules no Torch7 case exercises (see test_convert_fixtures.py for those): the conversion's own
# check compares them with pytorch_lite's forward at two batch sizes where the model allows it
SYNTHETIC = [
 ("VolumetricFullConvolution", lambda: nn.VolumetricFullConvolution(2, 3, 2, 2, 2, 2, 2, 2, 1, 1, 1), (2, 2, 3, 4, 4)),
 ("VolumetricAveragePooling", lambda: nn.VolumetricAveragePooling(2, 2, 2), (2, 2, 4, 4, 4)),
 ("VolumetricDilatedMaxPooling", lambda: nn.VolumetricDilatedMaxPooling(2, 2, 2, 1, 1, 1, 0, 0, 0, 2, 2, 2), (2, 2, 6, 6, 6)),
 ("VolumetricDilatedConvolution", lambda: nn.VolumetricDilatedConvolution(2, 3, 2, 2, 2, 1, 1, 1, 0, 0, 0, 2, 2, 2), (2, 2, 6, 6, 6)),
 ("VolumetricBatchNormalization", lambda: nn.VolumetricBatchNormalization(2), (2, 2, 3, 3, 3)),
 ("VolumetricReplicationPadding", lambda: nn.VolumetricReplicationPadding(1, 2, 0, 1, 2, 0), (2, 2, 3, 3, 3)),
 ("SpatialDepthWiseConvolution", lambda: nn.SpatialDepthWiseConvolution(3, 2, 3, 3, 1, 1, 1, 1), (2, 3, 6, 6)),
 ("SpatialConvolutionMap", lambda: nn.SpatialConvolutionMap(nn.tables.random(3, 4, 2), 3, 3), (2, 3, 7, 7)),
 ("SpatialSubSampling", lambda: nn.SpatialSubSampling(3, 2, 2, 2, 2), (2, 3, 6, 6)),
 ("TemporalSubSampling", lambda: nn.TemporalSubSampling(4, 3, 2), (2, 9, 4)),
 ("SpatialDilatedMaxPooling", lambda: nn.SpatialDilatedMaxPooling(2, 2, 1, 1, 0, 0, 2, 2), (2, 2, 7, 7)),
 ("SpatialAdaptiveMaxPooling_uneven", lambda: nn.SpatialAdaptiveMaxPooling(3, 2), (2, 2, 7, 5)),
 ("SpatialAdaptiveAveragePooling_even", lambda: nn.SpatialAdaptiveAveragePooling(2, 2), (2, 2, 6, 4)),
 ("PixelShuffle", lambda: nn.PixelShuffle(2), (2, 8, 3, 3)),
 ("CReLU", lambda: nn.CReLU(3), (2, 3, 4, 4)),
 ("GatedLinearUnit", lambda: nn.GatedLinearUnit(), (3, 8)),
 ("Maxout", lambda: nn.Maxout(5, 3, 4), (2, 5)),
 ("Decorator", lambda: nn.Decorator(nn.Linear(4, 3)), (2, 4)),
 ("SoftMin", lambda: nn.SoftMin(), (3, 5)),
 ("TanhShrink", lambda: nn.TanhShrink(), (3, 5)),
 ("SoftPlus_threshold", lambda: nn.SoftPlus(2, 1), (3, 5)),
 ("Constant", lambda: nn.Constant(T([1, 2, 3]), 1), (4, 5)),
 ("WeightedEuclidean", lambda: nn.WeightedEuclidean(4, 3), (2, 4)),
 ("Cosine", lambda: nn.Cosine(4, 3), (2, 4)),
 ("Collapse", lambda: nn.Collapse(2), (2, 3, 4)),
 ("Euclidean", lambda: nn.Euclidean(4, 3), (2, 4)),
 ("SpatialUpSamplingBilinear", lambda: nn.SpatialUpSamplingBilinear(2), (2, 2, 3, 4)),
 ("LinearWeightNorm", lambda: nn.LinearWeightNorm(4, 3), (2, 4)),
 ("MixtureTable", lambda: nn.Sequential().add(nn.ConcatTable().add(nn.Sequential().add(nn.Linear(4, 3)).add(nn.SoftMax())).add(nn.ConcatTable().add(nn.Linear(4, 2)).add(nn.Linear(4, 2)).add(nn.Linear(4, 2)))).add(nn.MixtureTable()), (2, 4)),
 ("ZipTable", lambda: nn.Sequential().add(nn.ConcatTable().add(nn.ConcatTable().add(nn.Identity()).add(nn.Tanh())).add(nn.ConcatTable().add(nn.Sigmoid()).add(nn.Abs()))).add(nn.ZipTable()).add(nn.FlattenTable()), (2, 4)),
 ("CAddTensorTable", lambda: nn.Sequential().add(nn.ConcatTable().add(nn.Identity()).add(nn.ConcatTable().add(nn.Tanh()).add(nn.Sigmoid()))).add(nn.CAddTensorTable()).add(nn.JoinTable(1)), (2, 4)),
 ("SpatialConvolution_nobias_resnet", lambda: nn.SpatialConvolution(3, 4, 3, 3, 2, 2, 1, 1).noBias(), (2, 3, 8, 8)),
 ("TemporalRowConvolution", lambda: nn.TemporalRowConvolution(4, 3, 1), (2, 7, 4)),
 ("WeightNorm", lambda: nn.WeightNorm(nn.Linear(4, 3)), (2, 4)),
 ("SpatialFullConvolutionMap", lambda: nn.SpatialFullConvolutionMap(nn.tables.oneToOne(3), 3, 3, 2, 2), (3, 5, 5)),
 ("Convert", lambda: nn.Convert("bchw", "bf"), (2, 3, 2, 2)),
 ("PartialLinear", lambda: nn.PartialLinear(5, 3), (2, 5)),
 ("SpatialConvolutionLocal", lambda: nn.SpatialConvolutionLocal(2, 3, 5, 5, 3, 3), (2, 2, 5, 5)),

 ("Contiguous", lambda: nn.Contiguous(), (2, 3)),
 ("DontCast", lambda: nn.DontCast(nn.Linear(3, 2)), (2, 3)),
 ("GradientReversal", lambda: nn.GradientReversal(), (2, 3)),
 ("L1Penalty", lambda: nn.L1Penalty(0.1), (2, 3)),
 ("NaN", lambda: nn.NaN(nn.Tanh()), (2, 3)),
 ("PrintSize", lambda: nn.PrintSize("x"), (2, 3)),
 ("ZeroGrad", lambda: nn.ZeroGrad(), (2, 3)),
 ("WhiteNoise", lambda: nn.WhiteNoise(0, 0.1), (2, 3)),
 ("VolumetricDropout", lambda: nn.VolumetricDropout(0.3), (2, 2, 2, 2, 2)),
 ("ZipTableOneToMany", lambda: nn.Sequential().add(nn.ConcatTable().add(nn.Identity()).add(nn.ConcatTable().add(nn.Tanh()).add(nn.Abs()))).add(nn.ZipTableOneToMany()).add(nn.FlattenTable()).add(nn.CAddTable()), (2, 3)),
 ("SpatialLogSoftMax_3d", lambda: nn.SpatialLogSoftMax(), (3, 4, 4)),
 ("SpatialMaxPooling_ceil_pad", lambda: nn.SpatialMaxPooling(3, 3, 2, 2, 1, 1).ceil(), (2, 2, 8, 8)),
]


def _nn(name, *args):
    """nn.<name>(*args), skipping where this checkout's nn has no such class yet."""
    if not hasattr(nn, name):
        pytest.skip("nn.%s is not in this checkout" % name)
    return getattr(nn, name)(*args)


def _segnet_like():
    """SegNet's pattern: an unpooling that puts values back where its pooling took the maxima."""
    pool = nn.SpatialMaxPooling(2, 2, 2, 2)
    return nn.Sequential().add(nn.SpatialConvolution(2, 3, 3, 3, 1, 1, 1, 1)).add(pool).add(nn.Tanh()) \
        .add(nn.SpatialMaxUnpooling(pool)).add(nn.SpatialConvolution(3, 1, 3, 3, 1, 1, 1, 1))


def _volumetric_unpooling():
    pool = nn.VolumetricMaxPooling(2, 2, 2)
    return nn.Sequential().add(pool).add(nn.Tanh()).add(nn.VolumetricMaxUnpooling(pool))


SYNTHETIC += [
    ("VolumetricMaxUnpooling", _volumetric_unpooling, (2, 2, 4, 4, 4)),
    ("SpatialMaxUnpooling", _segnet_like, (2, 2, 6, 6)),
    ("SpatialMaxUnpooling_one_sample", _segnet_like, (2, 6, 6)),
    ("UpSampling_nearest", lambda: _nn("UpSampling", 2), (2, 2, 3, 4)),
    ("UpSampling_linear_size", lambda: _nn("UpSampling", {"oheight": 5, "owidth": 7}, "linear"), (2, 2, 3, 4)),
    ("UpSampling_trilinear", lambda: _nn("UpSampling", 2, "linear"), (2, 2, 3, 3, 4)),
    ("FeatureLPPooling_batch", lambda: _nn("FeatureLPPooling", 3, 2, 2, True), (2, 9, 4)),
    ("FeatureLPPooling", lambda: _nn("FeatureLPPooling", 2, 1, 2), (5, 3)),
    ("Profile", lambda: _nn("Profile", nn.Linear(3, 2)), (2, 3)),
    ("GPU", lambda: _nn("GPU", nn.Linear(3, 2), 1), (2, 3)),
]


@pytest.mark.parametrize("target", ["onnx", "pt"])
@pytest.mark.parametrize("name,make,shape", SYNTHETIC, ids=[c[0] for c in SYNTHETIC])
def test_modules_without_a_fixture_convert(name, make, shape, target, tmp_path):
    _need(target)
    torch.manualSeed(3)
    model = make()
    r = converters.convert(model, str(tmp_path / ("m." + target)), input_shape=shape)
    assert r["max_error"] <= 1e-5


def test_nngraph_helper_modules(tmp_path):
    from pytorch_lite import nngraph
    torch.manualSeed(3)
    model = nn.Sequential().add(nn.ConcatTable().add(nn.Tanh())).add(nngraph.JustElement()) \
        .add(nngraph.JustTable()).add(nn.CAddTable())
    r = converters.convert(model, str(tmp_path / "m.npz"), input_shape=(2, 3))
    for target in ("onnx", "pt"):
        _need(target)
        r = converters.convert(model, str(tmp_path / ("m." + target)), input_shape=(2, 3))
        assert r["max_error"] <= 1e-5 and r["dynamic_batch"]


def test_index_and_one_hot_take_index_inputs(tmp_path):
    pytest.importorskip("onnxruntime")
    torch.manualSeed(3)
    x = [torch.Tensor(4, 3).normal(), torch.LongTensor([2, 0, 0])]
    r = converters.convert(nn.Index(0), str(tmp_path / "i.onnx"), sample=x)
    assert r["max_error"] <= 1e-6
    import onnxruntime as ort
    sess = ort.InferenceSession(str(tmp_path / "i.onnx"), providers=["CPUExecutionProvider"])
    got = sess.run(None, {"input1": x[0]._a.astype(np.float32), "input2": np.array([3, 1], dtype=np.int64)})[0]
    np.testing.assert_allclose(got, x[0]._a[[3, 1]], rtol=1e-6)
    hot = nn.Sequential().add(nn.OneHot(5)).add(nn.Linear(5, 2))
    r = converters.convert(hot, str(tmp_path / "h.onnx"), sample=torch.LongTensor([4, 0, 2]))
    assert r["max_error"] <= 1e-5 and r["dynamic_batch"]
