"""cudnn's own layers (pytorch_lite.nn.cudnn, `require 'cudnn'`) against PyTorch CPU as the oracle:
grouped convolution, TemporalConvolution with padding, ClippedReLU, the instance and volumetric
softmaxes, the spatial/volumetric cross-entropy criteria, cudnn.functional; on the CPU types and on
the Cuda types (computing on the CPU, and through the device code over the stand-in CuPy)."""
import numpy as np
import pytest

import pytorch_lite as torch
from pytorch_lite import nn, serialization
from pytorch_lite.nn import cudnn
from pytorch_lite.errors import TorchValueError
from lua_compat.runtime import Runtime

from test_pkg_cutorch import cuda_types  # noqa: F401  (the fixture)

pt = pytest.importorskip("torch")
F = pt.nn.functional


def host(t):
    return t.double()._a.copy()


def make(a, typename):
    return torch.from_numpy(np.ascontiguousarray(a, dtype=np.float64)).type(typename)


def grad_check(module, x, go, build):
    """module's output, gradInput and parameter gradients against PyTorch's autograd of build."""
    scale = 0.7
    y = module.forward(x)
    module.zeroGradParameters()
    gi = module.backward(x, go, scale)
    xt = pt.tensor(host(x), requires_grad=True)
    params = [pt.tensor(host(p), requires_grad=True) for p in module.parameters()[0]]
    yt = build(xt, *params)
    yt.backward(pt.tensor(host(go)))
    tol = 1e-4 if y.typename in ("torch.FloatTensor", "torch.CudaTensor") else 1e-9
    np.testing.assert_allclose(host(y), yt.detach().numpy(), rtol=tol, atol=tol)
    np.testing.assert_allclose(host(gi), xt.grad.numpy(), rtol=tol, atol=tol)
    for g, p in zip(module.parameters()[1], params):
        np.testing.assert_allclose(host(g), scale * p.grad.numpy(), rtol=tol, atol=tol)


@pytest.mark.parametrize("typename", ["torch.DoubleTensor", "torch.FloatTensor"])
@pytest.mark.parametrize("groups,bias", [(1, True), (2, True), (4, False)])
def test_grouped_convolution_matches_pytorch(typename, groups, bias):
    torch.manualSeed(3)
    m = cudnn.SpatialConvolution(8, 12, 3, 2, 2, 1, 1, 0, groups).type(typename)
    if not bias:
        m.noBias()
    assert list(m.weight.size()) == [12, 8 // groups, 2, 3]
    rs = np.random.RandomState(1)
    x = make(rs.standard_normal((3, 8, 7, 9)), typename)
    y = m.forward(x)
    go = make(rs.standard_normal(list(y.size())), typename)

    def build(xt, w, b=None):
        return F.conv2d(xt, w, b, stride=(1, 2), padding=(0, 1), groups=groups)
    grad_check(m, x, go, build)
    # one image (3D input) is the batch of one
    single = m.forward(x[0]).clone()
    np.testing.assert_allclose(host(single), host(m.forward(x))[0], rtol=1e-6, atol=1e-6)


def test_grouped_convolution_on_the_cuda_types(cuda_types):  # noqa: F811
    torch.manualSeed(4)
    m = cudnn.SpatialConvolution(6, 4, 3, 3, 1, 1, 1, 1, 2).cuda()
    rs = np.random.RandomState(2)
    x = make(rs.standard_normal((2, 6, 5, 5)), "torch.CudaTensor")
    go = make(rs.standard_normal((2, 4, 5, 5)), "torch.CudaTensor")
    grad_check(m, x, go, lambda xt, w, b: F.conv2d(xt, w, b, padding=1, groups=2))
    # half tensors compute in float (cudnn.configmap's math for them) and round back
    h = m.clone().cudaHalf()
    yh = h.forward(x.cudaHalf())
    assert yh.typename == "torch.CudaHalfTensor" and h.weight.typename == "torch.CudaHalfTensor"
    np.testing.assert_allclose(host(yh), host(m.forward(x)), atol=2e-2)


def test_grouped_convolution_refuses_indivisible_planes():
    with pytest.raises(TorchValueError, match="divisible by groups"):
        cudnn.SpatialConvolution(6, 4, 3, 3, 1, 1, 0, 0, 4)


def test_grouped_convolution_round_trips_a_t7_file(tmp_path):
    torch.manualSeed(5)
    m = cudnn.SpatialConvolution(4, 6, 3, 3, 1, 1, 1, 1, 2)
    path = str(tmp_path / "g.t7")
    serialization.save(path, m)
    assert b"cudnn.SpatialConvolution" in open(path, "rb").read()
    back = serialization.load(path)
    assert type(back) is cudnn.SpatialConvolution and back.groups == 2
    x = torch.randn(2, 4, 5, 5)
    np.testing.assert_array_equal(back.forward(x)._a, m.forward(x)._a)


@pytest.mark.parametrize("pad,stride", [(0, 1), (2, 1), (1, 3)])
def test_temporal_convolution_with_padding_matches_pytorch(pad, stride):
    torch.manualSeed(6)
    F_in, F_out, k = 5, 3, 4
    m = cudnn.TemporalConvolution(F_in, F_out, k, stride, pad)
    assert list(m.weight.size()) == [F_out, F_in * k] and (m.kH, m.dH, m.padH, m.kW) == (k, stride, pad, F_in)
    rs = np.random.RandomState(7)
    x = torch.from_numpy(rs.standard_normal((2, 9, F_in)))
    oT = (9 + 2 * pad - k) // stride + 1
    go = torch.from_numpy(rs.standard_normal((2, oT, F_out)))

    def build(xt, w, b):
        # nn's weight row: frame after frame of inputFrameSize features
        wt = w.view(F_out, k, F_in).permute(0, 2, 1)
        return F.conv1d(xt.permute(0, 2, 1), wt, b, stride=stride, padding=pad).permute(0, 2, 1)
    grad_check(m, x, go, build)


def test_temporal_convolution_is_nn_over_a_zero_padded_sequence(cuda_types):  # noqa: F811
    # cudnn's test: the padded module on x equals nn's on x with pad zero frames at both ends
    torch.manualSeed(8)
    ref = nn.TemporalConvolution(4, 3, 3, 2).cuda()
    m = cudnn.TemporalConvolution(4, 3, 3, 2, 1).cuda()
    m.weight.copy(ref.weight)
    m.bias.copy(ref.bias)
    x = torch.randn(2, 7, 4).cuda()
    padded = torch.zeros(2, 9, 4).cuda()
    padded.narrow(1, 1, 7).copy(x)
    go = torch.randn(2, 4, 3).cuda()
    y = m.forward(x)
    np.testing.assert_allclose(host(y), host(ref.forward(padded)), atol=1e-5)
    ref.zeroGradParameters()
    m.zeroGradParameters()
    gi = m.backward(x, go)
    np.testing.assert_allclose(host(gi), host(ref.backward(padded, go).narrow(1, 1, 7)), atol=1e-5)
    np.testing.assert_allclose(host(m.gradWeight), host(ref.gradWeight), atol=1e-5)
    np.testing.assert_allclose(host(m.gradBias), host(ref.gradBias), atol=1e-5)


def test_clipped_relu_is_a_clamp():
    x = torch.from_numpy(np.array([[-1.0, 0.0, 0.05, 0.1, 0.3, 2.0]]))
    m = cudnn.ClippedReLU(0.1)
    y = m.forward(x)
    np.testing.assert_array_equal(y._a, pt.clamp(pt.tensor(x._a), 0, 0.1).numpy())
    gi = m.backward(x, torch.ones(1, 6))
    np.testing.assert_array_equal(gi._a, [[0, 0, 1, 0, 0, 0]])
    with pytest.raises(TorchValueError, match="ceiling"):
        cudnn.ClippedReLU()


def test_instance_softmax_covers_each_sample():
    rs = np.random.RandomState(9)
    a = rs.standard_normal((2, 3, 4, 5))
    for cls, fn in ((cudnn.SoftMax, pt.softmax), (cudnn.LogSoftMax, pt.log_softmax)):
        m = cls()
        ref = fn(pt.tensor(a).view(2, -1), 1).view(2, 3, 4, 5).numpy()
        np.testing.assert_allclose(m.forward(torch.from_numpy(a))._a, ref, rtol=1e-12)
        # a 3D input is one sample; a 2D one is rows, as nn's
        np.testing.assert_allclose(m.forward(torch.from_numpy(a[0]))._a,
                                   fn(pt.tensor(a[0]).view(-1), 0).view(3, 4, 5).numpy(), rtol=1e-12)
        xt = pt.tensor(a, requires_grad=True)
        g = rs.standard_normal(a.shape)
        fn(xt.view(2, -1), 1).view(2, 3, 4, 5).backward(pt.tensor(g))
        m.forward(torch.from_numpy(a))
        np.testing.assert_allclose(m.backward(torch.from_numpy(a), torch.from_numpy(g))._a, xt.grad.numpy(),
                                   rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("log", [False, True])
def test_volumetric_softmax_is_over_the_feature_planes(log):
    rs = np.random.RandomState(10)
    a = rs.standard_normal((2, 4, 3, 2, 5))
    m = cudnn.VolumetricLogSoftMax() if log else cudnn.VolumetricSoftMax()
    fn = pt.log_softmax if log else pt.softmax
    xt = pt.tensor(a, requires_grad=True)
    yt = fn(xt, 1)
    g = rs.standard_normal(a.shape)
    yt.backward(pt.tensor(g))
    np.testing.assert_allclose(m.forward(torch.from_numpy(a))._a, yt.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(m.backward(torch.from_numpy(a), torch.from_numpy(g))._a, xt.grad.numpy(),
                               rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("volumetric", [False, True])
def test_cross_entropy_criteria_match_pytorch(volumetric):
    rs = np.random.RandomState(11)
    shape = (3, 5, 2, 4, 3) if volumetric else (3, 5, 4, 3)
    a = rs.standard_normal(shape)
    target = rs.randint(0, 5, (shape[0],) + shape[2:])
    crit = cudnn.VolumetricCrossEntropyCriterion() if volumetric else cudnn.SpatialCrossEntropyCriterion()
    x = torch.from_numpy(a)
    t = torch.from_numpy(target.astype(np.float64))
    xt = pt.tensor(a, requires_grad=True)
    loss = F.cross_entropy(xt, pt.tensor(target))
    loss.backward()
    assert abs(crit.forward(x, t) - loss.item()) < 1e-12
    np.testing.assert_allclose(crit.backward(x, t)._a, xt.grad.numpy(), rtol=1e-10, atol=1e-14)
    with pytest.raises(TorchValueError, match="mini-batch"):
        crit.forward(x[0], t[0])


def test_lua_cudnn_script(cuda_types, tmp_path):  # noqa: F811
    """From Lua: 1-based targets, the module-level API, the functional calls and cudnn.convert."""
    got = Runtime().execute("""
        require 'cudnn'
        local path = ...
        torch.manualSeed(1)
        cudnn.find.verbose = false
        cudnn.configureMath({['torch.CudaHalfTensor'] = 'CUDNN_DATA_FLOAT'})
        local input = torch.randn(2, 4, 3, 3):cuda()
        local target = torch.Tensor(2, 3, 3):random(1, 4):cuda()
        local crit = cudnn.SpatialCrossEntropyCriterion():cuda()
        local loss = crit:forward(input, target)
        -- the same loss from nn: LogSoftMax per pixel, ClassNLL over all pixels
        local ref = 0
        for n = 1, 2 do for i = 1, 3 do for j = 1, 3 do
           local ls = nn.LogSoftMax():cuda():forward(input[{n, {}, i, j}])
           ref = ref - ls[target[n][i][j]]
        end end end
        ref = ref / 18
        -- functional convolution and bias against the module
        local conv = cudnn.SpatialConvolution(4, 6, 2, 2, 1, 1, 0, 0, 2):cuda()
        conv:noBias()
        local out = conv:forward(input):clone():zero()
        local ok = pcall(cudnn.functional.Convolution2D_updateOutput, cudnn.getHandle(), input,
                         conv.weight, out, 1, 1, 0, 0)
        local gb = torch.ones(6):cuda()
        local go = torch.ones(2, 6, 2, 2):cuda()
        cudnn.functional.bias2D_accGradParameters(cudnn.getHandle(), go, gb, 0.5, 2)
        -- convert both ways keeps the weights
        local net = nn.Sequential():add(nn.SpatialConvolution(4, 2, 3, 3)):add(nn.ReLU()):cuda()
        local c = cudnn.convert(net:clone(), cudnn)
        local back = cudnn.convert(c:clone(), nn)
        torch.save(path, c)
        local loaded = torch.load(path)
        return loss - ref, ok, torch.type(c:get(1)), torch.type(c:get(2)), torch.type(back:get(1)),
               (c:forward(input) - net:forward(input)):abs():max(), gb[1],
               cudnn.configmap('torch.CudaHalfTensor'), torch.type(loaded:get(1)),
               (loaded:forward(input) - net:forward(input)):abs():max()
    """, str(tmp_path / "c.t7"))
    assert abs(got[0]) < 1e-5
    # a grouped weight is 6 x 2 x 2 x 2: functional convolution is plain (ungrouped) as cudnn's
    assert got[1] is False
    assert got[2:5] == ("cudnn.SpatialConvolution", "cudnn.ReLU", "nn.SpatialConvolution")
    assert got[5] == 0 and got[6] == 2 * 1 + 0.5 * 8
    assert got[7] == "CUDNN_DATA_FLOAT" and got[8] == "cudnn.SpatialConvolution" and got[9] == 0


def test_functional_convolution_matches_pytorch():
    rs = np.random.RandomState(12)
    x = torch.from_numpy(rs.standard_normal((2, 3, 6, 5)))
    w = torch.from_numpy(rs.standard_normal((4, 3, 3, 2)))
    out = torch.Tensor(2, 4, 2, 6)
    cudnn.functional.Convolution2D_updateOutput(x, w, out, 2, 1, 0, 1)
    ref = F.conv2d(pt.tensor(x._a), pt.tensor(w._a), stride=(2, 1), padding=(0, 1))
    np.testing.assert_allclose(out._a, ref.numpy(), rtol=1e-12)
    with pytest.raises(TorchValueError, match="wrong size"):
        cudnn.functional.Convolution2D_updateOutput(x, w, torch.Tensor(2, 4, 3, 3), 2, 1, 0, 1)


def test_equivalent_classes_carry_cudnn_names():
    assert cudnn.SpatialMaxPooling.typename == "cudnn.SpatialMaxPooling"
    assert issubclass(cudnn.SpatialMaxPooling, nn.SpatialMaxPooling)
    # cudnn's average pooling steps by its window unless told otherwise (nn's steps by 1)
    p = cudnn.SpatialAveragePooling(2, 3)
    assert (p.dW, p.dH) == (2, 3) and nn.SpatialAveragePooling(2, 3).dW == 1


@pytest.mark.parametrize("target", ["pt", "onnx"])
def test_cudnn_models_convert(target, tmp_path):
    """cudnn's classes export as their computation: groups, the padded temporal convolution, the
    classes that are nn's under cudnn's name (the converter checks the export against our forward,
    which the tests above check against PyTorch)."""
    from pytorch_lite import converters
    if target == "onnx":
        pytest.importorskip("onnxruntime")
    torch.manualSeed(13)
    spatial = nn.Sequential().add(cudnn.SpatialConvolution(4, 6, 3, 3, 1, 1, 1, 1, 2)).add(cudnn.ReLU(True))
    spatial.add(cudnn.SpatialMaxPooling(2, 2)).add(cudnn.SpatialBatchNormalization(6)).add(cudnn.ClippedReLU(0.5))
    r = converters.convert(spatial, str(tmp_path / ("s." + target)), input_shape=(2, 4, 6, 6))
    assert r["max_error"] <= 1e-5
    temporal = nn.Sequential().add(cudnn.TemporalConvolution(5, 3, 3, 2, 1)).add(cudnn.Tanh())
    r = converters.convert(temporal, str(tmp_path / ("t." + target)), input_shape=(2, 7, 5))
    assert r["max_error"] <= 1e-5


def test_checkpoints_as_cudnn_writes_them(tmp_path):
    """Objects with the fields cudnn's Lua classes keep: a TemporalConvolution (the spatial
    convolution's kH/dH/padH, kW = inputFrameSize) and a VolumetricLogSoftMax whose inner
    cudnn.SpatialSoftMax is in log mode (the mode, not the class, says log there)."""
    from pytorch_lite.serialization import TorchObject
    rs = np.random.RandomState(14)
    w, b = rs.standard_normal((3, 2 * 4)), rs.standard_normal(3)
    conv = TorchObject("cudnn.TemporalConvolution", {
        "inputFrameSize": 4, "outputFrameSize": 3, "nInputPlane": 1, "nOutputPlane": 3, "kW": 4, "kH": 2,
        "dW": 1, "dH": 2, "padW": 0, "padH": 1, "groups": 1, "weight": torch.from_numpy(w),
        "bias": torch.from_numpy(b), "gradWeight": torch.Tensor(3, 8), "gradBias": torch.Tensor(3),
        "output": torch.Tensor(), "gradInput": torch.Tensor(), "train": True})
    ssm = TorchObject("cudnn.SpatialSoftMax", {"mode": "CUDNN_SOFTMAX_MODE_CHANNEL", "algorithm": "CUDNN_SOFTMAX_LOG",
                                               "output": torch.Tensor(), "gradInput": torch.Tensor()})
    vlsm = TorchObject("cudnn.VolumetricLogSoftMax", {"ssm": ssm, "output": torch.Tensor(),
                                                      "gradInput": torch.Tensor(), "train": True})
    path = str(tmp_path / "cudnn.t7")
    serialization.save(path, [conv, vlsm])
    conv2, vlsm2 = serialization.load(path)
    assert type(conv2) is cudnn.TemporalConvolution and type(vlsm2) is cudnn.VolumetricLogSoftMax
    x = rs.standard_normal((5, 4))
    ref = F.conv1d(pt.tensor(x.T[None]), pt.tensor(w).view(3, 2, 4).permute(0, 2, 1), pt.tensor(b),
                   stride=2, padding=1)[0].T
    np.testing.assert_allclose(conv2.forward(torch.from_numpy(x))._a, ref.numpy(), rtol=1e-12)
    v = rs.standard_normal((3, 2, 2, 2))
    np.testing.assert_allclose(vlsm2.forward(torch.from_numpy(v))._a, pt.log_softmax(pt.tensor(v), 0).numpy(),
                               rtol=1e-12)


def _rnn_to_pytorch(m, ptm, flat=None):
    """PyTorch's per-layer parameters from cudnn's flat layout (weights()/biases() views, or the
    same layout over `flat`)."""
    src = m
    if flat is not None:
        src = type(m).__new__(type(m))
        src.__dict__.update(m.__dict__)
        src.weight = flat
    n = {"CUDNN_LSTM": 8, "CUDNN_GRU": 6}.get(m.mode, 2)
    W, B = src.weights(), src.biases()
    D = int(m.numDirections)
    for p in range(len(W)):
        layer, d = divmod(p, D)
        sfx = "_l%d" % layer + ("_reverse" if d else "")
        for name, mats in (("weight_ih", W[p][:n // 2]), ("weight_hh", W[p][n // 2:])):
            getattr(ptm, name + sfx).data.copy_(pt.tensor(np.concatenate([host(t).reshape(m.hiddenSize, -1)
                                                                         for t in mats])))
        for name, vecs in (("bias_ih", B[p][:n // 2]), ("bias_hh", B[p][n // 2:])):
            getattr(ptm, name + sfx).data.copy_(pt.tensor(np.concatenate([host(t) for t in vecs])))


@pytest.mark.parametrize("name", ["RNNTanh", "RNNReLU", "LSTM", "GRU", "BLSTM", "BGRU"])
def test_rnn_matches_pytorch(name):
    """Output, final states and every gradient (input, start states, the flat weight) of a
    2-layer cudnn RNN against PyTorch's with the same parameters; batchFirst transposes."""
    cls = getattr(cudnn, name)
    torch.manualSeed(15)
    m = cls(3, 4, 2, True).double()
    lstm, bidir = name in ("LSTM", "BLSTM"), name.startswith("B")
    kw = {"nonlinearity": "relu" if name == "RNNReLU" else "tanh"} if name.startswith("RNN") else {}
    ptcls = pt.nn.LSTM if lstm else pt.nn.GRU if "GRU" in name else pt.nn.RNN
    ptm = ptcls(3, 4, 2, bidirectional=bidir, batch_first=True, **kw).double()
    _rnn_to_pytorch(m, ptm)
    rs = np.random.RandomState(16)
    L = 4 if bidir else 2
    x, h0, c0 = rs.standard_normal((2, 5, 3)), rs.standard_normal((L, 2, 4)), rs.standard_normal((L, 2, 4))
    m.hiddenInput, m.cellInput = torch.from_numpy(h0.copy()), torch.from_numpy(c0.copy())
    xt, h0t, c0t = (pt.tensor(a, requires_grad=True) for a in (x, h0, c0))
    yt, state = ptm(xt, (h0t, c0t) if lstm else h0t)
    hy, cy = state if lstm else (state, None)
    go, ghy, gcy = rs.standard_normal(yt.shape), rs.standard_normal(hy.shape), rs.standard_normal(hy.shape)
    loss = (yt * pt.tensor(go)).sum() + (hy * pt.tensor(ghy)).sum()
    if lstm:
        loss = loss + (cy * pt.tensor(gcy)).sum()
    loss.backward()
    y = m.forward(torch.from_numpy(x))
    m.gradHiddenOutput, m.gradCellOutput = torch.from_numpy(ghy.copy()), torch.from_numpy(gcy.copy())
    m.zeroGradParameters()
    gi = m.backward(torch.from_numpy(x), torch.from_numpy(go), 0.5)
    close = dict(rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(y._a, yt.detach().numpy(), **close)
    np.testing.assert_allclose(m.hiddenOutput._a, hy.detach().numpy(), **close)
    np.testing.assert_allclose(gi._a, xt.grad.numpy(), **close)
    np.testing.assert_allclose(m.gradHiddenInput._a, h0t.grad.numpy(), **close)
    if lstm:
        np.testing.assert_allclose(m.cellOutput._a, cy.detach().numpy(), **close)
        np.testing.assert_allclose(m.gradCellInput._a, c0t.grad.numpy(), **close)
    grads = ptcls(3, 4, 2, bidirectional=bidir, batch_first=True, **kw).double()
    _rnn_to_pytorch(m, grads, flat=m.gradWeight)
    for pname, p in ptm.named_parameters():
        np.testing.assert_allclose(getattr(grads, pname).detach().numpy(), 0.5 * p.grad.numpy(), **close)


def test_rnn_weight_layout_and_states(cuda_types):  # noqa: F811
    """cuDNN's flat layout (per layer and direction: input matrices, recurrent matrices, then the
    biases), its size, rememberStates, and a t7 round trip on the Cuda types."""
    torch.manualSeed(17)
    m = cudnn.LSTM(3, 4, 2, False, 0, True)
    assert m.weight.typename == "torch.CudaTensor"
    H, I = 4, 3
    per_layer0 = 4 * H * I + 4 * H * H + 8 * H
    per_layer1 = 4 * H * H + 4 * H * H + 8 * H
    assert m.weight.nElement() == per_layer0 + per_layer1
    w, b = m.weights(), m.biases()
    assert [t.nElement() for t in w[0]] == [H * I] * 4 + [H * H] * 4 and len(b[1]) == 8
    assert w[0][1].storageOffset() == H * I and b[0][0].storageOffset() == 4 * H * I + 4 * H * H
    assert w[1][0].storageOffset() == per_layer0
    x = torch.randn(3, 2, 3).cuda()
    y1 = m.forward(x).clone()
    y2 = m.forward(x).clone()   # starts from the first call's end
    m.resetStates()
    np.testing.assert_allclose(host(m.forward(x)), host(y1), atol=1e-6)
    assert np.abs(host(y2) - host(y1)).max() > 1e-4
    import tempfile
    import os
    fd, path = tempfile.mkstemp(suffix=".t7")
    os.close(fd)
    try:
        serialization.save(path, m)
        back = serialization.load(path, restore_cuda=True)
    finally:
        os.remove(path)
    assert type(back) is cudnn.LSTM and back.mode == "CUDNN_LSTM"
    back.resetStates()
    np.testing.assert_allclose(host(back.forward(x)), host(y1), atol=1e-6)


def test_rnn_packed_sequences_equal_each_sequence_alone(cuda_types):  # noqa: F811
    """Sequences of lengths 3, 2, 2, 1 packed (Lua's packPaddedSequence) through a bidirectional
    GRU: each output row, end state and gradient equals that sequence's run on its own (the
    reverse direction starts at each sequence's own end)."""
    got = Runtime().execute("""
        require 'cudnn'
        torch.manualSeed(18)
        local rnn = cudnn.BGRU(2, 3, 2)
        local alone = rnn:clone()
        local lengths = {3, 2, 2, 1}
        local padded = torch.randn(3, 4, 2):cuda()
        for i = 1, 4 do for t = lengths[i] + 1, 3 do padded[t][i]:zero() end end
        local packed = rnn:packPaddedSequence(padded, lengths)
        local back, backLengths = rnn:padPackedSequence(packed)
        local out = rnn:forward(packed):clone()
        local gout = torch.randn(out:size()):cuda()
        local gin = rnn:backward(packed, gout):clone()
        local hid = rnn.hiddenOutput:clone()
        local err, row = 0, 0
        local rows = {}
        for t = 1, 3 do for i = 1, 4 do
           if lengths[i] >= t then row = row + 1; rows[#rows + 1] = {t, i, row} end
        end end
        for i = 1, 4 do
           local x = padded:narrow(2, i, 1):narrow(1, 1, lengths[i])
           local y = alone:forward(x)
           local g = y:clone():zero()
           for _, r in ipairs(rows) do if r[2] == i then g[r[1]][1]:copy(gout[r[3]]) end end
           local gi = alone:backward(x, g)
           for _, r in ipairs(rows) do
              if r[2] == i then
                 err = math.max(err, (y[r[1]][1] - out[r[3]]):abs():max(), (gi[r[1]][1] - gin[r[3]]):abs():max())
              end
           end
           err = math.max(err, (alone.hiddenOutput:select(2, 1) - hid:select(2, i)):abs():max())
        end
        return packed[1]:size(1), table.concat(packed[2], ','), (back - padded):abs():max(),
               table.concat(backLengths, ','), err
    """)
    assert got[:3] == (8, "4,3,1", 0) and got[3] == "3,2,2,1"
    assert got[4] < 1e-5
