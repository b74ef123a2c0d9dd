"""The GPU-mode code paths of the Cuda types (device arrays, views by memory pointer, host<->device
copies, t7, device kernel tables), run without a GPU through a stand-in CuPy (tests/fake_cupy.py)
whose kernels run on the host: the numbers must be the CPU types' numbers."""
import numpy as np
import pytest

import cuda_host
import fake_cupy
import pytorch_lite as torch
from pytorch_lite import nn
from pytorch_lite.cuda import device

pytestmark = pytest.mark.skipif(cuda_host.CXX is None, reason="no host C++ compiler to run the kernel sources")


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
    torch.manualSeed(3)
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
    torch.manualSeed(7)
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
    torch.manualSeed(2)
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
