"""torch/image for pytorch_lite: load/save images and transform them as Torch7's image package.

    from pytorch_lite import image
    img = image.load('photo.jpg', 3, 'float')     # 3xHxW FloatTensor in [0, 1]
    small = image.scale(img, 64, 48)              # Torch7's own bilinear interpolation
    patch = image.crop(small, 'c', 32, 32)        # or crop(src, x1, y1, x2, y2), 0-based
    image.save('patch.png', image.hflip(patch))

Torch7's doc (torch/image doc/*.md) is the reference: same names, calling forms (an optional
destination tensor first) and numbers (the interpolation, rotation and colour formulas are
image.c's, float32 steps included).  Pixel coordinates were already 0-based in Torch7; the one
index here, ``flip``'s dimension, is 0-based in Python and 1-based in Lua (``require 'image'``).
Decoding and encoding PNG/JPEG uses Pillow.
"""
from .colorspace import hsl2rgb, hsv2rgb, rgb2hsl, rgb2hsv, rgb2y, rgb2yuv, yuv2rgb
from .display import display, drawRect, minmax, toDisplayTensor
from .kernels import colormap, convolve, gaussian, gaussian1D, jetColormap, laplacian
from .saveload import (compressJPG, compressPNG, decompress, decompressJPG, decompressPNG, getSize,
                       load, save)
from .transform import crop, flip, hflip, rotate, scale, translate, vflip

__all__ = ["load", "save", "getSize", "compressJPG", "compressPNG", "decompress", "decompressJPG",
           "decompressPNG", "crop", "translate", "scale", "rotate", "hflip", "vflip", "flip",
           "minmax", "toDisplayTensor", "display", "drawRect", "rgb2yuv", "yuv2rgb", "rgb2y",
           "rgb2hsl", "hsl2rgb", "rgb2hsv", "hsv2rgb", "gaussian", "gaussian1D", "laplacian",
           "colormap", "jetColormap", "convolve"]
