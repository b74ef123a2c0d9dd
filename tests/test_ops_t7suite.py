"""Torch7 API that its own test suite exercises: conv2/xcorr2/conv3/xcorr3 (PyTorch CPU as the
oracle), bhistc, pstrf, the alias method, range/linspace/logspace into a non-contiguous result,
select/squeeze of one element, storage views and file-mapped storages, Generator objects in t7
files, elementSize, half/real."""
import os

import numpy as np
import pytest

import pytorch_lite as torch

ref = pytest.importorskip("torch")   # PyTorch CPU, a test-only oracle


def _rand(*size, seed=0):
    return torch.from_numpy(np.random.RandomState(seed).rand(*size))


# -- convolutions ----------------------------------------------------------------------------------

def _ref_xcorr(x, k, full):
    """PyTorch's conv2d/conv3d is a cross-correlation; 'full' pads by kernel - 1."""
    xt, kt = ref.from_numpy(x)[None, None], ref.from_numpy(k)[None, None]
    pad = tuple(n - 1 for n in k.shape) if full else 0
    f = ref.nn.functional.conv2d if x.ndim == 2 else ref.nn.functional.conv3d
    return f(xt, kt, padding=pad)[0, 0].numpy()


@pytest.mark.parametrize("d", [2, 3])
@pytest.mark.parametrize("mode", ["V", "F"])
def test_xcorr_and_conv_match_pytorch(d, mode):
    xs, ks = ((9, 11), (3, 4)) if d == 2 else ((6, 7, 5), (2, 3, 2))
    x, k = _rand(*xs, seed=1), _rand(*ks, seed=2)
    xcorr = getattr(torch, "xcorr%d" % d)(x, k, mode)
    conv = getattr(torch, "conv%d" % d)(x, k, mode)
    want = _ref_xcorr(x.numpy(), k.numpy(), mode == "F")
    np.testing.assert_allclose(xcorr.numpy(), want, rtol=1e-12, atol=1e-12)
    flipped = k.numpy()[(slice(None, None, -1),) * d].copy()
    np.testing.assert_allclose(conv.numpy(), _ref_xcorr(x.numpy(), flipped, mode == "F"), rtol=1e-12, atol=1e-12)
    # a convolution is the cross-correlation with the flipped kernel, exactly
    assert np.array_equal(conv.numpy(), getattr(torch, "xcorr%d" % d)(x, torch.from_numpy(flipped), mode).numpy())
    assert xcorr.size().tolist() == [n - m + 1 if mode == "V" else n + m - 1 for n, m in zip(xs, ks)]


def test_conv2_plane_forms():
    x, k = _rand(3, 8, 9, seed=3), _rand(3, 2, 3, seed=4)
    per_plane = torch.conv2(x, k)
    for i in range(3):   # plane i with kernel i, exactly what one plane gives alone
        assert np.array_equal(per_plane[i].numpy(), torch.conv2(x[i].clone(), k[i].clone()).numpy())
    kk = _rand(4, 3, 2, 3, seed=5)
    summed = torch.xcorr2(x, kk)
    want = sum(_ref_xcorr(x.numpy()[p], kk.numpy()[0, p], False) for p in range(3))
    assert summed.size().tolist() == [4, 7, 7]
    np.testing.assert_allclose(summed[0].numpy(), want, rtol=1e-12)
    res = torch.Tensor()
    assert torch.conv2(res, x[0], k[0]) is res and res.size().tolist() == [7, 7]


def test_conv_bad_input():
    with pytest.raises(torch.errors.TorchValueError):
        torch.conv2(_rand(3, 3), _rand(4, 4))
    with pytest.raises(torch.errors.TorchValueError):
        torch.conv2(_rand(5, 5), _rand(2, 2), "X")
    with pytest.raises(torch.errors.TorchValueError):
        torch.conv3(_rand(5, 5), _rand(2, 2))


# -- histograms, pivoted Cholesky, the alias method ------------------------------------------------

def test_bhistc_rows():
    x = torch.Tensor([[2, 4, 2, 2, 5, 4], [3, 5, 1, 5, 3, 5], [3, 4, 2, 5, 5, 1]])
    got = torch.bhistc(x, 5, 1, 5).numpy()
    want = np.stack([np.histogram(r, bins=5, range=(1, 5))[0] for r in x.numpy()])
    assert np.array_equal(got, want)
    # min == max: the whole tensor's range, for every row alike
    got = torch.bhistc(x, 4).numpy()
    want = np.stack([np.histogram(r, bins=4, range=(1, 5))[0] for r in x.numpy()])
    assert np.array_equal(got, want)
    with pytest.raises(torch.errors.TorchValueError):
        torch.bhistc(torch.Tensor([1, 2, 3]))


@pytest.mark.parametrize("uplo", ["U", "L"])
def test_pstrf_reconstructs_the_permuted_matrix(uplo):
    m = _rand(6, 3, seed=6)
    a = torch.mm(m, m.t())
    for i in range(6):
        a[i][i] = a[i][i] + 1e-7
    u, piv = torch.pstrf(a, uplo)
    assert piv.typename == "torch.IntTensor"
    p = piv.numpy().astype(np.int64)
    assert sorted(p.tolist()) == list(range(6))
    f = u.numpy()
    rebuilt = f.T @ f if uplo == "U" else f @ f.T
    np.testing.assert_allclose(rebuilt, a.numpy()[np.ix_(p, p)], atol=1e-13)
    assert np.allclose(f, np.triu(f) if uplo == "U" else np.tril(f))
    d = np.abs(np.diag(f))
    assert np.all(d[:-1] >= d[1:] - 1e-12)   # complete pivoting: largest pivot first
    # the result-first form fills the given tensors
    ru, rp = torch.Tensor(), torch.IntTensor()
    out = torch.pstrf(ru, rp, a, uplo)
    assert out[0] is ru and out[1] is rp and np.array_equal(rp.numpy(), piv.numpy())


def test_alias_tables_encode_the_distribution():
    probs = torch.Tensor([0.1, 0.4, 0.2, 0.3])
    J, q = torch.multinomialAliasSetup(probs)
    assert J.typename == "torch.LongTensor" and J.min() >= 0 and J.max() <= 3
    k = 4
    Jn, qn = J.numpy(), q.numpy()
    # the mass of category i: kept when drawn, plus what aliases to it
    mass = np.array([qn[i] + sum(1 - qn[j] for j in range(k) if Jn[j] == i and j != i) for i in range(k)]) / k
    np.testing.assert_allclose(mass, probs.numpy(), atol=1e-12)
    torch.manualSeed(5)
    out = torch.LongTensor(200000)
    assert torch.multinomialAlias(out, J, q) is out
    freq = np.bincount(out.numpy(), minlength=4) / out.nElement()
    np.testing.assert_allclose(freq, probs.numpy(), atol=0.005)
    torch.manualSeed(5)
    again = torch.LongTensor(200000)
    torch.multinomialAlias(again, (J, q))
    assert np.array_equal(again.numpy(), out.numpy())


# -- results in place, numbers for one element -----------------------------------------------------

@pytest.mark.parametrize("name,args,want", [
    ("range", (0, 3), [0, 1, 2, 3]),
    ("linspace", (0, 3, 4), [0, 1, 2, 3]),
    ("logspace", (0, 3, 4), [1, 10, 100, 1000]),
])
def test_generators_fill_a_noncontiguous_result_in_place(name, args, want):
    x = torch.zeros(2, 3)
    y = x.narrow(1, 1, 2)
    getattr(torch, name)(y, *args)
    assert x.tolist() == [[0, want[0], want[1]], [0, want[2], want[3]]]
    assert y.size().tolist() == [2, 2]


def test_select_on_a_vector_and_one_element_squeeze():
    v = torch.Tensor([4, 5, 6])
    assert v.select(0, 2) == 6.0 and isinstance(v.select(0, 1), float)
    assert torch.Tensor(1, 1).fill(3).squeeze().size().tolist() == [1]   # Python keeps TH's tensor


def test_elementsize_half_real():
    sizes = {"Byte": 1, "Char": 1, "Short": 2, "Int": 4, "Long": 8, "Float": 4, "Double": 8, "Half": 2}
    for name, n in sizes.items():
        assert getattr(torch, name + "Tensor")().elementSize() == n
        assert getattr(torch, name + "Storage")().elementSize() == n
    x = _rand(2, 3)
    h = x.half()
    assert h.typename == "torch.HalfTensor"
    np.testing.assert_allclose(h.real().numpy(), x.numpy(), rtol=1e-3)
    assert h.real().typename == torch.getdefaulttensortype()


# -- storages --------------------------------------------------------------------------------------

def test_storage_view_shares_memory():
    s = torch.LongStorage([3, 4, 5])
    v = torch.LongStorage(s, 1)
    assert v.size() == 2 and v.tolist() == [4, 5]
    v[0] = 13
    assert s[1] == 13
    assert torch.LongStorage(s, 1, 1).tolist() == [13]
    with pytest.raises(torch.errors.TorchIndexError):
        torch.LongStorage(s, 2, 5)
    with pytest.raises(torch.errors.TorchTypeError):
        torch.IntStorage(s, 0, 1)
    assert torch.IntStorage(s).tolist() == [3, 13, 5]   # another type: a converted copy


def test_file_mapped_storages(tmp_path):
    path = str(tmp_path / "data.bin")
    np.arange(6, dtype=np.float32).tofile(path)
    private = torch.FloatStorage(path, False)
    assert private.tolist() == [0, 1, 2, 3, 4, 5]
    private[0] = 42   # not shared: the file keeps its bytes
    assert np.fromfile(path, np.float32)[0] == 0
    shared = torch.FloatStorage(path, True, 8)   # grows the file to 8 floats
    assert os.path.getsize(path) == 32
    shared[1] = 7
    other = torch.FloatStorage(path, True)
    assert other[1] == 7 and other.size() == 8
    with pytest.raises(torch.errors.TorchValueError):
        torch.FloatStorage(str(tmp_path / "missing.bin"), False)


def test_shared_memory_storage_is_unlinked_when_freed():
    import gc
    name = "pl_t7suite_test_%d" % os.getpid()
    s = torch.DoubleStorage(name, True, 5, True)
    assert os.path.exists("/dev/shm/" + name)
    s.fill(1.5)
    again = torch.DoubleStorage("/dev/shm/" + name, True, 5)
    assert again.tolist() == [1.5] * 5
    del s, again
    gc.collect()
    assert not os.path.exists("/dev/shm/" + name)


def test_generator_round_trips_through_t7():
    g = torch.Generator()
    torch.manualSeed(g, 123)
    for mode in ("binary", "ascii"):
        back = torch.deserialize(torch.serialize(g, mode), mode)
        assert type(back) is torch.Generator
        assert torch.random(back) == torch.random(g.__copy__())
    h = torch.deserialize(torch.serialize(g))
    assert [torch.random(h) for _ in range(3)] == [torch.random(g) for _ in range(3)]
