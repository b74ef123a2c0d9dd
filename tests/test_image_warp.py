"""image.warp / image.affinetransform: bilinear warps against PyTorch's grid_sample (clamped
positions = border padding, align_corners=True), the nearest, bicubic and Lanczos kernels
against scalar loops written here from image.c's formulas, pad mode, ByteTensor rounding, the
dst and 2D forms, and affinetransform against a warp with the field built by hand."""
import math

import numpy as np
import pytest

import pytorch_lite as lt
from pytorch_lite import image
from pytorch_lite.errors import TorchError

torch = pytest.importorskip("torch")
rng = np.random.RandomState(7)
F32 = np.float32


def T(a):
    return lt.from_numpy(np.ascontiguousarray(a))


def field(h, w, lo=-3.0, hi=3.0, dtype=np.float64):
    return rng.uniform(lo, hi, (2, h, w)).astype(dtype)


def test_bilinear_matches_grid_sample():
    src = rng.rand(3, 9, 11)
    f = field(7, 8)
    got = image.warp(T(src), T(f)).numpy()
    ys, xs = np.mgrid[0:7, 0:8]
    iy, ix = ys + f[0], xs + f[1]
    grid = np.stack([2 * ix / (11 - 1) - 1, 2 * iy / (9 - 1) - 1], -1)[None]
    want = torch.nn.functional.grid_sample(torch.from_numpy(src[None]), torch.from_numpy(grid),
                                           mode="bilinear", padding_mode="border", align_corners=True)
    # image.c reads the field into C floats, so positions carry float32 rounding
    np.testing.assert_allclose(got, want[0].numpy(), atol=2e-6)
    assert got.shape == (3, 7, 8)


def test_no_offset_reads_the_field_as_positions():
    src = rng.rand(2, 6, 6)
    f = np.zeros((2, 3, 4))
    f[0], f[1] = 5, 1                                    # every pixel samples (5, 1)
    got = image.warp(T(src), T(f), "simple", False).numpy()
    assert np.array_equal(got, np.broadcast_to(src[:, 5:6, 1:2], (2, 3, 4)))


def _ref_pixel(s, iy, ix, mode, pad_mode, pad):
    """image.c's Main_warp for one output pixel, as plain Python on a float32 image."""
    c, sh, sw = s.shape
    iy, ix = F32(iy), F32(ix)
    if pad_mode and (iy < 0 or iy > sh - 1 or ix < 0 or ix > sw - 1):
        return np.full(c, pad, F32)
    ix = F32(min(max(ix, 0), sw - 1))
    iy = F32(min(max(iy, 0), sh - 1))
    if mode == "simple":
        return s[:, int(math.floor(float(iy) + 0.5)), int(math.floor(float(ix) + 0.5))]
    xp, yp = int(math.floor(ix)), int(math.floor(iy))
    if mode == "bicubic":
        def cubic(p0, p1, p2, p3, x):
            a1 = p2 - p0
            a2 = F32(2) * p0 - F32(5) * p1 + F32(4) * p2 - p3
            a3 = F32(3) * (p1 - p2) + p3 - p0
            return F32(float(p1) + 0.5 * float(x) * float(a1 + x * (a2 + x * a3)))
        dx, dy = F32(ix - F32(xp)), F32(iy - F32(yp))
        out = np.empty(c, F32)
        for k in range(c):
            arr = []
            for i in range(4):
                v = yp + i - 1
                p = [F32(pad) if (v < 0 or v >= sh or u < 0 or u >= sw) else s[k, v, u]
                     for u in range(xp - 1, xp + 3)]
                arr.append(cubic(*p, dx))
            out[k] = cubic(*arr, dy)
        return out
    # lanczos, radius 3
    def lk(d):
        d = F32(abs(d))
        if d < F32(1e-6):
            return F32(1)
        if d > 3:
            return F32(0)
        return F32(3.0 * math.sin(float(F32(math.pi) * d)) * math.sin(float(F32(math.pi) * d / F32(3)))
                   / float(F32(math.pi * math.pi) * d * d))
    lu = [lk(ix - F32(u)) for u in range(xp - 2, xp + 4)]
    lv = [lk(iy - F32(v)) for v in range(yp - 2, yp + 4)]
    total = F32(0)
    for a in lu:
        for b in lv:
            total = F32(total + a * b)
    out = np.empty(c, F32)
    for k in range(c):
        r = F32(0)
        for a, u in zip(lu, range(xp - 2, xp + 4)):
            for b, v in zip(lv, range(yp - 2, yp + 4)):
                r = F32(r + s[k, min(max(v, 0), sh - 1), min(max(u, 0), sw - 1)] * F32(a * b))
        out[k] = r / total
    return out


@pytest.mark.parametrize("mode", ["simple", "bicubic", "lanczos"])
@pytest.mark.parametrize("clamp", ["clamp", "pad"])
def test_kernels_match_scalar_reference(mode, clamp):
    src = rng.rand(2, 7, 9).astype(F32)
    f = field(5, 6, -4, 4, F32)
    args = (T(src), T(f), mode, True, clamp) + ((0.25,) if clamp == "pad" else ())
    got = image.warp(*args).numpy()
    pad = 0.25 if clamp == "pad" else 0
    for y in range(5):
        for x in range(6):
            want = _ref_pixel(src, F32(y) + f[0, y, x], F32(x) + f[1, y, x], mode, clamp == "pad", pad)
            np.testing.assert_allclose(got[:, y, x], want, rtol=1e-6, atol=1e-6)


def test_byte_images_round_and_saturate():
    src = rng.randint(0, 256, (1, 6, 6)).astype(np.uint8)
    f = field(4, 4, -1, 1, F32)
    got = image.warp(T(src), T(f), "bilinear").numpy()
    for y in range(4):
        for x in range(4):
            iy = min(max(F32(y) + f[0, y, x], 0), 5)
            ix = min(max(F32(x) + f[1, y, x], 0), 5)
            y0, x0 = int(math.floor(iy)), int(math.floor(ix))
            y1, x1 = min(y0 + 1, 5), min(x0 + 1, 5)
            wy, wx = F32(iy - y0), F32(ix - x0)
            v = (src[0, y0, x0] * (1 - wx) * (1 - wy) + src[0, y0, x1] * wx * (1 - wy)
                 + src[0, y1, x0] * (1 - wx) * wy + src[0, y1, x1] * wx * wy)
            assert abs(int(got[0, y, x]) - math.floor(v + 0.5)) <= (1 if abs(v % 1 - 0.5) < 1e-3 else 0)
    big = image.warp(T(np.full((1, 4, 4), 250, np.uint8)), T(np.zeros((2, 4, 4), F32)), "lanczos").numpy()
    assert (big == 250).all()


def test_dst_and_2d_forms():
    src = rng.rand(5, 6)
    f = field(5, 6, -1, 1)
    out = image.warp(T(src), T(f), "bicubic")
    assert tuple(out.size()) == (5, 6)
    dst = lt.DoubleTensor()
    r = image.warp(dst, T(src[None]), T(f), "bicubic")
    assert r is dst and np.array_equal(dst.numpy()[0], out.numpy())
    ident = image.warp(T(src), T(np.zeros((2, 5, 6))), "lanczos").numpy()
    np.testing.assert_allclose(ident, src, atol=1e-6)


def test_bad_arguments():
    src, f = T(rng.rand(3, 4, 4)), T(np.zeros((2, 4, 4)))
    with pytest.raises(TorchError, match="mode is not"):
        image.warp(src, f, "nearest")
    with pytest.raises(TorchError, match="clamp_mode"):
        image.warp(src, f, "bilinear", True, "wrap")
    with pytest.raises(TorchError, match="pad_value can only"):
        image.warp(src, f, "bilinear", True, "clamp", 1)
    with pytest.raises(TorchError, match="2xHxW"):
        image.warp(src, T(np.zeros((3, 4, 4))))


def _affine_field(h, w, m, t):
    """Torch7's Lua recipe, in double: centred coordinates minus their image under m."""
    gy = np.outer(np.linspace(-1, 1, h), np.ones(w)) * ((h - 1) / 2) * -1
    gx = np.outer(np.ones(h), np.linspace(-1, 1, w)) * ((w - 1) / 2) * -1
    g = np.stack([gy, gx])
    fld = g - (m @ g.reshape(2, -1)).reshape(2, h, w)
    return fld - np.asarray(t, float)[:, None, None]


def test_affinetransform_is_a_warp_by_its_field():
    src = rng.rand(3, 8, 10)
    a = 0.4
    m = np.array([[math.cos(a), -math.sin(a)], [math.sin(a), math.cos(a)]])
    got = image.affinetransform(T(src), T(m), "bilinear", [0.5, -1]).numpy()
    want = image.warp(T(src), T(_affine_field(8, 10, m, [0.5, -1])), "bilinear").numpy()
    np.testing.assert_allclose(got, want, atol=1e-6)
    ident = image.affinetransform(T(src), T(np.eye(2))).numpy()
    np.testing.assert_allclose(ident, src, atol=1e-6)
    # a pure translation moves the picture by whole pixels
    moved = image.affinetransform(T(src), T(np.eye(2)), "simple", lt.DoubleTensor([1, 2]), "pad", -1).numpy()
    assert np.array_equal(moved[:, 1:, 2:], src[:, :-1, :-2]) and (moved[:, 0] == -1).all()
