"""File-system calls shared by the paths, lfs and sys packages: plain os calls that answer as the
C libraries did (true, or nil + "path: strerror" + errno), never raising on an ordinary failure."""
import errno as _errno
import os
import stat
import time


def fail(path, e):
    """(None, 'path: message', errno): the C packages' error triple."""
    code = getattr(e, "errno", None) or _errno.EIO
    return None, "%s: %s" % (path, os.strerror(code)), code


def ok_or_fail(fn, path, *args):
    try:
        fn(path, *args)
    except OSError as e:
        return fail(path, e)
    return True


_MODES = ((stat.S_ISREG, "file"), (stat.S_ISDIR, "directory"), (stat.S_ISLNK, "link"),
          (stat.S_ISSOCK, "socket"), (stat.S_ISFIFO, "named pipe"), (stat.S_ISCHR, "char device"),
          (stat.S_ISBLK, "block device"))


def mode_name(m):
    for test, name in _MODES:
        if test(m):
            return name
    return "other"


def permissions(m):
    """'rwxr-xr-x' as LuaFileSystem writes st_mode's permission bits."""
    bits = "rwxrwxrwx"
    return "".join(c if m & (1 << (8 - i)) else "-" for i, c in enumerate(bits))


def attributes(path, follow=True):
    """lfs.attributes' table as a dict, or the error triple."""
    try:
        st = os.stat(path) if follow else os.lstat(path)
    except (OSError, ValueError, TypeError) as e:
        return fail(path, e) if isinstance(e, OSError) else (None, "%s: invalid path" % (path,), _errno.EINVAL)
    d = dict(dev=st.st_dev, ino=st.st_ino, mode=mode_name(st.st_mode), nlink=st.st_nlink,
             uid=st.st_uid, gid=st.st_gid, rdev=st.st_rdev, access=int(st.st_atime),
             modification=int(st.st_mtime), change=int(st.st_ctime), size=st.st_size,
             permissions=permissions(st.st_mode), blocks=st.st_blocks, blksize=st.st_blksize)
    if not follow and stat.S_ISLNK(st.st_mode):
        d["target"] = os.readlink(path)
    return d


def listdir(path):
    """Entries of path with '.' and '..' first (readdir's order is the OS's; sorted here so that
    a script sees the same order on every machine), or None when it cannot be opened."""
    try:
        names = sorted(os.listdir(path))
    except (OSError, TypeError, ValueError):
        return None
    return [".", ".."] + names


def touch(path, atime=None, mtime=None):
    now = time.time()
    atime = now if atime is None else atime
    mtime = atime if mtime is None else mtime
    try:
        if not os.path.exists(path):
            open(path, "ab").close()
        os.utime(path, (atime, mtime))
    except OSError as e:
        return fail(path, e)
    return True
