"""image.lcn, erode, dilate and gaussianpyramid: lcn against the same recipe on PyTorch's
conv2d, erosion/dilation against min/max pooling (3x3 ones) and a brute-force neighbourhood
loop (other kernels), and the pyramid level by level against scale('simple') and
convolve(..., 'same')."""
import numpy as np
import pytest

import pytorch_lite as lt
from pytorch_lite import image
from pytorch_lite.errors import TorchError

torch = pytest.importorskip("torch")
rng = np.random.RandomState(5)


def T(a):
    return lt.from_numpy(np.ascontiguousarray(a))


def torch_lcn(x, k):
    x = (x - x.mean()) / x.std(ddof=1)
    conv = torch.nn.functional.conv2d
    kt = torch.from_numpy(k[::-1, ::-1].copy())[None, None]        # conv2 flips the kernel
    lm = conv(torch.from_numpy(x)[None, None], kt)[0, 0].numpy()
    lsq = conv(torch.from_numpy(x * x)[None, None], kt)[0, 0].numpy()
    lstd = np.maximum(np.sqrt(np.maximum(lsq - lm * lm, 0)), 1)
    si, sj = k.shape[0] // 2, k.shape[1] // 2
    return (x[si:si + lm.shape[0], sj:sj + lm.shape[1]] - lm) / lstd


def test_lcn_matches_torch_recipe():
    x = rng.rand(20, 17) * 5
    got = image.lcn(T(x))
    assert got.typename == "torch.DoubleTensor" and tuple(got.size()) == (12, 9)
    k = image.gaussian(size=9, sigma=1.591 / 9, normalize=True).numpy()
    np.testing.assert_allclose(got.numpy(), torch_lcn(x, k), rtol=1e-10, atol=1e-12)
    k2 = rng.rand(3, 5)
    got2 = image.lcn(lt.FloatTensor(x[None]), T(k2)).numpy()
    np.testing.assert_allclose(got2, torch_lcn(x.astype(np.float32).astype(float), k2), rtol=1e-10, atol=1e-12)
    with pytest.raises(TorchError, match="grayscale image expected"):
        image.lcn(T(rng.rand(3, 5, 5)))


def brute(im, k, pad, op):
    kh, kw = k.shape
    p = np.pad(im.astype(float), ((kh // 2,), (kw // 2,)), constant_values=pad)
    out = np.zeros(im.shape)
    for y in range(im.shape[0]):
        for x in range(im.shape[1]):
            win = p[y:y + kh, x:x + kw]
            out[y, x] = op(win, k)
    return out


def test_erode_dilate_square_kernel_are_min_max_pooling():
    im = (rng.rand(9, 11) > 0.4).astype(float)
    t = torch.from_numpy(im)[None, None]
    er = image.erode(T(im)).numpy()
    want_er = -torch.nn.functional.max_pool2d(-torch.nn.functional.pad(t, (1, 1, 1, 1), value=1), 3, 1)
    assert np.array_equal(er, want_er[0, 0].numpy())
    di = image.dilate(T(im)).numpy()
    want_di = torch.nn.functional.max_pool2d(torch.nn.functional.pad(t, (1, 1, 1, 1), value=0), 3, 1)
    assert np.array_equal(di, want_di[0, 0].numpy())


def test_erode_dilate_other_kernels_and_pads():
    im = (rng.rand(8, 9) > 0.5).astype(np.uint8)
    k = np.array([[1, 1, 0], [0, 1, 0], [0, 1, 1]], float)
    # erode uses the kernel flipped (torch.conv2), dilate the kernel as given
    kf = k[::-1, ::-1]
    er = image.erode(lt.ByteTensor(im), T(k), 0)
    assert er.typename == "torch.ByteTensor"
    want = brute(im, kf, 0, lambda w, kk: float((w * kk).sum() == kk.sum()))
    assert np.array_equal(er.numpy(), want)
    di = image.dilate(lt.ByteTensor(im), T(k), 1).numpy()
    want = brute(im, k, 1, lambda w, kk: float((w * kk).sum() > 0))
    assert np.array_equal(di, want)
    with pytest.raises(TorchError, match="odd"):
        image.erode(T(im.astype(float)), T(np.ones((2, 3))))


@pytest.mark.parametrize("cls", [lt.ByteTensor, lt.FloatTensor, lt.DoubleTensor])
def test_gaussianpyramid_levels(cls):
    src = cls(rng.rand(3, 16, 12) * (255 if cls is lt.ByteTensor else 1))
    levels = image.gaussianpyramid(src, [0.5, 0.25])
    assert [tuple(t.size()) for t in levels] == [(3, 8, 6), (3, 4, 3)]
    assert all(t.typename == src.typename for t in levels)
    k = cls(image.gaussian(width=3, normalize=True).numpy())     # a ByteTensor's kernel is all 0
    first = image.scale(src, 6, 8, "simple")
    assert np.array_equal(levels[0].numpy(), first.numpy())
    blurred = image.convolve(first, k, "same")
    assert np.array_equal(levels[1].numpy(), image.scale(blurred, 3, 4, "simple").numpy())
    dst = [None, cls()]
    out = image.gaussianpyramid(dst, src[0], [1, 0.5])
    assert out is dst and np.array_equal(dst[0].numpy(), src[0].numpy())
    assert tuple(dst[1].size()) == (8, 6)
