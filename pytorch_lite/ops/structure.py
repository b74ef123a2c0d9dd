"""Structural tensor methods (sizes, views, resize, copy, types) declared with argument kinds.

The methods themselves live on ``Tensor`` in tensor.py; these declarations only record their
signatures (which arguments are dims ``D``, element indices ``I``, sizes ``Z``; which result is an
index ``I``) so that every binding derived from the table, the Lua bridge in particular, converts
between 1-based and 0-based the same way it does for the math surface.  ``method=False`` keeps
tensor.py's own methods; ``function=True`` only where Torch7 also has ``torch.<name>``.
"""
from .._decl import over, wrap
from ..tensor import Tensor

_T = Tensor  # the unbound methods, captured before anything could shadow them


def _q(name):
    """An implementation ``impl(out, x, *args)`` calling the Tensor method ``name``."""
    fn = getattr(_T, name)

    def impl(out, x, *args):
        return fn(x, *args)
    impl.__name__ = "_" + name
    return impl


def _q_noneless(name):
    """Same, dropping trailing None (optional arguments the caller did not give)."""
    fn = getattr(_T, name)

    def impl(out, x, *args):
        while args and args[-1] is None:
            args = args[:-1]
        return fn(x, *args)
    impl.__name__ = "_" + name
    return impl


def _s(name):
    """A 'self'-form implementation ``impl(x, *args)``."""
    fn = getattr(_T, name)

    def impl(x, *args):
        while args and args[-1] is None:
            args = args[:-1]
        return fn(x, *args)
    impl.__name__ = "_" + name
    return impl


def _sized(name):
    fn = getattr(_T, name)

    def impl(out, x, sizes):
        return fn(x, *sizes)
    impl.__name__ = "_" + name
    return impl


def _resize(x, sizes):
    return _T.resize(x, *sizes)


# -- queries ---------------------------------------------------------------------------------------
wrap("size", over("T x", _q("size"), "*"), over("T x, D dim", _q("size"), "N"), method=False, function=False)
wrap("stride", over("T x", _q("stride"), "*"), over("T x, D dim", _q("stride"), "N"),
     method=False, function=False)
wrap("storageOffset", over("T x", _q("storageOffset"), "I"), method=False, function=False)
for _n in ("dim", "nDimension", "nElement", "numel", "elementSize"):
    wrap(_n, over("T x", _q(_n), "N"), form="new", method=False, function=False)
for _n in ("isContiguous",):
    wrap(_n, over("T x", _q(_n), "B"), form="new", method=False, function=False)
for _n in ("isSameSizeAs", "isSetTo"):
    wrap(_n, over("T x, A other", _q(_n), "B"), form="new", method=False, function=False)
wrap("isSize", over("T x, * size", _q("isSize"), "B"), form="new", method=False, function=False)
wrap("storage", over("T x", _q("storage"), "*"), form="new", method=False, function=False)

# -- views -----------------------------------------------------------------------------------------
wrap("narrow", over("T x, D dim, I start, N length", _q("narrow"), "V"), form="new", method=False, function=False)
wrap("select", over("T x, D dim, I index", _q("select"), "V"), form="new", method=False, function=False)
wrap("sub", over("T x, I a, I b, I c=None, I d=None, I e=None, I f=None, I g=None, I h=None",
                 _q_noneless("sub"), "V"), form="new", method=False, function=False)
wrap("transpose", over("T x, D d1, D d2", _q("transpose"), "V"), form="new", method=False)
wrap("t", over("T x", _q("t"), "V"), form="new", method=False)
wrap("permute", over("T x, D a, D b=None, D c=None, D d=None, D e=None, D f=None, D g=None, D h=None",
                     _q_noneless("permute"), "V"), form="new", method=False, function=False)
wrap("unfold", over("T x, D dim, N size, N step", _q("unfold"), "V"), form="new", method=False, function=False)
wrap("view", over("T x, Z sizes", _sized("view"), "V"), form="new", method=False, function=False)
wrap("viewAs", over("T x, A other", _q("viewAs"), "V"), form="new", method=False, function=False)
wrap("expand", over("T x, Z sizes", _sized("expand"), "V"), form="new", method=False, function=False)
wrap("expandAs", over("T x, A other", _q("expandAs"), "V"), form="new", method=False, function=False)
wrap("squeeze", over("T x", _q("squeeze"), "Q"), over("T x, D dim", _q("squeeze"), "V"), form="new", method=False)
wrap("unsqueeze", over("T x, D dim", _q("unsqueeze"), "V"), form="new", method=False, function=False)
wrap("contiguous", over("T x", _q("contiguous"), "T"), form="new", method=False, function=False)
wrap("clone", over("T x", _q("clone"), "T"), form="new", method=False, function=False)

# -- in place ----------------------------------------------------------------------------------------
wrap("resize", over("T x, Z sizes", _resize, "T"), form="self", method=False, function=False)
wrap("resizeAs", over("T x, A other", _s("resizeAs"), "T"), form="self", method=False, function=False)
wrap("fill", over("T x, N value", _s("fill"), "T"), form="self", method=False, function=False)
wrap("zero", over("T x", _s("zero"), "T"), form="self", method=False, function=False)
wrap("copy", over("T x, A src", _s("copy"), "T"), form="self", method=False, function=False)
wrap("set", over("T x", _s("set"), "T"), over("T x, A src", _s("set"), "T"),
     over("T x, * storage, I offset=0, * size=None, * stride=None", _s("set"), "T"),
     form="self", method=False, function=False)

# -- types -----------------------------------------------------------------------------------------
wrap("type", over("T x", _q("type"), "S"), over("T x, S name", _q("type"), "*"),
     form="new", method=False, function=False)
wrap("typeAs", over("T x, A other", _q("typeAs"), "*"), form="new", method=False, function=False)
for _n in ("byte", "char", "short", "int", "long", "float", "double", "half", "real"):
    wrap(_n, over("T x", _q(_n), "*"), form="new", method=False, function=False)
wrap("new", over("T x", _q("new"), "*"), over("T x, Z sizes", _sized("new"), "*"),
     over("T x, * values", _q("new"), "*"), form="new", method=False, function=False)

# -- callables -------------------------------------------------------------------------------------
wrap("apply", over("T x, * fn", _s("apply"), "T"), form="self", method=False, function=False)
wrap("map", over("T x, A other, * fn", _s("map"), "T"), form="self", method=False, function=False)
wrap("map2", over("T x, A t1, A t2, * fn", _s("map2"), "T"), form="self", method=False, function=False)
del _n
