"""pytorch_lite.image's geometry (scale, rotate, crop, translate, flips) against references
written here pixel by pixel from torch/image's generic/image.c loops, with its C types kept:
``float`` variables as numpy float32 scalars, ``double`` ones as float64, and the byte rounding
of FromIntermediate.  Sizes are small so plain loops stay fast."""
import math

import numpy as np
import pytest

import pytorch_lite as torch
from pytorch_lite import image
from pytorch_lite.errors import TorchError

f32, f64 = np.float32, np.float64
TYPES = [torch.DoubleTensor, torch.FloatTensor, torch.ByteTensor]


def sample(cls, c=3, h=6, w=7, seed=0):
    rng = np.random.RandomState(seed)
    if cls is torch.ByteTensor:
        return torch.ByteTensor(rng.randint(0, 256, size=(c, h, w)).astype(np.uint8))
    return cls(rng.rand(c, h, w))


def temp(dtype):
    return f64 if dtype == np.float64 else f32


def store(x, dtype):
    """FromIntermediate for one value."""
    if dtype == np.uint8:
        x = temp(dtype)(x) + temp(dtype)(0.5)
        if x <= 0:
            return 0
        if x >= 255:
            return 255
        return int(x)
    return dtype.type(x)


def work(dtype):
    return f64 if dtype == np.float64 else f32


# -- image.c's scaleLinear_rowcol / scaleCubic_rowcol, element by element ------------------------

def ref_linear(src, dst_len, dtype):
    W = work(dtype)
    n = len(src)
    dst = [None] * dst_len
    if dst_len > n:
        if n == 1:
            for di in range(dst_len - 1):
                dst[di] = src[0]
        else:
            scale = f32(n - 1) / f32(dst_len - 1)
            for di in range(dst_len - 1):
                si_f = f32(di) * scale
                si_i = int(si_f)
                si_f = f32(si_f - f32(si_i))
                v = (f32(1) - si_f) * W(src[si_i]) + si_f * W(src[si_i + 1])
                dst[di] = store(v, dtype)
        dst[-1] = src[-1]
    elif dst_len < n:
        scale = f32(n) / f32(dst_len)
        si0_i, si0_f = 0, f32(0)
        for di in range(dst_len):
            si1_f = f32(di + 1) * scale
            si1_i = int(si1_f)
            si1_f = f32(si1_f - f32(si1_i))
            acc = f32((f32(1) - si0_f) * W(src[si0_i]))
            cnt = f32(1) - si0_f
            for si in range(si0_i + 1, si1_i):
                acc = f32(W(acc) + W(src[si]))
                cnt = f32(cnt + f32(1))
            if si1_i < n:
                acc = f32(W(acc) + si1_f * W(src[si1_i]))
                cnt = f32(cnt + si1_f)
            dst[di] = store(f32(acc / cnt), dtype)
            si0_i, si0_f = si1_i, si1_f
    else:
        dst = list(src)
    return dst


def ref_cubic(src, dst_len, dtype):
    T = temp(dtype)
    n = len(src)
    if dst_len == n:
        return list(src)
    if n == 1:
        return [src[0]] * dst_len
    scale = f32(n - 1) if dst_len == 1 else f32(n - 1) / f32(dst_len - 1)
    dst = [None] * dst_len
    for di in range(dst_len - 1):
        si_f = f32(di) * scale
        si_i = int(si_f)
        si_f = f32(si_f - f32(si_i))
        p1, p2 = T(src[si_i]), T(src[si_i + 1])
        p0 = T(src[si_i - 1]) if si_i > 0 else T(2) * p1 - p2
        p3 = T(src[si_i + 2]) if si_i + 2 < n else T(2) * p2 - p1
        x = T(si_f)
        a1, a2 = p2 - p0, T(2) * p0 - T(5) * p1 + T(4) * p2 - p3
        a3 = T(3) * (p1 - p2) + p3 - p0
        v = T(f64(p1) + 0.5 * f64(x) * f64(a1 + x * (a2 + x * a3)))
        dst[di] = store(v, dtype)
    dst[-1] = src[-1]
    return dst


def ref_separable(a, h, w, line):
    c, sh, sw = a.shape
    tmp = np.empty((c, sh, w), dtype=a.dtype)
    out = np.empty((c, h, w), dtype=a.dtype)
    for k in range(c):
        for j in range(sh):
            tmp[k, j] = line(list(a[k, j]), w, a.dtype)
        for i in range(w):
            out[k, :, i] = line(list(tmp[k, :, i]), h, a.dtype)
    return out


def ref_simple(a, h, w):
    c, sh, sw = a.shape
    out = np.empty((c, h, w), dtype=a.dtype)
    scx, scy = f32(sw) / f32(w), f32(sh) / f32(h)
    for j in range(h):
        for i in range(w):
            ii = min(int(f32(i) * scx), sw - 1)
            jj = min(int(f32(j) * scy), sh - 1)
            for k in range(c):
                out[k, j, i] = store(f32(a[k, jj, ii]), a.dtype)
    return out


@pytest.mark.parametrize("cls", TYPES, ids=lambda c: c.__name__)
@pytest.mark.parametrize("size", [(4, 5), (13, 11), (6, 7), (1, 3), (9, 2)])
def test_scale_modes_match_image_c(cls, size):
    src = sample(cls)
    a = src.numpy()
    h, w = size
    refs = {"bilinear": ref_separable(a, h, w, ref_linear), "bicubic": ref_separable(a, h, w, ref_cubic),
            "simple": ref_simple(a, h, w)}
    for mode, ref in refs.items():
        got = image.scale(src, w, h, mode)
        assert type(got) is cls and tuple(got.size()) == (3, h, w)
        np.testing.assert_array_equal(got.numpy(), ref, err_msg=mode)
    # bilinear is the default; a 2D image gives a 2D result with the same numbers
    np.testing.assert_array_equal(image.scale(src, w, h).numpy(), refs["bilinear"])
    np.testing.assert_array_equal(image.scale(src[0], w, h, "bicubic").numpy(), refs["bicubic"][0])


def test_scale_keeps_corners_and_constant_images():
    # expanding interpolates between the end points exactly; a constant image stays constant
    src = torch.DoubleTensor([[0, 3]])
    np.testing.assert_allclose(image.scale(src, 4, 1).numpy(), [[0, 1, 2, 3]], rtol=1e-7)
    flat = torch.FloatTensor(1, 5, 9).fill(0.25)
    for mode in ("bilinear", "bicubic", "simple"):
        assert np.all(image.scale(flat, 4, 3, mode).numpy() == np.float32(0.25))


def test_scale_size_forms():
    src = sample(torch.DoubleTensor, h=20, w=40)
    assert tuple(image.scale(src, 20).size()) == (3, 10, 20)        # longest side 20
    assert tuple(image.scale(src, "30x12").size()) == (3, 12, 30)   # WxH
    assert tuple(image.scale(src, "^10").size()) == (3, 10, 20)     # shortest side 10
    assert tuple(image.scale(src, "*1/4").size()) == (3, 5, 10)
    assert tuple(image.scale(src, "*1.5").size()) == (3, 30, 60)
    assert tuple(image.scale(src, "*0.01").size()) == (3, 1, 1)     # at least one pixel
    dst = torch.DoubleTensor(3, 7, 5)
    assert image.scale(dst, src, "bicubic") is dst
    np.testing.assert_array_equal(dst.numpy(), ref_separable(src.numpy(), 7, 5, ref_cubic))
    with pytest.raises(TorchError):
        image.scale(src, "big")
    with pytest.raises(TorchError):
        image.scale(src, 10, 10, "lanczos")
    with pytest.raises(TorchError):
        image.scale(torch.FloatTensor(1, 7, 5), src)                # depth mismatch


def c_round(x):
    x = f64(x)
    return math.copysign(math.floor(abs(x) + 0.5), x)


def ref_rotate(a, theta):
    c, h, w = a.shape
    out = np.empty_like(a)
    th = f32(theta)
    st, ct = f32(math.sin(f64(th))), f32(math.cos(f64(th)))
    xc, yc = f32((w - 1) / 2.0), f32((h - 1) / 2.0)
    for j in range(h):
        for i in range(w):
            jd, id_ = f32(j), f32(i)
            ii = int(c_round(f32(f32(ct * f32(id_ - xc)) - f32(st * f32(jd - yc))) + xc))
            jj = int(c_round(f32(f32(ct * f32(jd - yc)) + f32(st * f32(id_ - xc))) + yc))
            inside = 0 <= ii <= w - 1 and 0 <= jj <= h - 1
            for k in range(c):
                out[k, j, i] = store(f32(a[k, jj, ii]) if inside else f32(0), a.dtype)
    return out


def ref_rotate_bilinear(a, theta):
    c, h, w = a.shape
    T = temp(a.dtype)
    out = np.empty_like(a)
    th = f64(f32(theta))
    xc, yc = f32((w - 1) / 2.0), f32((h - 1) / 2.0)
    for j in range(h):
        for i in range(w):
            jd, id_ = f32(j), f32(i)
            ri = T(math.cos(th) * f64(id_ - xc) - math.sin(th) * f64(jd - yc))
            rj = T(math.cos(th) * f64(jd - yc) + math.sin(th) * f64(id_ - xc))
            i0 = int(math.floor(f64(ri + T(xc))))
            j0 = int(math.floor(f64(rj + T(yc))))
            i1, j1 = i0 + 1, j0 + 1
            wi = T(ri + T(xc)) - T(i0)
            wj = T(rj + T(yc)) - T(j0)
            zero = False
            if i1 == w and wi < 0.5:
                i1 = i0
            elif i1 >= w:
                zero = True
            if j1 == h and wj < 0.5:
                j1 = j0
            elif j1 >= h:
                zero = True
            if i0 == -1 and wi > 0.5:
                i0 = i1
            elif i0 < 0:
                zero = True
            if j0 == -1 and wj > 0.5:
                j0 = j1
            elif j0 < 0:
                zero = True
            for k in range(c):
                if zero:
                    v = f32(0)
                else:
                    wi_, wj_ = f64(wi), f64(wj)
                    v = f32((1.0 - wi_) * (1.0 - wj_) * f64(a[k, j0, i0]) + wi_ * (1.0 - wj_) * f64(a[k, j0, i1])
                            + (1.0 - wi_) * wj_ * f64(a[k, j1, i0]) + wi_ * wj_ * f64(a[k, j1, i1]))
                out[k, j, i] = store(T(v), a.dtype)
    return out


@pytest.mark.parametrize("cls", TYPES, ids=lambda c: c.__name__)
@pytest.mark.parametrize("theta", [0.0, 0.4, -1.1, math.pi / 2, 3.0])
def test_rotate_matches_image_c(cls, theta):
    src = sample(cls, h=7, w=8)
    np.testing.assert_array_equal(image.rotate(src, theta).numpy(), ref_rotate(src.numpy(), theta))
    np.testing.assert_array_equal(image.rotate(src, theta, "bilinear").numpy(),
                                  ref_rotate_bilinear(src.numpy(), theta))
    dst = cls()
    assert image.rotate(dst, src, theta) is dst and tuple(dst.size()) == tuple(src.size())


def test_rotate_quarter_turn_and_errors():
    # a square image turned by pi/2 is a transpose plus a flip (nearest, no blank corners)
    a = np.arange(25, dtype=np.float64).reshape(1, 5, 5)
    got = image.rotate(torch.DoubleTensor(a), math.pi / 2).numpy()[0]
    np.testing.assert_array_equal(got, np.rot90(a[0], 1))
    src = sample(torch.DoubleTensor)
    with pytest.raises(TorchError):
        image.rotate(src, src, 0.5)
    with pytest.raises(TorchError):
        image.rotate(src, 0.5, "bicubic")


@pytest.mark.parametrize("cls", TYPES, ids=lambda c: c.__name__)
def test_crop_forms(cls):
    src = sample(cls, h=6, w=9)
    a = src.numpy()
    # the C loop reads each value through a float
    win = lambda y0, x0, h, w: a[:, y0:y0 + h, x0:x0 + w].astype(f32).astype(a.dtype)
    np.testing.assert_array_equal(image.crop(src, 2, 1, 7, 5).numpy(), win(1, 2, 4, 5))
    for fmt, (y0, x0) in {"c": (1, 2), "tl": (0, 0), "tr": (0, 5), "bl": (2, 0), "br": (2, 5)}.items():
        got = image.crop(src, fmt, 4, 4)
        np.testing.assert_array_equal(got.numpy(), win(y0, x0, 4, 4), err_msg=fmt)
    assert tuple(image.crop(src[0], "c", 3, 2).size()) == (2, 3)
    # with a destination: the fixed-size window at (x, y), or a box rescaled into dst
    dst = cls(3, 2, 3)
    assert image.crop(dst, src, 4, 3) is dst
    np.testing.assert_array_equal(dst.numpy(), win(3, 4, 2, 3))
    dst2 = cls(3, 3, 3)
    image.crop(dst2, src, 0, 0, 6, 6)
    np.testing.assert_array_equal(dst2.numpy(), ref_separable(win(0, 0, 6, 6), 3, 3, ref_linear))
    image.crop(dst2, src, "br", 3, 3)
    np.testing.assert_array_equal(dst2.numpy(), win(3, 6, 3, 3))
    for bad in [(src, 5, 0, 10, 3), (src, -1, 0, 3, 3), (src, "middle", 3, 3), (src, 1)]:
        with pytest.raises(TorchError):
            image.crop(*bad)


def test_double_crop_rounds_through_float_as_torch7():
    src = torch.DoubleTensor([[[0.1, 1 / 3]]])
    got = image.crop(src, 0, 0, 2, 1).numpy()
    assert got[0, 0, 1] == np.float64(np.float32(1 / 3)) and got[0, 0, 1] != 1 / 3


@pytest.mark.parametrize("shift", [(2, 1), (-3, 2), (0, -4), (20, 0), (-1, -1)])
def test_translate(shift):
    src = sample(torch.DoubleTensor, h=5, w=6)
    x, y = shift
    a = src.numpy()
    ref = np.zeros_like(a)
    for j in range(5):
        for i in range(6):
            if 0 <= i + x < 6 and 0 <= j + y < 5:
                ref[:, j + y, i + x] = a[:, j, i]
    np.testing.assert_array_equal(image.translate(src, x, y).numpy(), ref)
    dst = torch.DoubleTensor()
    assert image.translate(dst, src, x, y) is dst
    np.testing.assert_array_equal(dst.numpy(), ref)


def test_flips():
    src = sample(torch.FloatTensor, h=4, w=5)
    a = src.numpy()
    np.testing.assert_array_equal(image.hflip(src).numpy(), a[:, :, ::-1])
    np.testing.assert_array_equal(image.vflip(src).numpy(), a[:, ::-1, :])
    np.testing.assert_array_equal(image.hflip(src[1]).numpy(), a[1, :, ::-1])
    for d in range(3):
        np.testing.assert_array_equal(image.flip(src, d).numpy(), np.flip(a, d))
    v = torch.FloatTensor(2, 3, 2, 2, 3).copy(torch.randn(2, 3, 2, 2, 3))
    np.testing.assert_array_equal(image.flip(v, 4).numpy(), np.flip(v.numpy(), 4))
    dst = torch.FloatTensor()
    assert image.hflip(dst, src) is dst
    np.testing.assert_array_equal(dst.numpy(), a[:, :, ::-1])
    # hflip/vflip may work in place (Torch7 swaps the halves)
    b = src.clone()
    image.vflip(b, b)
    np.testing.assert_array_equal(b.numpy(), a[:, ::-1, :])
    with pytest.raises(TorchError):
        image.flip(src, 3)
    with pytest.raises(TorchError):
        image.flip(src, src, 0)


def outer(v):
    v = np.array(v, dtype=np.float64)
    return np.outer(v, v)


@pytest.mark.parametrize("mode, src, want", [
    ("bilinear", [1, 2, 4, 2], [1, 1.5, 2, 3, 4, 3, 2]),
    ("bilinear", [1, 2, 4, 2], [1.25, 3, 2.5]),
    ("bicubic", [1, 2, 4, 2], [1, 1.4375, 2, 3.1875, 4, 3.25, 2]),
    ("bicubic", [1, 2, 4, 2], [1, 3.1875, 2]),
])
def test_scale_known_values(mode, src, want):
    # separable images (outer products) as torch/image's own tests check them
    n = len(want)
    got = image.scale(torch.DoubleTensor(outer(src)), n, n, mode)
    np.testing.assert_allclose(got.numpy(), outer(want), atol=1e-5)


def test_scale_byte_known_values():
    got = image.scale(torch.ByteTensor([[0, 1, 32]]), 4, 1, "bicubic")
    assert got.numpy().tolist() == [[0, 0, 9, 32]]
    got = image.scale(torch.ByteTensor([[1, 2], [2, 3]]), 3, 3)
    assert got.numpy().tolist() == [[1, 2, 2], [2, 3, 3], [2, 3, 3]]
