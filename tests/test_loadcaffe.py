"""pytorch_lite.converters.caffe (loadcaffe.load from Python) on small Caffe models written by
tests/caffe_nets.py, with PyTorch CPU computing the Caffe net's forward from the same weights."""
import numpy as np
import pytest

import pytorch_lite as torch
from pytorch_lite import nn
from pytorch_lite.converters import caffe, load_caffe
from pytorch_lite.converters.errors import CaffeFormatError, CaffeLayerError
from pytorch_lite.cuda import device
from pytorch_lite.errors import TorchValueError

import caffe_nets as C

pytest.importorskip("google.protobuf")
pytest.importorskip("torch")

NAMES = ["conv1", "relu1", "norm1", "pool1", "conv2", "relu2", "pool2", "torch_view", "fc6", "relu6", "drop6",
         "fc7", "prob"]
TYPES = ["nn.SpatialConvolution", "nn.ReLU", "nn.SpatialCrossMapLRN", "nn.SpatialMaxPooling",
         "nn.SpatialConvolution", "nn.ReLU", "nn.SpatialAveragePooling", "nn.View", "nn.Linear", "nn.ReLU",
         "nn.Dropout", "nn.Linear", "nn.SoftMax"]


def forward(net, x):
    return net.forward(torch.from_numpy(np.ascontiguousarray(x, dtype=np.float64))).numpy().copy()


def sample(*shape, seed=1):
    return np.random.RandomState(seed).standard_normal(shape)


@pytest.mark.parametrize("v1", [True, False], ids=["V1 layers", "current layer"])
def test_tiny_vgg_matches_pytorch(tmp_path, v1):
    layers = C.tiny_vgg()
    net = caffe.load(*C.write(tmp_path, layers, v1, (1, 3, 20, 20)))
    # loadcaffe's modules: one per layer, named by it, a View before the first fc; in the current
    # layout its loop stops at the Softmax
    n = len(NAMES) if v1 else len(NAMES) - 1
    assert [m.name for m in net.modules] == NAMES[:n]
    assert [m.typename for m in net.modules] == TYPES[:n]
    pool1, pool2, view = net.get(3), net.get(6), net.get(7)
    assert pool1.ceil_mode and pool2.ceil_mode and (pool2.padW, pool2.padH) == (1, 1)
    assert view.numInputDims == 3 and net.get(1).inplace
    assert net.get(0).weight.typename == "torch.DoubleTensor"
    np.testing.assert_array_equal(net.get(0).weight.numpy(), layers[0]["blobs"][0])   # as stored, no BGR swap
    lrn = net.get(2)
    assert (lrn.size, lrn.alpha, lrn.beta, lrn.k) == (5, 0.3, 0.75, 2.0)
    net.evaluate()
    x = sample(2, 3, 20, 20)
    ref = C.reference(layers, x, stop_at_softmax=not v1)
    y = forward(net, x)
    assert y.shape == ((2, 5))
    np.testing.assert_allclose(y, ref, rtol=1e-10, atol=1e-12)
    # one image (3-D input): the View keeps working without a batch dimension
    np.testing.assert_allclose(forward(net, x[1]), ref[1], rtol=1e-10, atol=1e-12)


def test_training_mode_and_float_type(tmp_path):
    layers = C.tiny_vgg()
    net = load_caffe(*C.write(tmp_path, layers, True))
    assert net.get(10).train   # Dropout active, as loadcaffe leaves it
    torch.manualSeed(2)
    x = sample(2, 3, 20, 20)
    drop = net.get(10)
    net.forward(torch.from_numpy(x))
    assert (drop.output.numpy() == 0).any()
    net.float().evaluate()
    y = net.forward(torch.from_numpy(x).float())
    assert y.typename == "torch.FloatTensor"
    np.testing.assert_allclose(y.numpy(), C.reference(layers, x), rtol=1e-4, atol=1e-5)


def test_a_training_net_keeps_loadcaffes_modules_and_lines(tmp_path, capsys):
    # a caffemodel saved by training: data, accuracy and loss layers; the V1 layout makes the loss a
    # SoftMax and leaves data and accuracy out (printing loadcaffe's warnings)
    layers = C.as_train_net(C.tiny_vgg())
    proto, model = C.write(tmp_path, layers, True)
    net = caffe.load(proto, model, verbose=True)
    assert [m.name for m in net.modules] == NAMES[:-1] + ["loss"]
    assert net.get(12).typename == "nn.SoftMax"
    assert capsys.readouterr().out.splitlines() == [
        "Successfully loaded " + model,
        "MODULE data UNDEFINED", "warning: module 'data [type 5]' not found",
        "MODULE accuracy UNDEFINED", "warning: module 'accuracy [type 1]' not found",
        "conv1: 8 3 3 3", "conv2: 12 4 3 3", "fc6: 1 1 432 16", "fc7: 1 1 16 5"]
    # the current layout: the loop stops at the loss, so accuracy (before it) warns and nothing follows
    proto, model = C.write(tmp_path, layers, False, stem="v2")
    net, lines = caffe.build(proto, model)
    assert [m.name for m in net.modules] == NAMES[:-1]
    assert lines[:3] == ["Successfully loaded " + model, "warning: module 'data [type Data]' not found",
                         "warning: module 'accuracy [type Accuracy]' not found"]
    net.evaluate()
    x = sample(3, 3, 20, 20)
    np.testing.assert_allclose(forward(net, x), C.reference(layers, x, stop_at_softmax=True), rtol=1e-10)


def test_grouped_convolution_in_both_backends(tmp_path, monkeypatch):
    rs = np.random.RandomState(3)
    layers = [C._conv(rs, "conv", "data", 6, 9, (3, 2), group=3, kernel_h=3, kernel_w=2, stride_h=2,
                      stride_w=1, pad_h=0, pad_w=1)]
    paths = C.write(tmp_path, layers, False)
    x = sample(2, 6, 9, 8, seed=4)
    ref = C.reference(layers, x)
    net = caffe.load(*paths)   # nn's convolution has no groups: a block-diagonal weight
    conv = net.get(0)
    assert conv.typename == "nn.SpatialConvolution" and list(conv.weight.size()) == [9, 6, 3, 2]
    assert (conv.kW, conv.kH, conv.dW, conv.dH, conv.padW, conv.padH) == (2, 3, 1, 2, 1, 0)
    w = conv.weight.numpy()
    assert not w[0:3, 2:6].any() and not w[3:6, 0:2].any() and not w[3:6, 4:6].any()
    np.testing.assert_allclose(forward(net, x), ref, rtol=1e-10, atol=1e-12)
    # cudnn: cudnn's grouped convolution, on the GPU (here the Cuda types computing on the CPU)
    monkeypatch.setenv(device.ENV, "cpu")
    net = caffe.load(*paths, backend="cudnn")
    conv = net.get(0)
    assert conv.typename == "cudnn.SpatialConvolution" and conv.groups == 3
    assert list(conv.weight.size()) == [9, 2, 3, 2] and conv.weight.typename == "torch.CudaTensor"
    y = net.forward(torch.from_numpy(x).cuda()).double().numpy()
    np.testing.assert_allclose(y, ref, rtol=1e-4, atol=1e-5)


def test_cudnn_backend_classes(tmp_path, monkeypatch):
    monkeypatch.setenv(device.ENV, "cpu")
    layers = C.tiny_vgg()
    net = caffe.load(*C.write(tmp_path, layers, True), backend="cudnn")
    assert [m.typename for m in net.modules] == [
        "cudnn.SpatialConvolution", "cudnn.ReLU", "cudnn.SpatialCrossMapLRN", "cudnn.SpatialMaxPooling",
        "cudnn.SpatialConvolution", "cudnn.ReLU", "cudnn.SpatialAveragePooling", "nn.View", "nn.Linear",
        "cudnn.ReLU", "nn.Dropout", "nn.Linear", "cudnn.SoftMax"]
    assert [m.name for m in net.modules] == NAMES
    net.evaluate()
    x = sample(2, 3, 20, 20)
    y = net.forward(torch.from_numpy(x).cuda()).double().numpy()
    np.testing.assert_allclose(y, C.reference(layers, x), rtol=1e-4, atol=1e-5)


def test_settings_loadcaffe_got_wrong_compute_caffes_function(tmp_path):
    # TanH (loadcaffe looked for 'Tanh'), LRN within channels, a negative slope, dilation, global
    # pooling, floor rounding, a convolution without bias, a transposed inner product
    rs = np.random.RandomState(5)
    fc = C._fc(rs, "fc", "gpool", 6, 4)
    fc["params"]["inner_product_param"]["transpose"] = True
    fc["blobs"][0] = np.ascontiguousarray(fc["blobs"][0].T)
    layers = [
        C._conv(rs, "conv1", "data", 3, 5, (3, 3), dilation=2, pad=2),
        C._simple("tanh1", "TanH", "conv1"),
        C._simple("norm1", "LRN", "conv1", lrn_param={"local_size": 3, "alpha": 2.0, "beta": 0.75,
                                                       "norm_region": "WITHIN_CHANNEL"}),
        C._simple("pool1", "Pooling", "conv1", pooling_param={"pool": "MAX", "kernel_h": 3, "kernel_w": 2,
                                                              "stride_h": 2, "stride_w": 3, "round_mode": "FLOOR"}),
        C._conv(rs, "conv2", "pool1", 5, 6, (1, 1), bias=False),
        C._simple("relu2", "ReLU", "conv2", relu_param={"negative_slope": 0.1}),
        C._simple("sig2", "Sigmoid", "conv2"),
        C._simple("gpool", "Pooling", "conv2", pooling_param={"pool": "AVE", "global_pooling": True}),
        fc,
    ]
    net = caffe.load(*C.write(tmp_path, layers, False))
    assert [m.typename for m in net.modules] == [
        "nn.SpatialDilatedConvolution", "nn.Tanh", "nn.Sequential", "nn.SpatialMaxPooling", "nn.SpatialConvolution",
        "nn.LeakyReLU", "nn.Sigmoid", "nn.SpatialAdaptiveAveragePooling", "nn.View", "nn.Linear"]
    # (loadcaffe's count rule alone puts no View there: 6 planes make the fc's 6 inputs; its net
    # failed in nn.Linear on the 1x1 maps)
    assert not net.get(3).ceil_mode and not net.get(4).bias.numpy().any()
    x = sample(2, 3, 13, 14, seed=6)
    np.testing.assert_allclose(forward(net, x), C.reference(layers, x), rtol=1e-10, atol=1e-12)


def test_where_the_view_goes(tmp_path):
    # loadcaffe's rule: a View before an fc whose input size is not the plane count of the last
    # convolution / fc (at the start: the number of input_dim values); here also after 1x1 maps
    rs = np.random.RandomState(7)
    layers = [C._conv(rs, "conv", "data", 2, 4, (1, 1)), C._fc(rs, "fc1", "conv", 4, 3), C._fc(rs, "fc2", "fc1", 3, 2)]
    net = caffe.load(*C.write(tmp_path, layers, True))
    assert [m.name for m in net.modules] == ["conv", "torch_view", "fc1", "fc2"]
    x = sample(2, 2, 1, 1)
    np.testing.assert_allclose(forward(net, x), C.reference(layers, x), rtol=1e-10)
    layers[1] = C._fc(rs, "fc1", "conv", 4 * 2 * 2, 3)
    net = caffe.load(*C.write(tmp_path, layers, True, stem="b"))
    assert [m.name for m in net.modules] == ["conv", "torch_view", "fc1", "fc2"]
    x = sample(2, 2, 2, 2)
    np.testing.assert_allclose(forward(net, x), C.reference(layers, x), rtol=1e-10)
    # an MLP on 4 features declared by four input_dim values: no View
    mlp = [C._fc(rs, "fc1", "data", 4, 3), C._fc(rs, "fc2", "fc1", 3, 2)]
    net = caffe.load(*C.write(tmp_path, mlp, True, (1, 4, 1, 1), stem="c"))
    assert [m.name for m in net.modules] == ["fc1", "fc2"]
    x = sample(5, 4)
    np.testing.assert_allclose(forward(net, x), C.reference(mlp, x), rtol=1e-10)


# --- bad input ---------------------------------------------------------------------------------------


def test_missing_files(tmp_path):
    proto, model = C.write(tmp_path, C.tiny_vgg(), True)
    with pytest.raises(CaffeFormatError, match="nope.prototxt: no such file"):
        caffe.load(str(tmp_path / "nope.prototxt"), model)
    with pytest.raises(CaffeFormatError, match="nope.caffemodel: no such file"):
        caffe.load(proto, str(tmp_path / "nope.caffemodel"))


@pytest.mark.parametrize("v1", [True, False])
def test_truncated_caffemodel(tmp_path, v1):
    layers = C.tiny_vgg()
    proto, model = C.write(tmp_path, layers, v1)
    data = open(model, "rb").read()
    cuts = [len(data) // 7, len(data) // 3, len(data) // 2, len(data) - 3]
    # also cut right after a whole layer: the file still parses, the prototxt shows what is missing
    prefix = C.caffemodel([], v1) + b"".join(C.f_bytes(2 if v1 else 100, C.encode_layer(layer, v1))
                                              for layer in layers[:5])
    assert data.startswith(prefix)
    for cut in cuts + [len(prefix)]:
        open(model, "wb").write(data[:cut])
        with pytest.raises(CaffeFormatError, match="truncated") as e:
            caffe.load(proto, model)
        assert e.value.path == model


def test_not_caffe_files(tmp_path):
    proto, model = C.write(tmp_path, C.tiny_vgg(), False)
    with pytest.raises(CaffeFormatError, match="not a prototxt"):
        caffe.load(model, model)   # the binary where the text goes
    (tmp_path / "bad.prototxt").write_text('layer { name: "a" type: "ReLU" \n')
    with pytest.raises(CaffeFormatError, match="bad.prototxt: not a prototxt"):
        caffe.load(str(tmp_path / "bad.prototxt"), model)
    with pytest.raises(CaffeFormatError, match="caffemodel"):
        caffe.load(proto, proto)   # the text where the binary goes
    (tmp_path / "blob.caffemodel").write_bytes(C.caffemodel([dict(
        name="conv1", type="Convolution", params={"convolution_param": {"num_output": 2, "kernel_size": 1}},
        blobs=[np.zeros((2, 2, 1, 1), np.float32)])], False)[:-4])
    with pytest.raises(CaffeFormatError):
        caffe.load(proto, str(tmp_path / "blob.caffemodel"))


def test_blob_that_does_not_fill_its_shape(tmp_path):
    blob = C.f_bytes(7, C.f_bytes(1, b"".join(C.varint(d) for d in (3, 2, 1, 1)))) + \
        C.f_bytes(5, np.zeros(5, np.float32).tobytes())
    layer = C.f_bytes(1, b"conv1") + C.f_bytes(2, b"Convolution") + C.f_bytes(106, C.f_varint(4, 1)) + \
        C.f_bytes(7, blob)
    path = tmp_path / "short.caffemodel"
    path.write_bytes(C.f_bytes(100, layer))
    (tmp_path / "p.prototxt").write_text("")
    with pytest.raises(CaffeFormatError, match=r"blob 1 of layer 'conv1' holds 5 values for its shape 3x2x1x1"):
        caffe.load(str(tmp_path / "p.prototxt"), str(path))


@pytest.mark.parametrize("layer,match", [
    (dict(name="cat", type="Concat"), r"layer 'cat' \(type Concat\): loadcaffe has no nn module"),
    (dict(name="bn", type="BatchNorm"), r"layer 'bn' \(type BatchNorm\)"),
    (dict(name="sp", type="Pooling", params={"pooling_param": {"pool": "STOCHASTIC", "kernel_size": 2}}),
     "stochastic pooling"),
    (dict(name="p", type="Pooling", params={"pooling_param": {"pool": "MAX"}}), "no kernel_size"),
    (dict(name="n", type="LRN", params={"lrn_param": {"local_size": 4, "norm_region": "WITHIN_CHANNEL"}}),
     "even local_size"),
])
def test_layers_without_an_nn_module(tmp_path, layer, match):
    with pytest.raises(CaffeLayerError, match=match):
        caffe.load(*C.write(tmp_path, [layer], False))


def test_v1_unknown_type_and_v0_layout(tmp_path):
    with pytest.raises(CaffeLayerError, match=r"layer 'cat' \(type Concat\)"):
        caffe.load(*C.write(tmp_path, [dict(name="cat", type="Concat")], True))
    v0 = C.f_bytes(2, C.f_bytes(1, C.f_bytes(1, b"conv1") + C.f_bytes(2, b"conv")))
    (tmp_path / "v0.caffemodel").write_bytes(v0)
    (tmp_path / "v0.prototxt").write_text("")
    with pytest.raises(CaffeFormatError, match="V0 layout"):
        caffe.load(str(tmp_path / "v0.prototxt"), str(tmp_path / "v0.caffemodel"))


def test_mismatched_weights(tmp_path):
    layer = C._conv(np.random.RandomState(0), "conv1", "data", 2, 3, (3, 3))
    layer["params"]["convolution_param"]["kernel_size"] = 5
    with pytest.raises(CaffeLayerError, match="3x3 kernels but its parameters say 5x5"):
        caffe.load(*C.write(tmp_path, [layer], False))


def test_backends(tmp_path):
    paths = C.write(tmp_path, C.tiny_vgg(), True)
    with pytest.raises(TorchValueError, match="'ccn2' backend .* not provided"):
        caffe.load(*paths, backend="ccn2")
    with pytest.raises(TorchValueError, match="unknown backend 'caffe'"):
        caffe.load(*paths, backend="caffe")


def test_schema_reads_what_the_test_encoder_writes():
    # the two sides of the wire format agree field by field (schema.py against caffe_nets' encoder)
    from pytorch_lite.converters.caffe import schema
    layers = C.tiny_vgg()
    net = schema.NetParameter()
    net.ParseFromString(C.caffemodel(layers, False, (1, 3, 20, 20)))
    assert net.name == "tiny" and list(net.input) == ["data"] and list(net.input_shape[0].dim) == [1, 3, 20, 20]
    conv2, pool2, lrn = net.layer[4], net.layer[6], net.layer[2]
    c = conv2.convolution_param
    assert (conv2.name, conv2.type, list(conv2.bottom), list(conv2.top)) == \
        ("conv2", "Convolution", ["pool1"], ["conv2"])
    assert (c.num_output, list(c.kernel_size), c.group, list(c.pad), c.bias_term) == (12, [3], 2, [1], True)
    assert list(conv2.blobs[0].shape.dim) == [12, 4, 3, 3]
    assert (pool2.pooling_param.pool, pool2.pooling_param.kernel_size, pool2.pooling_param.stride,
            pool2.pooling_param.pad) == (1, 3, 2, 1)
    assert (lrn.lrn_param.local_size, lrn.lrn_param.beta, lrn.lrn_param.k) == (5, 0.75, 2.0)
    assert abs(lrn.lrn_param.alpha - 0.3) < 1e-7
    assert net.layer[9].dropout_param.dropout_ratio == 0.5 and net.layer[7].inner_product_param.num_output == 16
    v1 = schema.NetParameter()
    v1.ParseFromString(C.caffemodel(layers, True, (1, 3, 20, 20)))
    assert list(v1.input_dim) == [1, 3, 20, 20] and [m.type for m in v1.layers][:4] == [4, 18, 15, 17]
    b = v1.layers[0].blobs[0]
    assert (b.num, b.channels, b.height, b.width) == (8, 3, 3, 3) and len(b.data) == 8 * 27 * 4
    bias = v1.layers[0].blobs[1]
    assert (bias.num, bias.channels, bias.height, bias.width) == (1, 1, 1, 8)


def test_modules_are_constructed_in_layer_order(tmp_path):
    # loadcaffe runs each module's constructor (and so its reset's random draws) in layer order: a
    # seeded script's later draws (neural-style's random initial image) depend on it
    paths = C.write(tmp_path, C.tiny_vgg(), True)
    torch.manualSeed(5)
    caffe.load(*paths)
    after_load = torch.rand(6).numpy().copy()
    torch.manualSeed(5)
    nn.SpatialConvolution(3, 8, 3, 3, 1, 1, 1, 1)
    nn.SpatialConvolution(8, 12, 3, 3, 1, 1, 1, 1)
    nn.Linear(432, 16)
    nn.Linear(16, 5)
    np.testing.assert_array_equal(after_load, torch.rand(6).numpy())


def test_converts_and_saves_with_its_names(tmp_path):
    # a Caffe model saved as a t7 file keeps loadcaffe's names (Torch7 writes the `name` field), and
    # exports like any nn model
    from pytorch_lite.converters import convert
    layers = C.tiny_vgg()
    net = caffe.load(*C.write(tmp_path, layers, True))
    torch.save(str(tmp_path / "vgg.t7"), net)
    back = torch.load(str(tmp_path / "vgg.t7"))
    assert [m.name for m in back.modules] == NAMES
    back.evaluate()
    x = sample(2, 3, 20, 20)
    np.testing.assert_allclose(forward(back, x), C.reference(layers, x), rtol=1e-10)
    report = convert(net, str(tmp_path / "vgg.pt"), input_shape=[2, 3, 20, 20])
    assert report["max_error"] < 1e-9


def test_double_blobs(tmp_path):
    # Caffe built for double writes double_data (field 8) instead of data
    rs = np.random.RandomState(8)
    w, b = rs.standard_normal((3, 4)), rs.standard_normal(3)

    def blob(a):
        return C.f_bytes(7, C.f_bytes(1, b"".join(C.varint(d) for d in a.shape))) + C.f_bytes(8, a.tobytes())
    layer = C.f_bytes(1, b"fc") + C.f_bytes(2, b"InnerProduct") + C.f_bytes(117, C.f_varint(1, 3)) + \
        C.f_bytes(7, blob(w)) + C.f_bytes(7, blob(b))
    (tmp_path / "d.caffemodel").write_bytes(C.f_bytes(100, layer))
    (tmp_path / "d.prototxt").write_text('layer { name: "fc" type: "InnerProduct" }')
    net = caffe.load(str(tmp_path / "d.prototxt"), str(tmp_path / "d.caffemodel"))
    fc = net.get(1)   # after loadcaffe's View (no input dims declared: a count of 0)
    assert [m.name for m in net.modules] == ["torch_view", "fc"]
    np.testing.assert_array_equal(fc.weight.numpy(), w)   # no rounding through float32
    np.testing.assert_array_equal(fc.bias.numpy(), b)


PROTOTXT = """# a training net's prototxt, with the settings of real ones a loader does not read
name: "CaffeNetLike"
layer {
  name: "data"  type: "Data"  top: "data"  top: "label"
  include { phase: TRAIN }
  transform_param { mirror: true crop_size: 8 mean_value: 104 mean_value: 117 mean_value: 123 }
  data_param { source: "train_lmdb" batch_size: 32 backend: LMDB }
}
layer {
  name: "conv1" type: "Convolution" bottom: "data" top: "conv1"
  param { lr_mult: 1 decay_mult: 1 } param { lr_mult: 2 decay_mult: 0 }
  convolution_param {
    num_output: 4 kernel_size: 3 stride: 1 pad: 1 engine: CUDNN
    weight_filler { type: "gaussian" std: 0.01 } bias_filler { type: "constant" value: 0 }
  }
}
layer { name: "relu1" type: "ReLU" bottom: "conv1" top: "conv1" relu_param { engine: CAFFE } }
layer { name: "pool1" type: "Pooling" bottom: "conv1" top: "pool1"
        pooling_param { pool: MAX kernel_size: 2 stride: 2 } }
layer { name: "fc" type: "InnerProduct" bottom: "pool1" top: "fc" inner_product_param { num_output: 3 } }
layer { name: "accuracy" type: "Accuracy" bottom: "fc" bottom: "label" top: "accuracy"
        include { phase: TEST } accuracy_param { top_k: 1 } }
layer { name: "loss" type: "SoftmaxWithLoss" bottom: "fc" bottom: "label" top: "loss" loss_weight: 1 }
"""


def test_a_real_looking_prototxt(tmp_path):
    rs = np.random.RandomState(9)
    layers = [dict(name="data", type="Data"), C._conv(rs, "conv1", "data", 3, 4, (3, 3), pad=1),
              C._simple("relu1", "ReLU", "conv1"),
              C._simple("pool1", "Pooling", "conv1", pooling_param={"pool": "MAX", "kernel_size": 2, "stride": 2}),
              C._fc(rs, "fc", "pool1", 4 * 4 * 4, 3), dict(name="accuracy", type="Accuracy"),
              dict(name="loss", type="SoftmaxWithLoss")]
    (tmp_path / "train_val.prototxt").write_text(PROTOTXT)
    (tmp_path / "m.caffemodel").write_bytes(C.caffemodel(layers, False))
    net, lines = caffe.build(str(tmp_path / "train_val.prototxt"), str(tmp_path / "m.caffemodel"))
    assert [m.name for m in net.modules] == ["conv1", "relu1", "pool1", "torch_view", "fc"]
    assert lines[1:] == ["warning: module 'data [type Data]' not found",
                         "warning: module 'accuracy [type Accuracy]' not found", "conv1: 4 3 3 3", "fc: 1 1 64 3"]
    x = sample(2, 3, 8, 8)
    np.testing.assert_allclose(forward(net, x), C.reference(layers, x, stop_at_softmax=True), rtol=1e-10)
    # the prototxt names a weight layer this caffemodel lacks
    (tmp_path / "other.caffemodel").write_bytes(C.caffemodel(layers[:3], False))
    with pytest.raises(CaffeFormatError, match="holds no weights for the InnerProduct layer 'fc'"):
        caffe.load(str(tmp_path / "train_val.prototxt"), str(tmp_path / "other.caffemodel"))
