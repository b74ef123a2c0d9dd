"""A decoder for 16-bit PNGs: Pillow keeps 16 bits only for greyscale ('I;16') and reduces 16-bit
colour (RGB, RGBA, grey+alpha) to 8 bits, while Torch7's loader (libpng) kept all 16 bits.  The
format is the PNG specification's: chunks, zlib data, the five row filters, Adam7 interlacing.
"""
import struct
import zlib

import numpy as np

from ..errors import TorchValueError

_SIG = b"\x89PNG\r\n\x1a\n"
_CHANNELS = {0: 1, 2: 3, 4: 2, 6: 4}
# Adam7 passes: (x0, y0, dx, dy)
_ADAM7 = ((0, 0, 8, 8), (4, 0, 8, 8), (0, 4, 4, 8), (2, 0, 4, 4), (0, 2, 2, 4), (1, 0, 2, 2), (0, 1, 1, 2))


def _error(msg):
    # libpng's errors reached Torch7 users as "[read_png] Error during init_io: ..."
    return TorchValueError("[read_png] Error during init_io: %s" % msg)


def header(data):
    """(width, height, bit depth, colour type, interlace) from the IHDR chunk."""
    if not data.startswith(_SIG) or len(data) < 33 or data[12:16] != b"IHDR":
        raise _error("not a PNG file")
    w, h, depth, ctype, _comp, _filt, interlace = struct.unpack(">IIBBBBB", data[16:29])
    if zlib.crc32(data[12:29]) != struct.unpack(">I", data[29:33])[0]:
        raise _error("IHDR: CRC error")
    return w, h, depth, ctype, interlace


def _idat(data):
    pos, parts = 8, []
    while pos + 8 <= len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + n]
        if len(body) != n or len(data) < pos + 12 + n:
            raise _error("truncated %s chunk" % kind.decode("latin-1"))
        if zlib.crc32(data[pos + 4:pos + 8 + n]) != struct.unpack(">I", data[pos + 8 + n:pos + 12 + n])[0]:
            raise _error("%s: CRC error" % kind.decode("latin-1"))
        if kind == b"IDAT":
            parts.append(body)
        elif kind == b"IEND":
            break
        pos += 12 + n
    try:
        return zlib.decompress(b"".join(parts))
    except zlib.error as e:
        raise _error("IDAT: %s" % e) from None


def _avg_paeth(ft, line, prev, bpp):
    """Filters 3 (average) and 4 (Paeth) depend on the byte just decoded: a byte loop."""
    cur = bytearray(line)
    p = bytes(prev)
    for i in range(len(cur)):
        a = cur[i - bpp] if i >= bpp else 0
        b = p[i]
        if ft == 3:
            cur[i] = (cur[i] + ((a + b) >> 1)) & 255
            continue
        c = p[i - bpp] if i >= bpp else 0
        pa, pb, pc = abs(b - c), abs(a - c), abs(a + b - 2 * c)
        cur[i] = (cur[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
    return np.frombuffer(bytes(cur), np.uint8)


def _unfilter(raw, pos, w, h, bpp):
    """The h rows of w pixels starting at raw[pos] with their filters undone; (rows, next pos)."""
    stride = w * bpp
    out = np.zeros((h, stride), np.uint8)
    prev = np.zeros(stride, np.uint8)
    for y in range(h):
        if pos + 1 + stride > len(raw):
            raise _error("image data too short")
        ft = raw[pos]
        line = np.frombuffer(raw, np.uint8, stride, pos + 1)
        pos += 1 + stride
        if ft == 0:
            cur = line
        elif ft == 1:
            cur = (line.reshape(w, bpp).astype(np.int64).cumsum(0) & 255).astype(np.uint8).reshape(-1)
        elif ft == 2:
            cur = line + prev
        elif ft in (3, 4):
            cur = _avg_paeth(ft, line, prev, bpp)
        else:
            raise _error("bad filter type %d" % ft)
        out[y] = cur
        prev = out[y]
    return out, pos


def decode16(data):
    """A 16-bit PNG as a CxHxW uint16 array (C = 1, 2, 3 or 4)."""
    w, h, depth, ctype, interlace = header(data)
    if depth != 16 or ctype not in _CHANNELS:
        raise _error("not a 16-bit greyscale or colour PNG")
    c = _CHANNELS[ctype]
    bpp = 2 * c
    raw = _idat(data)
    if interlace == 0:
        rows, _ = _unfilter(raw, 0, w, h, bpp)
        img = rows.reshape(h, w, bpp)
    else:
        img = np.zeros((h, w, bpp), np.uint8)
        pos = 0
        for x0, y0, dx, dy in _ADAM7:
            pw, ph = (w - x0 + dx - 1) // dx, (h - y0 + dy - 1) // dy
            if pw <= 0 or ph <= 0:
                continue
            rows, pos = _unfilter(raw, pos, pw, ph, bpp)
            img[y0::dy, x0::dx] = rows.reshape(ph, pw, bpp)
    samples = img.reshape(h, w, c, 2).astype(np.uint16)
    return np.ascontiguousarray(((samples[..., 0] << 8) | samples[..., 1]).transpose(2, 0, 1))
