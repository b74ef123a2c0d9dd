"""Saving and loading (torch/image doc/saveload.md) on Pillow, with Torch7's conventions: an
image is CxHxW; 'byte' tensors hold 0..255, 'float'/'double' (and the default type, when no
type is given) hold the values times 1/255 (1/65535 for 16-bit PNG), so in [0, 1]; saving
clamps float images to [0, 1] and truncates value*255 to a byte, as libpng/libjpeg were fed.
The format comes from the file's first bytes, else from its extension (png, jpg/jpeg, ppm, pgm).
PPM/PGM are read and written here as Torch7's own ppm.c did (ASCII P2/P3 rescaled to 255)."""
import io
import re

import numpy as np

from ..errors import TorchRuntimeError, TorchTypeError, TorchValueError
from ..tensor import TENSOR_TYPES
from ._util import check_tensor, default_class, from_array, tensor_class

_MAGIC_JPG = b"\xff\xd8\xff"
_MAGIC_PNG = b"\x89PNG"
_EXTS = {"jpg": "jpg", "jpeg": "jpg", "JPG": "jpg", "JPEG": "jpg", "png": "png", "PNG": "png",
         "ppm": "ppm", "PPM": "ppm", "pgm": "pgm", "PGM": "pgm"}


def _pil():
    try:
        from PIL import Image
    except ImportError:
        raise TorchRuntimeError("the image package needs Pillow: pip install Pillow") from None
    return Image


def _kind(head, filename):
    if head.startswith(_MAGIC_JPG):
        return "jpg"
    if head.startswith(_MAGIC_PNG):
        return "png"
    if re.match(rb"^P[25]", head):
        return "pgm"
    if re.match(rb"^P[36]", head):
        return "ppm"
    m = re.search(r"\.([A-Za-z]+)$", filename or "")
    if not m:
        raise TorchValueError("unable to determine image type for file: %s" % filename)
    kind = _EXTS.get(m.group(1))
    if kind is None:
        raise TorchValueError("unknown image type: %s" % m.group(1))
    return kind


# -- decoding to a CxHxW array of raw values and the value that means "full" -------------------

def _decode_pil(data, what):
    """PNG/JPEG bytes -> (uint8/uint16 CxHxW array, max value)."""
    png = data.startswith(_MAGIC_PNG)
    if png:
        from ._png16 import decode16, header
        if header(data)[2] == 16:
            return decode16(data), 65535
    Image = _pil()
    try:
        im = Image.open(io.BytesIO(data))
        im.load()
    except Exception as e:  # Pillow raises many types for a corrupt file
        if png:   # libpng's wording, which Torch7 passed on (scripts match it)
            raise TorchValueError("%s: [read_png] Error during init_io: %s" % (what, e)) from None
        raise TorchValueError("%s: cannot decode image: %s" % (what, e)) from None
    mode = im.mode
    if mode in ("I;16", "I;16B", "I;16L", "I"):
        a = np.asarray(im, dtype=np.int64).astype(np.uint16)[None]
        return a, 65535
    if mode == "1":
        im = im.convert("L")
    elif mode in ("P", "PA"):
        im = im.convert("RGBA" if mode == "PA" else "RGB")
    elif mode not in ("L", "LA", "RGB", "RGBA"):
        im = im.convert("RGB")   # CMYK, YCbCr, ... as RGB
    a = np.asarray(im)
    a = a[None] if a.ndim == 2 else np.moveaxis(a, 2, 0)
    return a, 255


def _ppm_tokens(data):
    """Header fields of a netpbm file: numbers separated by blanks, '#' comments skipped."""
    pos, fields = 2, []
    while len(fields) < 3:
        while pos < len(data) and (data[pos:pos + 1].isspace() or data[pos:pos + 1] == b"#"):
            if data[pos:pos + 1] == b"#":
                while pos < len(data) and data[pos:pos + 1] not in (b"\n", b"\r"):
                    pos += 1
            else:
                pos += 1
        m = re.match(rb"\d+", data[pos:])
        if not m:
            raise TorchValueError("corrupted file")
        fields.append(int(m.group(0)))
        pos += len(m.group(0))
    return fields, pos + 1


def _decode_ppm(data):
    if data[:1] != b"P" or len(data) < 2:
        raise TorchValueError("corrupted file")
    if data[1:2] not in (b"2", b"3", b"5", b"6"):
        raise TorchValueError("unsupported magic number: %s" % data[:2].decode("latin-1"))
    kind = data[1:2]
    (w, h, maxval), pos = _ppm_tokens(data)
    c = 3 if kind in b"36" else 1
    n = w * h * c
    if kind in b"56":
        if maxval > 255:
            # 16-bit samples are big-endian (netpbm); Torch7's ppm.c misread them
            raw = np.frombuffer(data, dtype=">u2", count=n, offset=pos) if len(data) >= pos + 2 * n else None
        else:
            raw = np.frombuffer(data, dtype=np.uint8, count=n, offset=pos) if len(data) >= pos + n else None
        if raw is None:
            raise TorchValueError("corrupted file or read error")
        vals = raw.astype(np.uint16 if maxval > 255 else np.uint8)
        full = 65535 if maxval > 255 else 255
    else:
        try:
            nums = np.array(data[pos - 1:].split()[:n], dtype=np.int64)
        except ValueError:
            raise TorchValueError("corrupted file or read error") from None
        if nums.size < n:
            raise TorchValueError("corrupted file or read error")
        vals = (255 * nums // max(maxval, 1)).astype(np.uint8)   # ASCII values are rescaled to 0..255
        full = 255
    return np.ascontiguousarray(vals.reshape(h, w, c).transpose(2, 0, 1)), full


def _todepth(t, depth):
    """Torch7's todepth: depth 1 turns RGB(A) into its luma (2D!) and keeps grey as 1xHxW;
    depth 3 repeats grey and drops alpha."""
    from .colorspace import rgb2y
    if depth is None:
        return t
    if depth == 1:
        if t.dim() == 2:
            return t
        if t.size(0) in (3, 4):
            return rgb2y(t.narrow(0, 0, 3))[0]
        if t.size(0) == 2:
            return t.narrow(0, 0, 1)
        if t.size(0) != 1:
            raise TorchValueError("image loaded has wrong #channels")
        return t
    if depth == 3:
        if t.dim() == 2:
            return from_array(type(t), np.repeat(t.numpy()[None], 3, 0))
        chan = t.size(0)
        if chan == 3:
            return t
        if chan == 4:
            return t.narrow(0, 0, 3)
        if chan == 1:
            return from_array(type(t), np.repeat(t.numpy(), 3, 0))
        raise TorchValueError("image loaded has wrong #channels")
    raise TorchValueError("depth must be 1 or 3, got %r" % (depth,))


def _to_tensor(raw, full, depth, tensortype, what):
    cls = tensor_class(tensortype, what)
    if tensortype == "byte":
        arr = (raw >> 8).astype(np.uint8) if full == 65535 else raw
        t = from_array(cls, arr)
    else:
        t = from_array(cls, raw.astype(cls.dtype))
        # Torch7: img:mul(1/MAXVAL), the factor in the tensor's own precision
        a = t.numpy()
        a *= a.dtype.type(1.0 / full)
    return _todepth(t, depth)


def _read(filename, what):
    if not isinstance(filename, str):
        raise TorchTypeError("%s: missing file name" % what)
    try:
        with open(filename, "rb") as f:
            return f.read()
    except OSError as e:
        raise TorchValueError("%s: %s" % (filename, e.strerror)) from None


def loadPNG(filename, depth=None, tensortype=None):
    """``load`` for a PNG file (8- or 16-bit; 16-bit values scale by 1/65535, or keep their high
    byte in a 'byte' tensor, as Torch7's libpng loader did)."""
    data = _read(filename, "image.loadPNG")
    if not data.startswith(_MAGIC_PNG):
        raise TorchValueError("[read_png_file] File %s is not recognized as a PNG file" % filename)
    raw, full = _decode_pil(data, "image.loadPNG")
    return _to_tensor(raw, full, depth, tensortype, "image.loadPNG")


def loadJPG(filename, depth=None, tensortype=None):
    """``load`` for a JPEG file."""
    data = _read(filename, "image.loadJPG")
    if not data.startswith(_MAGIC_JPG[:2]):
        raise TorchValueError("Not a JPEG file: starts with 0x%02x 0x%02x"
                              % tuple((data[:2] + b"\0\0")[:2]))
    raw, full = _decode_pil(data, "image.loadJPG")
    return _to_tensor(raw, full, depth, tensortype, "image.loadJPG")


def loadPPM(filename, depth=None, tensortype=None):
    """``load`` for a binary or ASCII PPM (P3, P6) or PGM (P2, P5) file; PBM is not supported."""
    raw, full = _decode_ppm(_read(filename, "image.loadPPM"))
    return _to_tensor(raw, full, depth, tensortype, "image.loadPPM")


def load(filename, depth=None, tensortype=None):
    """Read an image file as a CxHxW tensor (see the module doc); ``depth`` 1 or 3 forces grey
    or colour, ``tensortype`` is 'byte', 'float' or 'double' (default: torch.Tensor's type)."""
    kind = _kind(_read(filename, "image.load")[:4], filename)
    return supported_filetypes[kind]["loader"](filename, depth, tensortype)


def getPNGsize(filename):
    """(channels, height, width) of a PNG file from its header (Torch7 refused palette PNGs)."""
    from ._png16 import header
    data = _read(filename, "image.getPNGsize")
    if not data.startswith(_MAGIC_PNG):
        raise TorchValueError("[get_png_size] File %s is not recognized as a PNG file" % filename)
    w, h, _depth, ctype, _ = header(data)
    if ctype == 3:
        raise TorchValueError("[get_png_size] unsupported type: PALETTE")
    c = {0: 1, 2: 3, 4: 2, 6: 4}.get(ctype)
    if c is None:
        raise TorchValueError("[get_png_size] Unknown color space")
    return c, h, w


def getJPGsize(filename):
    """(channels, height, width) of a JPEG file, from its header."""
    data = _read(filename, "image.getJPGsize")
    if not data.startswith(_MAGIC_JPG[:2]):
        raise TorchValueError("Not a JPEG file: starts with 0x%02x 0x%02x"
                              % tuple((data[:2] + b"\0\0")[:2]))
    try:
        im = _pil().open(io.BytesIO(data))
    except Exception as e:
        raise TorchValueError("image.getJPGsize: cannot read JPEG header: %s" % e) from None
    c = {"L": 1, "CMYK": 4}.get(im.mode, 3)
    w, h = im.size
    return c, h, w


def getPPMsize(filename):
    """(channels, height, width) of a PPM/PGM file, from its header."""
    data = _read(filename, "image.getPPMsize")
    if data[:1] != b"P":
        raise TorchValueError("corrupted file")
    if data[1:2] not in (b"2", b"3", b"5", b"6"):
        raise TorchValueError("unsupported magic number: %s" % data[:2].decode("latin-1"))
    (w, h, _), _ = _ppm_tokens(data)
    return (3 if data[1:2] in (b"3", b"6") else 1), h, w


def getSize(filename):
    """LongTensor {channels, height, width} of an image file, without decoding it all."""
    kind = _kind(_read(filename, "image.getSize")[:4], filename)
    return TENSOR_TYPES["torch.LongTensor"](list(supported_filetypes[kind]["sizer"](filename)))


def _clamped_bytes(tensor, what):
    """clampImage + the C cast: float images -> [0, 1] -> *255 -> truncated to bytes; byte
    images as they are.  Returns an HxWxC (or HxW) uint8 array."""
    check_tensor(tensor, "tensor", what)
    a = tensor.numpy()
    if tensor.dtype != np.uint8:
        dt = default_class().dtype
        a = np.clip(a.astype(dt), 0, 1) * dt.type(255)
        a = a.astype(np.uint8)
    if a.ndim == 3:
        if a.shape[0] == 1:
            return a[0]
        return np.ascontiguousarray(np.moveaxis(a, 0, 2))
    if a.ndim == 2:
        return np.ascontiguousarray(a)
    raise TorchValueError("%s: image must be HxW or CxHxW, got %dD" % (what, a.ndim))


def _encode(tensor, fmt, what, quality=75):
    a = _clamped_bytes(tensor, what)
    if a.ndim == 3 and a.shape[2] not in ((3,) if fmt == "ppm" else (3, 4) if fmt == "png" else (3,)):
        raise TorchValueError("%s: cannot write a %d-channel image as %s" % (what, a.shape[2], fmt.upper()))
    if fmt == "ppm" and a.ndim != 3:
        raise TorchValueError("can only save 3xHxW images as PPM")
    if fmt == "pgm":
        if a.ndim != 2:
            raise TorchValueError("can only save 1xHxW or HxW images as PGM")
        return b"P5\n%d %d\n255\n" % (a.shape[1], a.shape[0]) + a.tobytes()
    if fmt == "ppm":
        return b"P6\n%d %d\n255\n" % (a.shape[1], a.shape[0]) + a.tobytes()
    Image = _pil()
    buf = io.BytesIO()
    im = Image.fromarray(a)
    if fmt == "jpg":
        if not isinstance(quality, (int, float)) or not 0 <= quality <= 100:
            raise TorchValueError("quality should be between 0 and 100")
        im.save(buf, format="JPEG", quality=int(quality))
    else:
        im.save(buf, format="PNG")
    return buf.getvalue()


def _saver(fmt, what):
    def save_as(filename, tensor):
        if not isinstance(filename, str) or tensor is None:
            raise TorchTypeError("%s: missing file name | tensor to save" % what)
        data = _encode(tensor, fmt, what)
        with open(filename, "wb") as f:
            f.write(data)
    save_as.__name__ = what.split(".")[-1]
    save_as.__doc__ = "Write ``tensor`` to ``filename`` as %s (see ``save``)." % fmt.upper()
    return save_as


saveJPG = _saver("jpg", "image.saveJPG")     # quality 75, as Torch7's saveJPG
savePNG = _saver("png", "image.savePNG")
savePPM = _saver("ppm", "image.savePPM")
savePGM = _saver("pgm", "image.savePGM")

# Torch7's table of loaders, savers and sizers by file extension (PGM files load with loadPPM)
_TYPES = {"jpg": {"loader": loadJPG, "saver": saveJPG, "sizer": getJPGsize},
          "png": {"loader": loadPNG, "saver": savePNG, "sizer": getPNGsize},
          "ppm": {"loader": loadPPM, "saver": savePPM, "sizer": getPPMsize},
          "pgm": {"loader": loadPPM, "saver": savePGM, "sizer": getPPMsize}}
supported_filetypes = {ext: _TYPES[kind] for ext, kind in _EXTS.items()}


def is_supported(suffix):
    """Whether ``suffix`` (an extension without the dot, case as given) names a known type."""
    return suffix in supported_filetypes


def save(filename, tensor):
    """Write a CxHxW (C = 1, 3, or 4 for PNG) or HxW tensor; the format is the extension's."""
    if not isinstance(filename, str) or tensor is None:
        raise TorchTypeError("image.save: missing file name | tensor to save")
    m = re.search(r"\.([A-Za-z]+)$", filename)
    if not m or not is_supported(m.group(1)):
        raise TorchValueError("unknown image type: %s" % (m.group(1) if m else filename))
    supported_filetypes[m.group(1)]["saver"](filename, tensor)


def _bytes_of(tensor, what):
    check_tensor(tensor, "tensor", what)
    if tensor.typename != "torch.ByteTensor":
        raise TorchTypeError("%s: input tensor must be a byte tensor" % what)
    return np.ascontiguousarray(tensor.numpy()).tobytes()


def compressJPG(tensor, quality=75):
    """The JPEG encoding of an image (quality 0..100, default 75) as a 1D ByteTensor."""
    data = _encode(tensor, "jpg", "image.compressJPG", 75 if quality is None else quality)
    return TENSOR_TYPES["torch.ByteTensor"]._from_array(np.frombuffer(data, np.uint8).copy())


def compressPNG(tensor):
    data = _encode(tensor, "png", "image.compressPNG")
    return TENSOR_TYPES["torch.ByteTensor"]._from_array(np.frombuffer(data, np.uint8).copy())


def decompressJPG(tensor, depth=None, tensortype=None):
    """Decode JPEG bytes held in a ByteTensor (as compressJPG makes) like ``load``."""
    raw, full = _decode_pil(_bytes_of(tensor, "image.decompressJPG"), "image.decompressJPG")
    return _to_tensor(raw, full, depth, tensortype, "image.decompressJPG")


def decompressPNG(tensor, depth=None, tensortype=None):
    raw, full = _decode_pil(_bytes_of(tensor, "image.decompressPNG"), "image.decompressPNG")
    return _to_tensor(raw, full, depth, tensortype, "image.decompressPNG")


def decompress(tensor, depth=None, tensortype=None):
    """Decode a ByteTensor holding a JPEG or a PNG (told apart by their first bytes)."""
    data = _bytes_of(tensor, "image.decompress")
    if not (data.startswith(_MAGIC_JPG) or data.startswith(_MAGIC_PNG)):
        raise TorchValueError("Input must be either jpg or png format")
    raw, full = _decode_pil(data, "image.decompress")
    return _to_tensor(raw, full, depth, tensortype, "image.decompress")
