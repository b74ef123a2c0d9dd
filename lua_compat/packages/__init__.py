"""The Lua packages a script may `require`, and the Python functions each one's Lua file calls.

A package is a Lua file under ``lua_compat/lua/``: ``image.lua`` answers ``require 'image'``,
``pl/path.lua`` answers ``require 'pl.path'``.  Its chunk gets ``(B, hidden)``; Python functions a
package needs live in a module of this folder with the package's name (``packages/image.py``)
defining ``bridge(runtime) -> dict``, and reach the Lua file as ``B.packages.<name>.<function>``.
"""
import importlib
import os
import pkgutil

LUA_DIR = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "lua")
# loaded by the prelude itself, never through require
_NOT_PACKAGES = {"prelude", "torch", "require"}


def lua_package_names():
    """{'image': 'image.lua', 'pl.path': 'pl/path.lua', 'pl': 'pl/init.lua', ...}"""
    names = {}
    for root, _dirs, files in os.walk(LUA_DIR):
        rel = os.path.relpath(root, LUA_DIR)
        prefix = "" if rel == "." else rel.replace(os.sep, ".") + "."
        for f in files:
            if not f.endswith(".lua"):
                continue
            stem = f[:-4]
            if not prefix and stem in _NOT_PACKAGES:
                continue
            name = prefix[:-1] if stem == "init" and prefix else prefix + stem
            names[name] = os.path.join(rel, f) if prefix else f
    return names


def bridges(runtime):
    """{package name: {function name: callable}} from every module here that defines bridge()."""
    out = {}
    for info in pkgutil.iter_modules(__path__):
        mod = importlib.import_module("%s.%s" % (__name__, info.name))
        make = getattr(mod, "bridge", None)
        if make is not None:
            out[info.name] = make(runtime)
    return out
