"""Python side of ``require 'image'``: pytorch_lite.image with Lua's calling conventions.

Lua tables arrive as lists/dicts; a single table of named fields (``image.gaussian{size=5}``,
``image.display{image=x, zoom=2}``) becomes keyword arguments, as Torch7's dok.unpack read it;
``drawRect``'s and ``drawText``'s options tables become keywords; ``flip``'s dimension and
``drawRect``'s corners are 1-based in Lua (``drawText``'s x, y were pixel offsets in Torch7
already and pass unchanged); ``lena``/``fabio`` also look in an ``assets`` folder next to the
running Lua script."""
import inspect
import os

from pytorch_lite import image
from pytorch_lite.errors import TorchTypeError

from ..bridge import LuaTable, to_py

# functions whose arguments Torch7 read with dok.unpack (positional, or one table of names)
_NAMED = ("gaussian", "gaussian1D", "laplacian", "toDisplayTensor", "display")


def _named_call(fn):
    params = set(inspect.signature(fn).parameters)

    def call(*args):
        if len(args) == 1 and type(args[0]) is LuaTable and len(args[0]) == 0:
            kw = {k: v for k, v in to_py(args[0]).items() if k in params}
            return fn(**kw)
        return fn(*[to_py(a) for a in args])
    call.__name__ = fn.__name__
    return call


def _plain(fn):
    def call(*args):
        return fn(*[to_py(a) for a in args])
    call.__name__ = fn.__name__
    return call


def _minmax(args=None):
    if type(args) is not LuaTable:
        raise TorchTypeError("image.minmax expects a table: image.minmax{tensor=t, min=.., max=..}")
    kw = to_py(args)
    params = set(inspect.signature(image.minmax).parameters)
    return image.minmax(**{k: v for k, v in kw.items() if k in params})


def _flip(*args):
    args = [to_py(a) for a in args]
    if args and isinstance(args[-1], (int, float)) and not isinstance(args[-1], bool):
        args[-1] = int(args[-1]) - 1
    return image.flip(*args)


def _drawRect(src, x1=None, y1=None, x2=None, y2=None, opts=None):
    kw = to_py(opts) if opts is not None else {}
    if not isinstance(kw, dict):
        kw = {}
    x1, y1, x2, y2 = (None if v is None else int(v) - 1 for v in (x1, y1, x2, y2))
    return image.drawRect(src, x1, y1, x2, y2, lineWidth=kw.get("lineWidth", 1),
                          color=kw.get("color", (255, 0, 0)), inplace=bool(kw.get("inplace", False)))


def _drawText(src, text=None, x=1, y=1, opts=None):
    kw = to_py(opts) if opts is not None else {}
    if not isinstance(kw, dict):
        kw = {}
    x = 1 if x is None else x
    y = 1 if y is None else y
    wrap = kw.get("wrap", True)
    return image.drawText(src, text, x, y, color=kw.get("color", (255, 0, 0)), bg=kw.get("bg"),
                          size=kw.get("size", 1), wrap=wrap is not False and wrap is not None,
                          inplace=bool(kw.get("inplace", False)))


def _script_dir(runtime):
    """The folder of the script `pytorch-lite run` runs (Lua's arg[0]), if any."""
    arg = runtime.lua.globals().arg
    path = arg[0] if arg is not None else None
    return os.path.dirname(os.path.abspath(path)) if isinstance(path, str) else None


def bridge(runtime):
    fns = {name: _plain(getattr(image, name)) for name in image.__all__ if callable(getattr(image, name))}
    fns.update({name: _named_call(getattr(image, name)) for name in _NAMED})
    fns.update(minmax=_minmax, flip=_flip, drawRect=_drawRect, drawText=_drawText,
               lena=lambda: image.lena(script_dir=_script_dir(runtime)),
               fabio=lambda: image.fabio(script_dir=_script_dir(runtime)),
               # the levels come back as several results; image.lua packs them into a table
               gaussianpyramid=lambda *a: tuple(image.gaussianpyramid(*[to_py(x) for x in a])))
    return fns
