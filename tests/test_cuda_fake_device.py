"""The GPU-mode code paths of the Cuda types (device arrays, views by memory pointer, host<->device
copies, t7, device kernel tables), run without a GPU through a stand-in CuPy (tests/fake_cupy.py)
whose kernels run on the host: the numbers must be the CPU types' numbers."""
import numpy as np
import pytest

import cuda_host
import fake_cupy
import pytorch_lite as torch
from pytorch_lite import nn
from pytorch_lite import cuda
from pytorch_lite.cuda import device

pytestmark = pytest.mark.skipif(cuda_host.CXX is None, reason="no host C++ compiler to run the kernel sources")


def _seed_both(s):
    """The CPU generator and the Cuda types' own (cutorch's) from one seed: both are THRandom's
    Mersenne Twister, so the Cuda draws repeat the CPU ones."""
    torch.manualSeed(s)
    cuda.manualSeed(s)


@pytest.fixture
def gpu(monkeypatch):
    monkeypatch.delenv(device.ENV, raising=False)
    with fake_cupy.installed() as cp:
        yield cp


def test_storages_and_views_live_on_the_device(gpu):
    x = torch.CudaTensor([[1, 2, 3], [4, 5, 6]])
    assert isinstance(x.storage()._data, gpu.ndarray)
    t = x.t()
    assert isinstance(t._a, gpu.ndarray) and t._a.tolist() == [[1, 4], [2, 5], [3, 6]]
    col = x.select(1, 2)
    col.fill(9)
    assert x.float().numpy().tolist() == [[1, 2, 9], [4, 5, 9]]
    assert type(x.float().numpy()) is np.ndarray and type(x.numpy()) is np.ndarray
    s = torch.CudaStorage([1, 2])
    s.resize(4)
    assert isinstance(s._data, gpu.ndarray) and s.tolist() == [1, 2, 0, 0]
    assert torch.FloatStorage(4).copy(s).tolist() == [1, 2, 0, 0]
    assert str(x).endswith("[torch.CudaTensor of size 2x3]\n")


def test_host_device_copies_and_results(gpu):
    h = torch.DoubleTensor([[1.5, -2.25], [3, 4]])
    d = h.cuda()
    assert isinstance(d._a, gpu.ndarray)
    r = torch.mm(d, d) + 1
    assert r.typename == "torch.CudaTensor" and isinstance(r._a, gpu.ndarray)
    assert np.allclose(r.double().numpy(), h.numpy() @ h.numpy() + 1)
    v, i = d.max(1)
    assert i.typename == "torch.CudaLongTensor" and i.long().numpy().ravel().tolist() == [0, 1]
    cuda.manualSeed(3)   # cutorch's generator: the same Mersenne Twister as the CPU's, apart from it
    u = torch.CudaTensor(5).uniform()
    torch.manualSeed(3)
    assert np.array_equal(u.float().numpy(), torch.FloatTensor(5).uniform().numpy())
    data = torch.serialize(d)
    back = torch.deserialize(data, restore_cuda=True)
    assert isinstance(back.storage()._data, gpu.ndarray) and back.float().numpy().tolist() == d.float().numpy().tolist()


def _convnet():
    m = nn.Sequential()
    m.add(nn.SpatialConvolution(3, 4, 3, 3, 1, 1, 1, 1)).add(nn.SpatialBatchNormalization(4)).add(nn.ReLU())
    m.add(nn.SpatialMaxPooling(2, 2, 2, 2)).add(nn.SpatialAveragePooling(2, 2, 1, 1)).add(nn.View(4 * 3 * 3))
    m.add(nn.Linear(36, 5)).add(nn.LogSoftMax())
    return m


def test_a_training_step_on_the_device_gives_the_cpu_numbers(gpu):
    _seed_both(7)
    ref = _convnet().float()
    dev = ref.clone().cuda()
    x = torch.FloatTensor(2, 3, 8, 8).uniform(-1, 1)
    y = torch.LongTensor([1, 4])
    crit_r, crit_d = nn.ClassNLLCriterion().float(), nn.ClassNLLCriterion().cuda()
    outs = []
    for m, c, xx, yy in ((ref, crit_r, x, y), (dev, crit_d, x.cuda(), y.cudaLong())):
        m.zeroGradParameters()
        o = m.forward(xx)
        loss = c.forward(o, yy)
        gi = m.backward(xx, c.backward(o, yy))
        outs.append((o.float().numpy().copy(), loss, gi.float().numpy().copy(),
                     m.getParameters()[1].float().numpy().copy()))
    assert isinstance(dev.modules[0].weight._a, gpu.ndarray) and isinstance(dev.output._a, gpu.ndarray)
    for got, want in zip(outs[1], outs[0]):
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_lookup_table_learns_on_the_device(gpu):
    _seed_both(2)
    ref = nn.LookupTable(6, 3, None, 1.5).float()
    ref.scaleGradByFreq()
    dev = ref.clone().cuda()
    idx = torch.LongTensor([[0, 5, 5], [2, 0, 1]])
    res = []
    for m, i in ((ref, idx), (dev, idx.cudaLong())):
        m.zeroGradParameters()
        out = m.forward(i)
        m.backward(i, out.clone().fill(1))
        res.append((out.float().numpy().copy(), m.gradWeight.float().numpy().copy()))
    assert isinstance(dev.gradWeight._a, gpu.ndarray)
    for got, want in zip(res[1], res[0]):
        np.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-7)


def test_sort_family_on_the_device(gpu):
    h = torch.DoubleTensor([[3, 1, 2, 2], [0, -1, 5, 5]])
    d = h.cuda()
    for name, args in (("sort", (1,)), ("topk", (2, 1, True, True)), ("kthvalue", (2, 1)),
                       ("median", (1,)), ("mode", (1,))):
        (hv, hi), (dv, di) = getattr(torch, name)(h, *args), getattr(torch, name)(d, *args)
        assert dv.typename == "torch.CudaTensor" and di.typename == "torch.CudaLongTensor"
        assert isinstance(dv._a, gpu.ndarray) and isinstance(di._a, gpu.ndarray)
        assert dv.double().numpy().tolist() == hv.numpy().tolist(), name
        assert di.long().numpy().tolist() == hi.numpy().tolist(), name


def test_cuda_checkpoint_and_type_round_trips(gpu, tmp_path):
    """A Cuda model saved as cutorch would, loaded back onto the device and as CPU tensors, and
    :cuda()/:float() round trips: the weights never change and the outputs are the float model's."""
    _seed_both(4)
    ref = nn.Sequential().add(nn.LookupTable(7, 3)).add(nn.View(-1, 6)).add(nn.Linear(6, 4)).add(nn.Tanh())
    ref.float()
    dev = ref.clone().cuda()
    idx = torch.LongTensor([[0, 6], [3, 3], [5, 1]])
    want = ref.forward(idx).numpy().copy()
    path = str(tmp_path / "model.t7")
    torch.save(path, dev)
    data = open(path, "rb").read()
    assert b"torch.CudaTensor" in data and b"torch.FloatTensor" not in data
    for back, typename in ((torch.load(path, restore_cuda=True), "torch.CudaTensor"),
                           (torch.load(path), "torch.FloatTensor")):
        ws = back.parameters()[0]
        assert ws and all(w.typename == typename for w in ws)
        if typename == "torch.CudaTensor":
            assert all(isinstance(w._a, gpu.ndarray) for w in ws)
        out = back.forward(idx.cudaLong() if typename == "torch.CudaTensor" else idx)
        assert out.typename == typename
        np.testing.assert_allclose(out.float().numpy(), want, rtol=1e-6, atol=1e-7)
    again = dev.clone().float().cuda().float()
    for w, r in zip(again.parameters()[0], ref.parameters()[0]):
        assert w.typename == "torch.FloatTensor" and np.array_equal(w.numpy(), r.numpy())


CRITERIA = [
    ("ClassNLLCriterion", lambda: nn.ClassNLLCriterion(), "log_probs", "labels"),
    ("ClassNLLCriterion_weights", lambda: nn.ClassNLLCriterion(torch.FloatTensor([1, 0.5, 2, 1])), "log_probs",
     "labels"),
    ("CrossEntropyCriterion", lambda: nn.CrossEntropyCriterion(), "scores", "labels"),
    ("MSECriterion", lambda: nn.MSECriterion(), "scores", "dense"),
    ("BCECriterion", lambda: nn.BCECriterion(), "probs", "binary"),
    ("BCECriterion_weights", lambda: nn.BCECriterion(torch.FloatTensor([1, 2, 0.5, 1])), "probs", "binary"),
]


@pytest.mark.parametrize("name,build,xkind,tkind", CRITERIA, ids=[c[0] for c in CRITERIA])
def test_criteria_on_the_device(gpu, name, build, xkind, tkind):
    _seed_both(9)
    scores = torch.FloatTensor(5, 4).uniform(-2, 2)
    x = {"scores": scores, "log_probs": nn.LogSoftMax().float().forward(scores).clone(),
         "probs": torch.FloatTensor(5, 4).uniform(0.05, 0.95)}[xkind]
    t = {"labels": torch.LongTensor([0, 3, 1, 1, 2]), "dense": torch.FloatTensor(5, 4).uniform(-1, 1),
         "binary": torch.FloatTensor(5, 4).bernoulli(0.5)}[tkind]
    ref, dev = build().float(), build().cuda()
    want_loss = ref.forward(x, t)
    want_grad = ref.backward(x, t).numpy().copy()
    xd = x.cuda()
    td = t.cudaLong() if tkind == "labels" else t.cuda()
    loss = dev.forward(xd, td)
    grad = dev.backward(xd, td)
    assert isinstance(loss, float) and abs(loss - want_loss) <= 1e-6 * max(1.0, abs(want_loss))
    assert grad.typename == "torch.CudaTensor" and isinstance(grad._a, gpu.ndarray)
    np.testing.assert_allclose(grad.float().numpy(), want_grad, rtol=1e-5, atol=1e-7)


def test_the_fake_refuses_what_cupy_refuses(gpu):
    """The stand-in is only worth its passes if it fails where CuPy does."""
    d = torch.CudaTensor([1, 2, 3])._a
    h = np.ones(3, np.float32)
    for bad in (lambda: d + h, lambda: h * d, lambda: np.add(d, h), lambda: np.asarray(d),
                lambda: np.ascontiguousarray(d), lambda: np.concatenate([d, h]), lambda: np.add(d, np.array(2.0)),
                lambda: memoryview(d), lambda: np.maximum.reduce(d)):
        with pytest.raises((TypeError, NotImplementedError)):
            bad()
    from pytorch_lite import _nn_conv   # a Cython kernel: typed memoryviews need a host buffer
    _nn_conv.im2col(np.zeros((1, 2, 3, 3), np.float32), np.zeros((2, 1, 9), np.float32), 1, 1, 0, 0, 1, 1, 1, 1)
    with pytest.raises(TypeError):   # the same call on device arrays
        _nn_conv.im2col(torch.CudaTensor(1, 2, 3, 3)._a, torch.CudaTensor(2, 1, 9)._a, 1, 1, 0, 0, 1, 1, 1, 1)
    assert (d + 1).get().tolist() == [2, 3, 4] and float((d * d).sum()) == 14.0
    assert np.array_equal(d[np.array([2, 0])].get(), [3, 1])     # host indices are copied over, as CuPy does
    assert bool(d[0] == np.array(1.0))                             # 0-d host arrays are accepted in comparisons


INDEXING = {   # name -> f(x, long index type, byte mask type): the indexing ops of ops/indexing.py
    "index": lambda x, L, M: x.index(1, L([2, 0, 2])),
    "indexCopy": lambda x, L, M: x.clone().indexCopy(0, L([1, 0]), x.narrow(0, 0, 2).clone().mul(-1)),
    "indexAdd": lambda x, L, M: x.clone().indexAdd(1, L([0, 0, 3]), x.narrow(1, 1, 3).clone()),
    "indexFill": lambda x, L, M: x.clone().indexFill(1, L([3, 1]), -2.5),
    "gather": lambda x, L, M: x.gather(1, L([[0, 3], [1, 1], [2, 0]])),
    "scatter": lambda x, L, M: x.clone().scatter(1, L([[3, 0], [1, 2], [0, 3]]), x.narrow(1, 0, 2).clone()),
    "scatter_value": lambda x, L, M: x.clone().scatter(0, L([[2, 0, 1, 1]]), 7.0),
    "maskedSelect": lambda x, L, M: x.maskedSelect(M([[1, 0, 0, 1], [0, 1, 1, 0], [1, 1, 0, 0]])),
    "maskedFill": lambda x, L, M: x.clone().maskedFill(M([[1, 0, 0, 1], [0, 1, 1, 0], [1, 1, 0, 0]]), 3.0),
    "maskedCopy": lambda x, L, M: x.clone().maskedCopy(M([[0, 0, 1, 1], [1, 0, 0, 0], [0, 0, 0, 1]]),
                                                       x.narrow(0, 1, 1).clone()),
    "nonzero": lambda x, L, M: x.gt(0).nonzero(),
    "ge_mask_index": lambda x, L, M: x[x.ge(0)],
}


@pytest.mark.parametrize("name", sorted(INDEXING))
def test_indexing_ops_on_the_device(gpu, name):
    h = torch.DoubleTensor([[1.5, -2, 3, 0.25], [4, -5, 6, 7], [-8, 9, 0, 1]])
    want = INDEXING[name](h, torch.LongTensor, torch.ByteTensor)
    got = INDEXING[name](h.cudaDouble(), torch.CudaLongTensor, torch.CudaByteTensor)
    assert got.typename == torch.cuda.cuda_typename(want.typename) and isinstance(got._a, gpu.ndarray)
    assert got.tolist() == want.tolist()


MORE_OPS = {   # name -> f(torch type constructor, long type): ops outside the fixture tables
    "multinomial": lambda T, L: torch.multinomial(T([[0.2, 0.3, 0.5], [0.9, 0.05, 0.05]]), 4, True),
    "multinomial_1d": lambda T, L: torch.multinomial(T([0.1, 0.2, 0.3, 0.4]), 3),
    "randperm": lambda T, L: torch.randperm(T(), 6),
    "random": lambda T, L: T(2, 3).random(1, 9),
    "bernoulli": lambda T, L: T(2, 3).bernoulli(0.4),
    "bernoulli_probs": lambda T, L: T(2, 3).bernoulli(T([[0.1, 0.9, 0.5], [0.3, 0.7, 0.2]])),
    "normal": lambda T, L: T(2, 3).normal(1, 2),
    "conv2": lambda T, L: torch.conv2(T([[1, 2, 0], [3, -1, 2], [0, 1, 1]]), T([[1, -1], [2, 0.5]]), "F"),
    "xcorr2": lambda T, L: torch.xcorr2(T([[1, 2, 0], [3, -1, 2], [0, 1, 1]]), T([[1, -1], [2, 0.5]])),
    "conv3": lambda T, L: torch.conv3(T(3, 3, 3).fill(1).cumsum(0), T(2, 2, 2).fill(0.5)),
    "histc": lambda T, L: torch.histc(T([1, 2, 2, 3, 5]), 4),
    "alias": lambda T, L: torch.multinomialAlias(L(5), *torch.multinomialAliasSetup(T([0.1, 0.6, 0.3]))),
}


@pytest.mark.parametrize("name", sorted(MORE_OPS))
def test_more_ops_on_the_device(gpu, name):
    _seed_both(11)
    want = MORE_OPS[name](torch.DoubleTensor, torch.LongTensor)
    _seed_both(11)
    got = MORE_OPS[name](torch.CudaDoubleTensor, torch.CudaLongTensor)
    assert got.typename == torch.cuda.cuda_typename(want.typename) and isinstance(got._a, gpu.ndarray)
    np.testing.assert_allclose(got.tolist(), want.tolist(), rtol=1e-12)


TRAINING = {   # stochastic modules in training mode: the draws are THRandom's (cutorch's generator), so the same
    "RReLU": (lambda: nn.RReLU(0.1, 0.4), (3, 5)),
    "Dropout": (lambda: nn.Dropout(0.4), (3, 5)),
    "Dropout_v1": (lambda: nn.Dropout(0.3, True), (4, 2)),
    "SpatialDropout": (lambda: nn.SpatialDropout(0.5), (2, 4, 3, 3)),
    "VolumetricDropout": (lambda: nn.VolumetricDropout(0.5), (2, 3, 2, 2, 2)),
    "WhiteNoise": (lambda: nn.WhiteNoise(0, 0.3), (3, 4)),
}


@pytest.mark.parametrize("name", sorted(TRAINING))
def test_stochastic_modules_train_on_the_device(gpu, name):
    build, size = TRAINING[name]
    x = torch.DoubleTensor(*size).uniform(-1, 1)
    g = torch.DoubleTensor(*size).uniform(-1, 1)
    res = []
    for tn in ("torch.DoubleTensor", "torch.CudaDoubleTensor"):
        _seed_both(21)
        m = build().type(tn)
        m.training()
        out = m.forward(x.type(tn))
        gi = m.backward(x.type(tn), g.type(tn))
        assert out.typename == tn and gi.typename == tn
        res.append((out.double().numpy().copy(), gi.double().numpy().copy()))
    for got, want in zip(res[1], res[0]):
        np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-14)


NUMBER_TARGETS = {   # criteria given a number as target, and OneHot a number as input
    "HingeEmbeddingCriterion": (lambda: nn.HingeEmbeddingCriterion(0.5), lambda T: T([0.2, 1.4, -0.3]), -1),
    "CosineEmbeddingCriterion": (lambda: nn.CosineEmbeddingCriterion(0.1),
                                 lambda T: [T([[0.2, 1.4, -0.3]]), T([[1, -0.5, 0.25]])], 1),
    "MarginRankingCriterion": (lambda: nn.MarginRankingCriterion(0.3), lambda T: [T([0.7]), T([0.2])], -1),
}


@pytest.mark.parametrize("name", sorted(NUMBER_TARGETS))
def test_number_targets_on_the_device(gpu, name):
    build, make_x, y = NUMBER_TARGETS[name]
    res = []
    for T in (torch.DoubleTensor, torch.CudaDoubleTensor):
        c = build().type(T.typename)
        x = make_x(T)
        loss = c.forward(x, y)
        gi = c.backward(x, y)
        res.append((loss, [t.double().numpy().copy() for t in (gi if isinstance(gi, list) else [gi])]))
    assert abs(res[1][0] - res[0][0]) <= 1e-12 and res[0][0] != 0
    for got, want in zip(res[1][1], res[0][1]):
        np.testing.assert_allclose(got, want, rtol=1e-12)


def test_one_hot_of_a_number_on_the_device(gpu):
    m = nn.OneHot(5).cuda()
    out = m.forward(3)
    assert out.typename == "torch.CudaTensor" and out.tolist() == [0, 0, 0, 1, 0]
    assert m.forward(torch.CudaLongTensor([[4, 0]])).tolist() == [[[0, 0, 0, 0, 1], [1, 0, 0, 0, 0]]]


@pytest.mark.parametrize("normalize,nout", [(False, 1), (False, 3), (True, 1), (True, 3)])
def test_index_linear_on_the_device(gpu, normalize, nout):
    """IndexLinear: keys stay host LongTensors (its bookkeeping), values and weights on the device."""
    res = []
    for tn, L in (("torch.DoubleTensor", torch.LongTensor), ("torch.CudaDoubleTensor", torch.CudaLongTensor)):
        _seed_both(3)
        m = nn.IndexLinear(10, nout, not normalize, normalize=normalize)
        m.weight.narrow(1, m.weight.size(1) - nout, nout).uniform(-1, 1)
        m.bias.uniform(-1, 1)
        m = m.type(tn)
        V = torch.TENSOR_TYPES[tn]
        batch = [[L([0, 4, 7, 4]), L([2, 9])], [V([0.5, -1, 2, 0.25]), V([1, 3])]]
        flat = [L([1, 1, 5]), V([2, -0.5, 1.5]), L([2, 1])]
        outs = []
        gen = torch.Generator()   # the gradients' draws: the same for both types
        torch.manualSeed(gen, 5)
        for inp in (batch, flat, batch):
            out = m.forward(inp)
            outs.append(out.double().numpy().copy())
            g = out.clone().uniform(gen, -1, 1)
            gi = m.backward(inp, g)
            if not normalize:
                outs.append(gi[1].double().numpy().copy() if isinstance(gi[1], torch.Tensor)
                            else np.stack([t.double().numpy() for t in gi[1]]))
        m.updateParameters(0.1)
        m.zeroGradParameters()
        m.accUpdateGradParameters(flat, m.forward(flat).clone().fill(0.5), 0.2)
        m.evaluate()
        outs.append(m.forward(batch).double().numpy().copy())
        assert out.typename == tn and m.weight.typename == tn
        res.append(outs + [m.weight.double().numpy().copy(), m.bias.double().numpy().copy()])
    for got, want in zip(res[1], res[0]):
        np.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)


def test_dist_of_device_tensors(gpu):
    # the distance is summed on the device and read back as one number
    x = torch.DoubleTensor([[1, -2], [0.5, 3]])
    y = torch.DoubleTensor([[0, 1], [2, -1]])
    for p in (2, 3, 1):
        assert abs(torch.dist(x.cuda(), y.cuda(), p) - torch.dist(x, y, p)) < 1e-6
    assert x.cudaDouble().dist(y.cudaDouble()) == x.dist(y)
