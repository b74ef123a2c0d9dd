"""Python functions behind require 'optim' (lua_compat/lua/optim.lua) that need more than the
generic config/state calls: optim.FistaLS with Lua closures f, g, pl.

A Lua function answers several results as a tuple: f(x) and g(x) count by their first result
(sparse-coding closures also return the reconstruction), f(x, 'dx') by its first two.  The params
table is updated in place (L, and FISTA's buffers xkm, y, ply), as Torch7's FistaLS does."""
from pytorch_lite.optim.fista import FistaLS

from ..bridge import to_py


def _first(r):
    return r[0] if type(r) is tuple else r


def bridge(runtime):
    conv = runtime.conv

    def fista(f, g, pl, xinit, params=None):
        cfg = {} if params is None else {k: to_py(v) for k, v in params.items()}

        def f_py(x, mode=None):
            if mode is None:
                return _first(f(x))
            r = f(x, mode)
            r = r if type(r) is tuple else (r, None)
            return r[0], r[1]

        def g_py(x, mode=None):
            return _first(g(x)) if mode is None else g(x, mode)

        out = FistaLS(f_py, g_py, lambda x, L: pl(x, L), xinit, cfg)
        if params is not None:
            for k, v in cfg.items():
                params[k] = conv.to_lua(v)
        return conv.result(out)

    return {"FistaLS": fista}
