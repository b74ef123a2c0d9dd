"""pytorch_lite.image's colour conversions, kernels, convolution and display helpers against
independent references: Python's colorsys for HSV/HSL, the formulas of torch/image's doc and
init.lua written out here, PyTorch's conv2d (a convolution is a correlation with the kernel
flipped), numpy for the layouts."""
import colorsys
import math

import numpy as np
import pytest

import pytorch_lite as torch
from pytorch_lite import image
from pytorch_lite.errors import TorchError


def rgb(h=4, w=5, seed=1, cls=torch.DoubleTensor):
    return cls(np.random.RandomState(seed).rand(3, h, w))


def per_pixel(a, fn):
    out = np.empty_like(a, dtype=np.float64)
    for j in range(a.shape[1]):
        for i in range(a.shape[2]):
            out[:, j, i] = fn(*a[:, j, i])
    return out


def test_yuv_formulas_and_round_trip():
    x = rgb()
    r, g, b = x.numpy()
    yuv = image.rgb2yuv(x).numpy()
    np.testing.assert_allclose(yuv[0], 0.299 * r + 0.587 * g + 0.114 * b, rtol=0, atol=1e-15)
    np.testing.assert_allclose(yuv[1], -0.14713 * r - 0.28886 * g + 0.436 * b, rtol=0, atol=1e-15)
    np.testing.assert_allclose(yuv[2], 0.615 * r - 0.51499 * g - 0.10001 * b, rtol=0, atol=1e-15)
    back = image.yuv2rgb(image.rgb2yuv(x)).numpy()
    np.testing.assert_allclose(back, x.numpy(), atol=5e-5)   # Torch7's coefficients are rounded
    dst = torch.DoubleTensor()
    assert image.rgb2yuv(dst, x) is dst and tuple(dst.size()) == (3, 4, 5)


def test_rgb2y():
    x = rgb()
    r, g, b = x.numpy()
    got = image.rgb2y(x)
    assert tuple(got.size()) == (1, 4, 5)
    np.testing.assert_allclose(got.numpy()[0], 0.299 * r + 0.587 * g + 0.114 * b, rtol=0, atol=1e-15)
    # primaries give the coefficients (torch/image's test) and bytes round to nearest
    eye = torch.FloatTensor(np.eye(3).reshape(3, 1, 3))
    np.testing.assert_allclose(image.rgb2y(eye).numpy()[0, 0], [0.299, 0.587, 0.114], rtol=1e-6)
    bx = torch.ByteTensor(np.array([[[200]], [[100]], [[10]]], dtype=np.uint8))
    assert image.rgb2y(bx).numpy()[0, 0, 0] == int(0.299 * 200 + 0.587 * 100 + 0.114 * 10 + 0.5)


def test_hsv_hsl_against_colorsys():
    x = rgb(5, 6)
    a = x.numpy()
    a[:, 0, 0] = 0.5                                            # a grey pixel
    np.testing.assert_allclose(image.rgb2hsv(x).numpy(), per_pixel(a, colorsys.rgb_to_hsv), atol=1e-12)
    hls = per_pixel(a, colorsys.rgb_to_hls)
    np.testing.assert_allclose(image.rgb2hsl(x).numpy(), hls[[0, 2, 1]], atol=1e-12)
    hsv = torch.DoubleTensor(per_pixel(a, colorsys.rgb_to_hsv))
    np.testing.assert_allclose(image.hsv2rgb(hsv).numpy(), a, atol=1e-12)
    hsl = torch.DoubleTensor(hls[[0, 2, 1]])
    np.testing.assert_allclose(image.hsl2rgb(hsl).numpy(), a, atol=1e-12)


def test_hsv_on_bytes_rounds_in_0_255():
    a = np.array([[[255]], [[128]], [[0]]], dtype=np.uint8)
    got = image.rgb2hsv(torch.ByteTensor(a)).numpy()[:, 0, 0]
    h, s, v = colorsys.rgb_to_hsv(1.0, 128 / 255, 0.0)
    assert got.tolist() == [int(h * 255 + 0.5), int(s * 255 + 0.5), int(v * 255 + 0.5)]
    back = image.hsv2rgb(image.rgb2hsv(torch.ByteTensor(a))).numpy()[:, 0, 0]
    assert np.all(np.abs(back.astype(int) - a[:, 0, 0].astype(int)) <= 2)


def test_float_colours_close_to_double():
    x = rgb(6, 7)
    xf = x.float()
    for f in (image.rgb2hsv, image.rgb2hsl, image.rgb2yuv):
        assert f(xf).typename == "torch.FloatTensor"
        np.testing.assert_allclose(f(xf).numpy(), f(x).numpy(), atol=2e-6)


def test_gaussian_formula_and_options():
    # doc: amplitude at the mean, sigma and mean relative to the kernel size, 1-based centre
    def ref(h, w, sh, sv, mh, mv, amp):
        out = np.empty((h, w))
        for v in range(h):
            for u in range(w):
                du = (u + 1 - (mh * w + 0.5)) / (sh * w)
                dv = (v + 1 - (mv * h + 0.5)) / (sv * h)
                out[v, u] = amp * math.exp(-0.5 * (du * du + dv * dv))
        return out
    np.testing.assert_allclose(image.gaussian().numpy(), ref(3, 3, .25, .25, .5, .5, 1), rtol=1e-14)
    got = image.gaussian(size=5, sigma=0.3, amplitude=2, width=7, sigma_vert=0.2, mean_horz=0.4)
    np.testing.assert_allclose(got.numpy(), ref(5, 7, .3, .2, .4, .5, 2), rtol=1e-14)
    assert got.numpy()[2].max() == got.numpy().max()
    n = image.gaussian(5, normalize=True)
    assert abs(n.sum() - 1) < 1e-12
    np.testing.assert_allclose(n.numpy(), ref(5, 5, .25, .25, .5, .5, 1) / ref(5, 5, .25, .25, .5, .5, 1).sum(),
                               rtol=1e-12)
    t = torch.FloatTensor(4, 6)
    assert image.gaussian(tensor=t) is t
    np.testing.assert_allclose(t.numpy(), ref(4, 6, .25, .25, .5, .5, 1), rtol=1e-6)
    # a ByteTensor kernel rounds the float one (torch/image's byteGaussian check)
    b = image.gaussian(amplitude=1000, tensor=torch.ByteTensor(5, 5)).numpy()
    f = image.gaussian(amplitude=1000, tensor=torch.FloatTensor(5, 5)).numpy()
    np.testing.assert_array_equal(b, np.clip(np.floor(f + np.float32(0.5)), 0, 255).astype(np.uint8))


def test_gaussian1D_and_laplacian():
    g = image.gaussian1D(7, 0.2, 3, False, 0.5)
    want = [3 * math.exp(-((i - 4.0) / 1.4) ** 2 / 2) for i in range(1, 8)]
    np.testing.assert_allclose(g.numpy(), want, rtol=1e-14)
    assert abs(image.gaussian1D(size=9, normalize=True).sum() - 1) < 1e-12
    t = torch.DoubleTensor(4)
    assert image.gaussian1D(tensor=t) is t
    lap = image.laplacian(size=5, sigma=0.2)
    ref = np.empty((5, 5))
    for i in range(1, 6):
        for j in range(1, 6):
            xsq = ((i - 3.0) / 1.0) ** 2 / 2
            ysq = ((j - 3.0) / 1.0) ** 2 / 2
            ref[i - 1, j - 1] = (1 - (xsq + ysq)) * math.exp(-(xsq + ysq))
    np.testing.assert_allclose(lap.numpy(), ref, rtol=1e-14)
    assert lap.numpy()[2, 2] == 1.0


def test_colormaps():
    cm = image.colormap(3).numpy()
    # hue 0, 39, 78 degrees; saturation .3, .3+1/9, .3+2/9; lightness .5 (HSL -> RGB)
    for k in range(3):
        h, s = 39 * k / 360, 0.3 + k / 9
        np.testing.assert_allclose(cm[k], colorsys.hls_to_rgb(h, 0.5, s), atol=1e-12)
    jet = image.jetColormap(4).numpy()
    np.testing.assert_allclose(jet[-1], [0.5, 0, 0])
    np.testing.assert_allclose(jet[0], [0, 0.5, 1])           # 4i/n = 1: (0, 1 - .5, min(1.5, 1))


def torch_conv(x, k, pad):
    import torch as pt
    xt = pt.from_numpy(np.ascontiguousarray(x))[None, None]
    kt = pt.from_numpy(np.ascontiguousarray(k[::-1, ::-1]))[None, None]
    return pt.nn.functional.conv2d(xt, kt, padding=pad)[0, 0].numpy()


def test_convolve_modes_against_pytorch():
    rs = np.random.RandomState(3)
    x = rs.rand(9, 11)
    k = rs.rand(3, 4)
    src, ker = torch.DoubleTensor(x), torch.DoubleTensor(k)
    np.testing.assert_allclose(image.convolve(src, ker).numpy(), torch_conv(x, k, 0), rtol=1e-12)
    full = torch_conv(x, k, (2, 3))
    np.testing.assert_allclose(image.convolve(src, ker, "full").numpy(), full, rtol=1e-12)
    same = image.convolve(src, ker, "same")
    assert tuple(same.size()) == (9, 11)
    np.testing.assert_allclose(same.numpy(), full[1:10, 1:12], rtol=1e-12)   # ceil(k/2) - 1 offset
    # a 2D kernel on a 3-plane image filters each plane
    x3 = rs.rand(3, 6, 7)
    got = image.convolve(torch.DoubleTensor(x3), ker, "valid").numpy()
    for p in range(3):
        np.testing.assert_allclose(got[p], torch_conv(x3[p], k, 0), rtol=1e-12)
    dst = torch.DoubleTensor()
    assert image.convolve(dst, src, ker) is dst
    with pytest.raises(TorchError):
        image.convolve(src, ker, "wrap")


def test_minmax():
    t = torch.FloatTensor([[1, 2], [3, 5]])
    got = image.minmax(tensor=t)
    assert got.typename == "torch.DoubleTensor"               # a new default-type tensor
    np.testing.assert_allclose(got.numpy(), [[0, .25], [.5, 1]])
    np.testing.assert_allclose(image.minmax(t, min=2, max=4, saturate=True).numpy(), [[0, 0], [.5, 1]])
    np.testing.assert_allclose(image.minmax(t, min=2, max=4).numpy(), [[-.5, 0], [.5, 1.5]])
    s = torch.DoubleTensor([-2, 1])
    np.testing.assert_allclose(image.minmax(s, symm=True).numpy(), [0, .75])   # range [-2, 2]
    image.minmax(t, inplace=True)
    np.testing.assert_allclose(t.numpy(), [[0, .25], [.5, 1]])


def test_toDisplayTensor_grid():
    imgs = [torch.DoubleTensor(1, 2, 3).fill(v) for v in (0, 1, 2, 3)]
    g = image.toDisplayTensor(input=imgs, nrow=3, padding=2)
    # 2 rows of 3 cells of (2+2)x(3+2); each image at offset padding/2 in its cell; the rest
    # is filled with the max, and everything is then scaled to [0, 1]
    assert tuple(g.size()) == (1, 8, 15)
    a = g.numpy()[0]
    want = np.full((8, 15), 3.0)
    for k in range(4):
        y, x = divmod(k, 3)
        want[y * 4 + 1:y * 4 + 3, x * 5 + 1:x * 5 + 4] = k
    np.testing.assert_allclose(a, want / 3)
    stack = image.toDisplayTensor(torch.DoubleTensor(np.arange(8.).reshape(2, 2, 2)), nrow=2)
    assert tuple(stack.size()) == (2, 4)
    single = image.toDisplayTensor(input=torch.DoubleTensor([[2, 4]]))
    np.testing.assert_allclose(single.numpy(), [[0, 1]])


def test_drawRect():
    src = torch.DoubleTensor(3, 8, 9).zero()
    out = image.drawRect(src, 1, 2, 6, 5, color=(255, 128, 0))
    assert out is not src and src.sum() == 0
    a = out.numpy()
    mask = np.zeros((8, 9), bool)
    mask[2:6, 1] = mask[2:6, 6] = mask[2, 1:7] = mask[5, 1:7] = True   # lineWidth 1 outline
    np.testing.assert_array_equal(a[0] != 0, mask)
    assert a[1][mask][0] == np.float64(np.float32(128) / np.float32(255))
    thick = image.drawRect(src, 3, 3, 5, 5, lineWidth=3, inplace=True)
    assert thick is src and src.numpy()[0, 2:7, 2:7].all() and src.numpy()[0, 0:2].sum() == 0
    bytes_ = image.drawRect(torch.ByteTensor(3, 4, 4).zero(), 0, 0, 3, 3, color=(7, 8, 9))
    assert bytes_.numpy()[:, 0, 0].tolist() == [7, 8, 9]
    with pytest.raises(TorchError):
        image.drawRect(torch.DoubleTensor(4, 4), 0, 0, 1, 1)
