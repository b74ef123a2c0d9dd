"""The per-format entry points of torch/image (loadPNG/JPG/PPM, savePNG/JPG/PPM/PGM,
getPNG/JPG/PPMsize, supported_filetypes, is_supported), 16-bit PNGs written here byte by byte
(every row filter, Adam7 interlacing) against the samples they encode, Torch7's error wording
for corrupt or unsupported files, and lena/fabio found through PYTORCH_LITE_IMAGE_ASSETS."""
import struct
import zlib

import numpy as np
import pytest
from PIL import Image

import pytorch_lite as lt
from pytorch_lite import image
from pytorch_lite.errors import TorchError

rng = np.random.RandomState(2)
ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))


def _chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))


def _filter_row(ft, row, prior, bpp):
    out = bytearray(len(row))
    for i, v in enumerate(row):
        a = row[i - bpp] if i >= bpp else 0
        b = prior[i]
        c = prior[i - bpp] if i >= bpp else 0
        if ft == 0:
            pred = 0
        elif ft == 1:
            pred = a
        elif ft == 2:
            pred = b
        elif ft == 3:
            pred = (a + b) // 2
        else:
            p = a + b - c
            pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
            pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
        out[i] = (v - pred) % 256
    return bytes([ft]) + bytes(out)


def _rows(samples, filters):
    h, w, c = samples.shape
    data, prior = b"", bytes(w * c * 2)
    for y in range(h):
        row = samples[y].astype(">u2").tobytes()
        data += _filter_row(filters[y % len(filters)], row, prior, 2 * c)
        prior = row
    return data


def png16(samples, ctype, filters=(0, 1, 2, 3, 4), interlace=False):
    """A 16-bit PNG of HxWxC samples."""
    h, w, _ = samples.shape
    if interlace:
        data = b"".join(_rows(samples[y0::dy, x0::dx], filters) for x0, y0, dx, dy in ADAM7
                        if samples[y0::dy, x0::dx].size)
    else:
        data = _rows(samples, filters)
    ihdr = struct.pack(">IIBBBBB", w, h, 16, ctype, 0, 0, 1 if interlace else 0)
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IDAT", zlib.compress(data))
            + _chunk(b"IEND", b""))


@pytest.mark.parametrize("ctype, c", [(2, 3), (6, 4), (4, 2), (0, 1)])
@pytest.mark.parametrize("interlace", [False, True])
def test_16bit_png_keeps_16_bits(tmp_path, ctype, c, interlace):
    s = rng.randint(0, 65536, (11, 13, c)).astype(np.uint16)
    path = str(tmp_path / "a.png")
    with open(path, "wb") as f:
        f.write(png16(s, ctype, interlace=interlace))
    chw = s.transpose(2, 0, 1)
    d = image.loadPNG(path, None, "double")
    np.testing.assert_array_equal(d.numpy(), chw * (1 / 65535))
    b = image.load(path, None, "byte")
    np.testing.assert_array_equal(b.numpy(), (chw >> 8).astype(np.uint8))
    assert image.getPNGsize(path) == (c, 11, 13)


def test_png_errors(tmp_path):
    good = png16(np.zeros((2, 2, 3), np.uint16), 2)
    bad = bytearray(good)
    bad[20] ^= 0xFF                                   # IHDR's width: its CRC no longer matches
    path = str(tmp_path / "bad.png")
    with open(path, "wb") as f:
        f.write(bytes(bad))
    with pytest.raises(TorchError, match="Error during init_io"):
        image.load(path)
    broken8 = bytearray(image.compressPNG(lt.ByteTensor(np.zeros((3, 4, 4), np.uint8))).numpy().tobytes())
    broken8[17] ^= 0x40
    with open(path, "wb") as f:
        f.write(bytes(broken8))
    with pytest.raises(TorchError, match="Error during init_io"):
        image.loadPNG(path)
    jpg = str(tmp_path / "x.jpg")
    Image.fromarray(np.zeros((4, 4, 3), np.uint8)).save(jpg)
    with pytest.raises(TorchError, match="not recognized as a PNG file"):
        image.loadPNG(jpg)
    with pytest.raises(TorchError, match="Not a JPEG file"):
        image.loadJPG(path)


def test_ppm_entry_points(tmp_path):
    arr = rng.randint(0, 256, (3, 4, 5)).astype(np.uint8)
    ppm, pgm = str(tmp_path / "a.ppm"), str(tmp_path / "a.pgm")
    image.savePPM(ppm, lt.ByteTensor(arr))
    image.savePGM(pgm, lt.ByteTensor(arr[:1]))
    with open(ppm, "rb") as f:
        assert f.read() == b"P6\n5 4\n255\n" + arr.transpose(1, 2, 0).tobytes()
    np.testing.assert_array_equal(image.loadPPM(ppm, None, "byte").numpy(), arr)
    np.testing.assert_array_equal(image.loadPPM(pgm, None, "byte").numpy(), arr[:1])
    assert image.getPPMsize(ppm) == (3, 4, 5) and image.getPPMsize(pgm) == (1, 4, 5)
    assert image.getSize(pgm).numpy().tolist() == [1, 4, 5]
    pbm = str(tmp_path / "a.pbm")
    with open(pbm, "wb") as f:
        f.write(b"P4\n1 1\n\x80")
    with pytest.raises(TorchError, match="unsupported magic number: P4"):
        image.loadPPM(pbm)
    with pytest.raises(TorchError, match="can only save 3xHxW"):
        image.savePPM(ppm, lt.ByteTensor(arr[:1]))
    with pytest.raises(TorchError, match="can only save 1xHxW or HxW"):
        image.savePGM(pgm, lt.ByteTensor(arr))


def test_savers_and_sizers(tmp_path):
    yy, xx = np.mgrid[0:6, 0:7]   # a tiny picture: JPEG keeps it only roughly
    x = lt.DoubleTensor(np.stack([yy / 5, xx / 6, (yy + xx) / 11]) * 1.2 - 0.1)   # smooth, beyond [0, 1]
    png, jpg = str(tmp_path / "o.png"), str(tmp_path / "o.jpg")
    image.savePNG(png, x)
    image.saveJPG(jpg, x)
    want = (np.clip(x.numpy(), 0, 1) * 255).astype(np.uint8)
    np.testing.assert_array_equal(image.loadPNG(png, 3, "byte").numpy(), want)
    j = image.loadJPG(jpg, 3, "byte")
    assert tuple(j.size()) == (3, 6, 7) and np.abs(j.numpy().astype(int) - want).mean() < 12
    # saveJPG is quality 75, as compressJPG's default
    assert open(jpg, "rb").read() == bytes(image.compressJPG(x).numpy().tobytes())
    assert image.getJPGsize(jpg) == (3, 6, 7)
    grey = str(tmp_path / "g.jpg")
    Image.fromarray(np.zeros((5, 3), np.uint8)).save(grey)
    assert image.getJPGsize(grey) == (1, 5, 3)


def test_supported_filetypes():
    assert image.is_supported("png") and image.is_supported("JPEG") and not image.is_supported("bmp")
    assert not image.is_supported("Png")                      # Torch7's table is case-exact
    assert image.supported_filetypes["pgm"]["loader"] is image.loadPPM
    assert image.supported_filetypes["pgm"]["saver"] is image.savePGM
    assert image.supported_filetypes["jpeg"]["sizer"] is image.getJPGsize


def test_lena_and_fabio_from_the_assets_folder(tmp_path, monkeypatch):
    monkeypatch.delenv("PYTORCH_LITE_IMAGE_ASSETS", raising=False)
    monkeypatch.setattr("sys.argv", [""])
    with pytest.raises(TorchError, match="PYTORCH_LITE_IMAGE_ASSETS"):
        image.lena()
    rgb = rng.randint(0, 256, (6, 5, 3)).astype(np.uint8)
    Image.fromarray(rgb).save(str(tmp_path / "grace_hopper_512.png"))
    Image.fromarray(rgb).save(str(tmp_path / "fabio.png"))
    monkeypatch.setenv("PYTORCH_LITE_IMAGE_ASSETS", str(tmp_path))
    lena = image.lena()
    assert lena.typename == "torch.DoubleTensor" and tuple(lena.size()) == (3, 6, 5)
    np.testing.assert_array_equal(lena.numpy(), rgb.transpose(2, 0, 1) * (1 / 255))
    fabio = image.fabio()                                 # depth 1: the luma, as a 2D image
    assert tuple(fabio.size()) == (6, 5)
    np.testing.assert_allclose(fabio.numpy(), (rgb / 255.0) @ [0.299, 0.587, 0.114], atol=1e-6)
    # the folder next to the running script is searched too
    monkeypatch.delenv("PYTORCH_LITE_IMAGE_ASSETS")
    (tmp_path / "assets").mkdir()
    Image.fromarray(rgb[:2]).save(str(tmp_path / "assets" / "grace_hopper_512.png"))
    assert tuple(image.lena(script_dir=str(tmp_path)).size()) == (3, 2, 5)


def test_window_is_a_clear_error():
    with pytest.raises(TorchError, match="no GUI"):
        image.window()
