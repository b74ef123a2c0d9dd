"""lua_compat: run legacy Lua Torch7 code on pytorch_lite through LuaJIT (lupa.luajit21).

    from lua_compat import Runtime, run_file, load_model
    run_file("train.lua", ["--epochs", "3"])          # as `th train.lua --epochs 3`
    model = load_model("model.lua")                    # a module built in Lua, trained in Python
"""
from .runtime import Runtime, LuaScriptError, LuaExit
from .objects import to_python_view


def run_file(path, argv=(), **kw):
    return Runtime(**kw).run_file(path, list(argv))


def load_model(path, *args, runtime=None):
    """Run a Lua file that returns a module (or a function building one) and hand the module to
    Python: 0-based again (LookupTable/ClassNLL take Python's indices), Lua-defined layers keep
    running their Lua code."""
    rt = runtime or Runtime()
    obj = rt.run_file(path, [str(a) for a in args])
    if callable(obj) and not hasattr(obj, "forward"):
        obj = obj(*args)
    return to_python_view(obj)


__all__ = ["Runtime", "LuaScriptError", "LuaExit", "run_file", "load_model", "to_python_view"]
