"""image.polar / image.logpolar against per-pixel loops written here from image.c's formulas
(angle 2*pi*j/H down the rows, radius m*i/W or exp(i*log(m)/W) along the columns, source
(r*cos(a) + H/2, -r*sin(a) + W/2), 0 outside), for nearest and bilinear sampling, 'valid' and
'full' radii, 2D and 3D images, float and byte tensors, and the calling forms."""
import math

import numpy as np
import pytest

import pytorch_lite as lt
from pytorch_lite import image
from pytorch_lite.errors import TorchError

F32 = np.float32
rng = np.random.RandomState(3)


def T(a):
    return lt.from_numpy(np.ascontiguousarray(a))


def reference(src, dh, dw, bilinear, full, log):
    c, sh, sw = src.shape
    mid_y, mid_x = F32(sh / 2.0), F32(sw / 2.0)
    m = F32(math.sqrt(sw * sw + sh * sh) / 2.0) if full else (mid_x if sw < sh else mid_y)
    fw = F32(math.log(m) / dw)
    out = np.zeros((c, dh, dw), F32)
    for j in range(dh):
        a = F32(2 * math.pi * j / dh)
        for i in range(dw):
            r = F32(math.exp(float(F32(i) * fw))) if log else F32(m * F32(i)) / F32(dw)
            y = float(r) * math.cos(a) + mid_y
            x = -float(r) * math.sin(a) + mid_x
            if bilinear:
                y, x = float(F32(y)), float(F32(x))
            j0, i0 = math.floor(y), math.floor(x)
            inside = 0 <= i0 <= sw - 1 and 0 <= j0 <= sh - 1
            if bilinear and inside and i0 + 1 <= sw - 1 and j0 + 1 <= sh - 1:
                wi, wj = x - i0, y - j0
                out[:, j, i] = ((1 - wi) * (1 - wj) * src[:, j0, i0] + wi * (1 - wj) * src[:, j0, i0 + 1]
                                + (1 - wi) * wj * src[:, j0 + 1, i0] + wi * wj * src[:, j0 + 1, i0 + 1])
            elif inside:
                out[:, j, i] = src[:, j0, i0]
    return out


@pytest.mark.parametrize("fn, log", [(image.polar, False), (image.logpolar, True)])
@pytest.mark.parametrize("interp", ["simple", "bilinear"])
@pytest.mark.parametrize("mode", ["valid", "full"])
def test_matches_reference(fn, log, interp, mode):
    src = rng.rand(2, 9, 12).astype(F32)
    dst = lt.FloatTensor(2, 10, 8)
    got = fn(dst, T(src), interp, mode).numpy()
    want = reference(src, 10, 8, interp == "bilinear", mode == "full", log)
    np.testing.assert_allclose(got, want, rtol=2e-6, atol=2e-6)


def test_default_size_and_forms():
    src = rng.rand(3, 6, 10)
    out = image.polar(T(src))                          # documented defaults: simple, valid
    assert tuple(out.size()) == (3, 10, 10)
    np.testing.assert_allclose(out.numpy(), reference(src.astype(F32), 10, 10, False, False, False),
                               atol=1e-6)
    assert np.array_equal(image.polar(T(src), "simple", "valid").numpy(), out.numpy())
    assert np.array_equal(image.polar(T(src), "bilinear").numpy(),
                          image.polar(T(src), "bilinear", "valid").numpy())
    flat = image.logpolar(T(src[0]), "bilinear", "full")
    assert tuple(flat.size()) == (10, 10)
    np.testing.assert_allclose(flat.numpy(), image.logpolar(T(src), "bilinear", "full").numpy()[0])


def test_centre_column_is_the_centre_pixel():
    src = rng.rand(1, 8, 8)
    out = image.polar(T(src), "simple", "valid").numpy()
    assert (out[0, :, 0] == F32(src[0, 4, 4])).all()   # radius 0 at every angle


def test_byte_images_keep_their_values():
    src = rng.randint(0, 256, (3, 7, 7)).astype(np.uint8)
    got = image.polar(T(src), "simple", "full").numpy()
    want = reference(src.astype(F32), 7, 7, False, True, False)
    assert got.dtype == np.uint8 and np.array_equal(got, want.astype(np.uint8))
    b = image.polar(T(src), "bilinear", "valid").numpy()
    w = reference(src.astype(F32), 7, 7, True, False, False)
    assert np.abs(b.astype(int) - np.floor(w + 0.5)).max() <= 1


def test_bad_arguments():
    src = T(rng.rand(3, 5, 5))
    with pytest.raises(TorchError, match="interpolation must be"):
        image.polar(src, "cubic")
    with pytest.raises(TorchError, match="mode must be"):
        image.logpolar(src, "simple", "half")
    with pytest.raises(TorchError, match="depths do not match"):
        image.polar(lt.DoubleTensor(2, 5, 5), src)
    with pytest.raises(TorchError, match="2 or 3 dimensional"):
        image.polar(T(rng.rand(5)))
