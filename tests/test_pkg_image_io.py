"""image.load/save/getSize/compressJPG/decompressJPG/display: round trips through Pillow, PPM
and PGM files written byte by byte here, and Torch7's value conventions (byte 0..255, float
value * (1/255) in the tensor's precision, saving clamps then truncates value*255)."""
import io
import os

import numpy as np
import pytest
from PIL import Image

import pytorch_lite as torch
from pytorch_lite import image
from pytorch_lite.errors import TorchError


def pixels(h=5, w=7, c=3, seed=0):
    return np.random.RandomState(seed).randint(0, 256, size=(h, w, c) if c > 1 else (h, w)).astype(np.uint8)


@pytest.mark.parametrize("mode, c", [("RGB", 3), ("L", 1), ("RGBA", 4), ("LA", 2)])
def test_png_load_types_and_ranges(tmp_path, mode, c):
    arr = pixels(c=c)
    path = str(tmp_path / "a.png")
    Image.fromarray(arr, mode).save(path)
    chw = arr[None] if c == 1 else arr.transpose(2, 0, 1)
    b = image.load(path, None, "byte")
    assert b.typename == "torch.ByteTensor" and tuple(b.size()) == (c, 5, 7)
    np.testing.assert_array_equal(b.numpy(), chw)
    f = image.load(path, None, "float")
    assert f.typename == "torch.FloatTensor"
    np.testing.assert_array_equal(f.numpy(), chw.astype(np.float32) * np.float32(1 / 255))
    d = image.load(path)                                   # the default type, in [0, 1]
    assert d.typename == "torch.DoubleTensor"
    np.testing.assert_array_equal(d.numpy(), chw * (1 / 255))


def test_load_depth_conversions(tmp_path):
    arr = pixels()
    path = str(tmp_path / "c.png")
    Image.fromarray(arr).save(path)
    grey = image.load(path, 1, "byte")
    assert tuple(grey.size()) == (5, 7)                    # Torch7 returns a 2D luma here
    r, g, b = (arr[..., i].astype(np.float32) for i in range(3))
    want = np.floor((0.299 * r.astype(np.float64) + 0.587 * g + 0.114 * b).astype(np.float32) + np.float32(.5))
    np.testing.assert_array_equal(grey.numpy(), want.astype(np.uint8))
    gpath = str(tmp_path / "g.png")
    Image.fromarray(arr[..., 0]).save(gpath)
    assert tuple(image.load(gpath, 1).size()) == (1, 5, 7)
    three = image.load(gpath, 3, "byte").numpy()
    assert three.shape == (3, 5, 7) and (three == arr[..., 0]).all()
    with pytest.raises(TorchError):
        image.load(path, 2)


def test_save_round_trips_and_clamps(tmp_path):
    arr = pixels()
    t = torch.ByteTensor(arr.transpose(2, 0, 1).copy())
    for ext in ("png", "ppm"):
        path = str(tmp_path / ("r." + ext))
        image.save(path, t)
        np.testing.assert_array_equal(image.load(path, 3, "byte").numpy(), t.numpy())
    # floats: clamp to [0, 1], *255, truncate (Torch7 handed the doubles to libpng as bytes)
    f = torch.DoubleTensor([[[-0.5, 0.0, 0.5, 0.999, 1.0, 7.0]]])
    path = str(tmp_path / "f.png")
    image.save(path, f)
    assert np.asarray(Image.open(path)).tolist() == [[0, 0, 127, 254, 255, 255]]
    image.save(str(tmp_path / "g.pgm"), f)
    with open(str(tmp_path / "g.pgm"), "rb") as fh:
        assert fh.read() == b"P5\n6 1\n255\n" + bytes([0, 0, 127, 254, 255, 255])
    with pytest.raises(TorchError):
        image.save(str(tmp_path / "x.ppm"), f)             # PPM needs 3 channels
    with pytest.raises(TorchError):
        image.save(str(tmp_path / "x.gif"), f)


def test_ppm_and_pgm_reading(tmp_path):
    p6 = tmp_path / "a.ppm"
    p6.write_bytes(b"P6\n# comment\n2 1\n255\n" + bytes([10, 20, 30, 40, 50, 60]))
    assert image.load(str(p6), None, "byte").numpy().tolist() == [[[10, 40]], [[20, 50]], [[30, 60]]]
    p2 = tmp_path / "b.pgm"
    p2.write_bytes(b"P2\n3 1\n15\n0 7 15\n")
    # ASCII samples are rescaled to 0..255 with integer division (ppm.c: 255*c/D)
    assert image.load(str(p2), None, "byte").numpy().tolist() == [[[0, 119, 255]]]
    p3 = tmp_path / "c.ppm"
    p3.write_bytes(b"P3\n1 1\n255\n1 2 3\n")
    np.testing.assert_allclose(image.load(str(p3)).numpy().ravel(), np.array([1, 2, 3]) / 255)
    assert image.getSize(str(p3)).tolist() == [3, 1, 1]
    bad = tmp_path / "d.ppm"
    bad.write_bytes(b"P6\n4 4\n255\n" + bytes(5))
    with pytest.raises(TorchError):
        image.load(str(bad))


def test_jpeg_matches_pillow_and_compress_round_trip(tmp_path):
    arr = pixels(16, 16)
    path = str(tmp_path / "p.jpg")
    Image.fromarray(arr).save(path, quality=90)
    want = np.asarray(Image.open(path)).transpose(2, 0, 1)
    np.testing.assert_array_equal(image.load(path, 3, "byte").numpy(), want)
    assert image.getSize(path).tolist() == [3, 16, 16]
    # the format comes from the bytes: a JPEG named .png still loads
    os.rename(path, str(tmp_path / "p.png"))
    assert image.load(str(tmp_path / "p.png"), 3, "byte").size(1) == 16
    smooth = torch.DoubleTensor(np.linspace(0, 1, 3 * 32 * 32).reshape(3, 32, 32))
    data = image.compressJPG(smooth, 95)
    assert data.typename == "torch.ByteTensor" and data.dim() == 1
    assert bytes(data.numpy()[:3]) == b"\xff\xd8\xff"
    back = image.decompressJPG(data)
    assert back.typename == "torch.DoubleTensor" and tuple(back.size()) == (3, 32, 32)
    assert np.abs(back.numpy() - smooth.numpy()).mean() < 0.01
    np.testing.assert_array_equal(image.decompressJPG(data, 3, "byte").numpy(),
                                  np.asarray(Image.open(io.BytesIO(bytes(data.numpy())))).transpose(2, 0, 1))
    assert image.compressJPG(smooth, 20).nElement() < data.nElement()
    with pytest.raises(TorchError):
        image.compressJPG(smooth, 101)
    with pytest.raises(TorchError):
        image.decompressJPG(torch.FloatTensor(10))
    png = image.compressPNG(smooth)
    np.testing.assert_array_equal(image.decompress(png, 3, "byte").numpy(),
                                  (np.clip(smooth.numpy(), 0, 1) * 255).astype(np.uint8))


def test_load_errors(tmp_path):
    with pytest.raises(TorchError):
        image.load(str(tmp_path / "missing.png"))
    junk = tmp_path / "junk.png"
    junk.write_bytes(b"\x89PNG not really")
    with pytest.raises(TorchError):
        image.load(str(junk))
    with pytest.raises(TorchError):
        image.load(str(junk), 3, "half")


def test_display_writes_a_png(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("PYTORCH_LITE_DISPLAY_DIR", str(tmp_path))
    imgs = [torch.DoubleTensor(3, 4, 5).fill(v) for v in (0.0, 0.5, 1.0)]
    path = image.display(image=imgs, zoom=2, padding=1, legend="my faces")
    assert path.startswith(str(tmp_path)) and path in capsys.readouterr().out
    im = np.asarray(Image.open(path))
    assert im.shape == (2 * 5, 2 * 18, 3)                 # a 1x3 grid of 5x6 cells, zoomed x2
    assert im[2, 2].tolist() == [0, 0, 0] and im[2, 2 + 12].tolist() == [127, 127, 127]
    again = image.display(imgs[1], win=path)
    assert again == path


def test_16bit_and_palette_png(tmp_path):
    g16 = np.array([[0, 257, 65535, 4660]], dtype=np.uint16)
    path = str(tmp_path / "g16.png")
    Image.fromarray(g16).save(path)
    # Torch7: float types divide by 65535, a ByteTensor keeps the high byte
    np.testing.assert_allclose(image.load(path).numpy()[0], g16 * (1 / 65535))
    assert image.load(path, None, "byte").numpy()[0].tolist() == [[0, 1, 255, 0x12]]
    pal = Image.fromarray(pixels(4, 4)).convert("P", palette=Image.ADAPTIVE, colors=4)
    ppath = str(tmp_path / "p.png")
    pal.save(ppath)
    want = np.asarray(pal.convert("RGB")).transpose(2, 0, 1)
    np.testing.assert_array_equal(image.load(ppath, None, "byte").numpy(), want)
