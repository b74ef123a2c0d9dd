"""torch/image for pytorch_lite: load/save images and transform them as Torch7's image package.

    from pytorch_lite import image
    img = image.load('photo.jpg', 3, 'float')     # 3xHxW FloatTensor in [0, 1]
    small = image.scale(img, 64, 48)              # Torch7's own bilinear interpolation
    patch = image.crop(small, 'c', 32, 32)        # or crop(src, x1, y1, x2, y2), 0-based
    image.save('patch.png', image.hflip(patch))

Torch7's doc (torch/image doc/*.md) is the reference: same names, calling forms (an optional
destination tensor first) and numbers (the interpolation, rotation, warp, polar and colour
formulas are image.c's, float32 steps included).  Pixel coordinates were already 0-based in
Torch7 (crop, translate, drawText, warp fields); the indices here, ``flip``'s dimension and
``drawRect``'s corners, are 0-based in Python and 1-based in Lua (``require 'image'``).
Decoding and encoding PNG/JPEG uses Pillow (16-bit colour PNGs are decoded here).  ``lena`` and
``fabio`` need Torch7's pictures, which are not shipped (see ``assets``); ``window`` (a Qt GUI)
raises an error.
"""
from .assets import fabio, lena
from .colorspace import (hsl2rgb, hsv2rgb, lab2rgb, rgb2hsl, rgb2hsv, rgb2lab, rgb2nrgb, rgb2y, rgb2yuv,
                         y2jet, yuv2rgb)
from .display import display, drawRect, minmax, toDisplayTensor, window
from .filters import dilate, erode, gaussianpyramid, lcn
from .kernels import colormap, convolve, gaussian, gaussian1D, jetColormap, laplacian
from .polar import logpolar, polar
from .saveload import (compressJPG, compressPNG, decompress, decompressJPG, decompressPNG, getJPGsize,
                       getPNGsize, getPPMsize, getSize, is_supported, load, loadJPG, loadPNG, loadPPM, save,
                       saveJPG, savePGM, savePNG, savePPM, supported_filetypes)
from .text import drawText
from .transform import crop, flip, hflip, rotate, scale, translate, vflip
from .warp import affinetransform, warp

__all__ = ["load", "save", "getSize", "loadJPG", "loadPNG", "loadPPM", "saveJPG", "savePNG", "savePPM",
           "savePGM", "getJPGsize", "getPNGsize", "getPPMsize", "is_supported", "supported_filetypes",
           "compressJPG", "compressPNG", "decompress", "decompressJPG", "decompressPNG", "crop",
           "translate", "scale", "rotate", "polar", "logpolar", "warp", "affinetransform", "hflip",
           "vflip", "flip", "minmax", "toDisplayTensor", "display", "window", "drawRect", "drawText",
           "lena", "fabio", "rgb2yuv", "yuv2rgb", "rgb2y", "rgb2hsl", "hsl2rgb", "rgb2hsv", "hsv2rgb",
           "rgb2lab", "lab2rgb", "rgb2nrgb", "y2jet", "gaussian", "gaussian1D", "laplacian",
           "gaussianpyramid", "colormap", "jetColormap", "convolve", "lcn", "erode", "dilate"]
