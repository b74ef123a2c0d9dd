"""image.rgb2lab / lab2rgb (sRGB, D65), rgb2nrgb and y2jet: the CIE formulas written out here
per pixel, published L*a*b* values of the sRGB primaries, round trips, ByteTensors refused by
Lab as in Torch7, and y2jet as a lookup into jetColormap."""
import numpy as np
import pytest

import pytorch_lite as lt
from pytorch_lite import image
from pytorch_lite.errors import TorchError

rng = np.random.RandomState(11)


def T(a):
    return lt.from_numpy(np.ascontiguousarray(a))


def lab_of(r, g, b):
    """sRGB -> XYZ (the matrix image.c uses) -> L*a*b* with its white point, one pixel."""
    def lin(c):
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4
    r, g, b = lin(r), lin(g), lin(b)
    x = (0.412453 * r + 0.357580 * g + 0.180423 * b) / 0.950456
    y = 0.212671 * r + 0.715160 * g + 0.072169 * b
    z = (0.019334 * r + 0.119193 * g + 0.950227 * b) / 1.088754
    e, k = 216 / 24389, 24389 / 27

    def f(t):
        return t ** (1 / 3) if t > e else (k * t + 16) / 116
    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


def test_rgb2lab_per_pixel_formula():
    src = rng.rand(3, 4, 5)
    got = image.rgb2lab(T(src)).numpy()
    for yy in range(4):
        for xx in range(5):
            np.testing.assert_allclose(got[:, yy, xx], lab_of(*src[:, yy, xx]), rtol=1e-12, atol=1e-10)


def test_published_values():
    # white is L=100, a=b=0; sRGB red is about (53.24, 80.09, 67.20), green (87.73, -86.18, 83.18)
    px = np.array([[1, 1, 0], [1, 0, 1], [1, 0, 0]], float).reshape(3, 1, 3)
    lab = image.rgb2lab(T(px)).numpy()[:, 0]
    np.testing.assert_allclose(lab[:, 0], [100, 0, 0], atol=0.01)
    np.testing.assert_allclose(lab[:, 1], [53.24, 80.09, 67.20], atol=0.05)
    np.testing.assert_allclose(lab[:, 2], [87.73, -86.18, 83.18], atol=0.05)


# image.c's two sRGB/XYZ matrices (4 and 7 digits) are not exact inverses: the round trip is
# good to about 4e-5 even in double, hence Torch7's own test tolerance of 1e-4
@pytest.mark.parametrize("cls, tol", [(lt.DoubleTensor, 1e-4), (lt.FloatTensor, 1e-4)])
def test_round_trip(cls, tol):
    src = cls(rng.rand(3, 6, 7))
    back = image.lab2rgb(image.rgb2lab(src))
    assert back.typename == src.typename
    np.testing.assert_allclose(back.numpy(), src.numpy(), atol=tol)
    dst = cls()
    assert image.rgb2lab(dst, src) is dst and tuple(dst.size()) == (3, 6, 7)


def test_byte_tensors_are_refused():
    b = lt.ByteTensor(3, 2, 2)
    with pytest.raises(TorchError, match="not supported for torch.ByteTensor"):
        image.rgb2lab(b)
    with pytest.raises(TorchError, match="not supported"):
        image.lab2rgb(b)


def test_rgb2nrgb():
    src = rng.rand(3, 4, 4)
    got = image.rgb2nrgb(T(src)).numpy()
    np.testing.assert_allclose(got, src / (src.sum(0) + 1e-6), rtol=1e-14)
    f = lt.FloatTensor(src)
    s = f.numpy()
    total = ((s[0] + s[1]) + s[2]) + np.float32(1e-6)
    assert np.array_equal(image.rgb2nrgb(f).numpy(), s / total)


def test_y2jet_is_a_colormap_lookup():
    levels = rng.randint(1, 8, (3, 5)).astype(float)
    levels[0, 0] = 7
    got = image.y2jet(T(levels)).numpy()
    cmap = image.jetColormap(7).numpy()
    assert got.shape == (3, 3, 5)
    assert np.array_equal(got, np.moveaxis(cmap[levels.astype(int) - 1], 2, 0))
    row = image.y2jet(T(np.arange(1.0, 11)))
    assert tuple(row.size()) == (3, 1, 10)
    assert np.array_equal(row.numpy()[:, 0].T, image.jetColormap(10).numpy())
    byte = image.y2jet(lt.ByteTensor(levels.astype(np.uint8)[None])).numpy()
    want = np.moveaxis(np.floor(cmap * 255 + 0.5)[levels.astype(int) - 1], 2, 0)
    assert byte.dtype == np.uint8 and np.array_equal(byte, want)
    with pytest.raises(TorchError, match="levels"):
        image.y2jet(T(np.array([[0.0, 2.0]])))


def rgb_of(l_, a, b):
    """L*a*b* -> XYZ -> linear sRGB (image.c's inverse matrix) -> sRGB, one pixel."""
    e, k = 216 / 24389, 24389 / 27
    fy = (l_ + 16) / 116
    fz, fx = fy - b / 200, a / 500 + fy
    x = fx ** 3 if fx ** 3 > e else (116 * fx - 16) / k
    y = ((l_ + 16) / 116) ** 3 if l_ > k * e else l_ / k
    z = fz ** 3 if fz ** 3 > e else (116 * fz - 16) / k
    x, z = x * 0.950456, z * 1.088754
    lin = (3.2404542 * x - 1.5371385 * y - 0.4985314 * z, -0.9692660 * x + 1.8760108 * y + 0.0415560 * z,
           0.0556434 * x - 0.2040259 * y + 1.0572252 * z)
    return [12.92 * c if c <= 0.0031308 else 1.055 * c ** (1 / 2.4) - 0.055 for c in lin]


def test_lab2rgb_per_pixel_formula():
    lab = np.stack([rng.uniform(0, 100, (3, 4)), rng.uniform(-60, 60, (3, 4)), rng.uniform(-60, 60, (3, 4))])
    lab[:, 0, 0] = [2, 0, 0]                 # dark: the linear branches
    got = image.lab2rgb(T(lab)).numpy()
    for yy in range(3):
        for xx in range(4):
            want = rgb_of(*lab[:, yy, xx])
            np.testing.assert_allclose(got[:, yy, xx], want, rtol=1e-12, atol=1e-12)
