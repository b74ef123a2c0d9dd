"""``lena`` and ``fabio``, Torch7's sample pictures.  pytorch-lite does not ship them (they are
photographs from torch/image's assets folder, not ours to redistribute), so they are looked for,
in this order, in:

1. the folder given as ``assets`` (Python only);
2. each folder of the environment variable PYTORCH_LITE_IMAGE_ASSETS (os.pathsep-separated);
3. an ``assets`` folder next to the running script (the Lua script that ``pytorch-lite run``
   runs, or Python's ``sys.argv[0]``) -- where torch/image's own assets folder sits beside it.

A folder holding a copy of torch/image's ``assets`` (grace_hopper_512.jpg or .png, fabio.jpg or
.png) is all that is needed.  Without one, a clear error says where they were looked for."""
import os
import sys

from ..errors import TorchRuntimeError
from .saveload import load

ENV = "PYTORCH_LITE_IMAGE_ASSETS"


def search_dirs(assets=None, script_dir=None):
    """The folders looked in, in order."""
    dirs = [assets] if assets else []
    dirs += [d for d in os.environ.get(ENV, "").split(os.pathsep) if d]
    if script_dir is None and sys.argv and sys.argv[0] and os.path.isfile(sys.argv[0]):
        script_dir = os.path.dirname(os.path.abspath(sys.argv[0]))
    if script_dir:
        dirs.append(os.path.join(script_dir, "assets"))
    return dirs


def _sample(stem, depth, fn, assets, script_dir):
    dirs = search_dirs(assets, script_dir)
    for d in dirs:
        for ext in ("jpg", "png"):   # Torch7 preferred the JPEG
            path = os.path.join(d, "%s.%s" % (stem, ext))
            if os.path.isfile(path):
                return load(path, depth)
    raise TorchRuntimeError(
        "%s: the picture %s.jpg (or .png) from torch/image's assets folder is not shipped with "
        "pytorch-lite; put a copy of that folder somewhere and set %s to it, or place it as "
        "'assets' next to your script (looked in: %s)"
        % (fn, stem, ENV, ", ".join(dirs) if dirs else "no folder"))


def lena(assets=None, script_dir=None):
    """Torch7's test picture (Grace Hopper, 512x512) as a 3xHxW image of the default type."""
    return _sample("grace_hopper_512", 3, "image.lena", assets, script_dir)


def fabio(assets=None, script_dir=None):
    """Torch7's grey test picture (Fabio, 257x271) as an HxW image of the default type."""
    return _sample("fabio", 1, "image.fabio", assets, script_dir)
