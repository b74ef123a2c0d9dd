"""Python side of `require 'paths'` (lua/paths.lua): the calls that need the OS."""
import atexit
import os
import tempfile
import uuid

from . import _fs

_tmpnames = []


def _remove_tmpnames():
    # paths.tmpname's files are removed when Lua closes, as libpaths' registry sentinel did
    for p in _tmpnames:
        try:
            os.remove(p)
        except OSError:
            pass


atexit.register(_remove_tmpnames)


def bridge(runtime):
    table = runtime.lua.table_from

    def listdir(p):
        names = _fs.listdir(p) if isinstance(p, str) else None
        return None if names is None else table(names)

    def mkdir(p):
        parent = _dirname(p)
        if not os.path.isdir(parent):
            mkdir(parent)
        return _fs.ok_or_fail(os.mkdir, p)

    def tmpname():
        # tempnam(NULL, "luatmp"): a fresh name in the temp folder, not created
        p = os.path.join(tempfile.gettempdir(), "luatmp" + uuid.uuid4().hex[:6])
        _tmpnames.append(p)
        return p

    return dict(
        filep=lambda p: isinstance(p, str) and os.path.exists(p) and not os.path.isdir(p),
        dirp=lambda p: isinstance(p, str) and os.path.isdir(p),
        dir=listdir, mkdir=mkdir, rmdir=lambda p: _fs.ok_or_fail(os.rmdir, p),
        remove=lambda p: _fs.ok_or_fail(os.remove, p),
        cwd=os.getcwd, tmpname=tmpname,
        uname=lambda: (os.uname().sysname, os.uname().nodename, os.uname().machine),
        home=lambda: os.environ.get("HOME", "."),
        execdir=lambda: None,
    )


def _dirname(p):
    """libpaths' dirname (the Lua file has the same rule for Lua callers)."""
    cut = None
    for i, c in enumerate(p):
        if c == "/" and i + 1 < len(p) and p[i + 1] != "/":
            cut = i
    if cut is None:
        return p if p.startswith("/") else "."
    return p[:max(cut, 1)]
