"""Python side of `require 'lfs'` (LuaFileSystem, lua/lfs.lua)."""
import os

from . import _fs


def bridge(runtime):
    def attributes(path, follow):
        r = _fs.attributes(path, follow) if isinstance(path, str) else \
            (None, "bad argument #1 (string expected)", 22)
        return runtime.lua.table_from(r) if isinstance(r, dict) else r

    def chdir(path):
        try:
            os.chdir(path)
        except (OSError, TypeError) as e:
            return None, "Unable to change working directory to '%s'\n%s\n" % (
                path, os.strerror(getattr(e, "errno", None) or 2))
        return True

    def link(old, new, symbolic=False):
        try:
            (os.symlink if symbolic else os.link)(old, new)
        except OSError as e:
            return _fs.fail(new, e)
        return True

    return dict(
        attributes=attributes,
        dir=lambda p: (lambda n: None if n is None else runtime.lua.table_from(n))(
            _fs.listdir(p) if isinstance(p, str) else None),
        mkdir=lambda p: _fs.ok_or_fail(os.mkdir, p),
        rmdir=lambda p: _fs.ok_or_fail(os.rmdir, p),
        currentdir=os.getcwd, chdir=chdir, touch=_fs.touch, link=link,
    )
