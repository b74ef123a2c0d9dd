"""The ``pytorch-lite`` command.

    pytorch-lite info model.t7          # a tree of what a t7 file holds
    pytorch-lite convert model.t7 model.onnx   # also .pt .safetensors .npz .t7 (checked after export)
"""
import argparse
import os
import sys

import numpy as np

from .serialization import (load, inspect_file, T7FormatError, TorchObject, LuaFunction, LuaKey, LuaList,
                            TdsHash, TdsVec, original_typename)
from .storage import Storage
from .tensor import Tensor


class _Tree:
    """Renders a loaded t7 object as an indented tree: tables, torch objects (class and fields),
    tensors (type, sizes, storage) and scalars; an object met again is shown as a reference."""

    def __init__(self, out, max_items=20, max_depth=None, max_string=60):
        self.out = out
        self.max_items = max_items
        self.max_depth = max_depth
        self.max_string = max_string
        self.seen = {}       # id -> path where first shown
        self.storages = {}   # id(storage) -> 'S<n>'
        self.keep = []

    def line(self, depth, text):
        self.out.write("  " * depth + text + "\n")

    def show(self, obj, label, path, depth):
        text, children = self.describe(obj, path)
        self.line(depth, (label + ": " if label else "") + text)
        if children is None:
            return
        if self.max_depth is not None and depth >= self.max_depth:
            if children:
                self.line(depth + 1, "... (%d entries, --depth %d stops here)" % (len(children), self.max_depth))
            return
        for i, (k, v) in enumerate(children):
            if i >= self.max_items:
                self.line(depth + 1, "... (%d more)" % (len(children) - i))
                break
            self.show(v, _key(k), path + "[" + _path_key(k) + "]", depth + 1)

    def describe(self, obj, path):
        """(one-line text, [(key, value)] or None)."""
        if obj is None:
            return "nil", None
        if isinstance(obj, bool):
            return "boolean " + ("true" if obj else "false"), None
        if isinstance(obj, (int, float)):
            return "number %s" % _num(obj), None
        if isinstance(obj, str):
            return "string %s" % _short(repr(obj), self.max_string), None
        if isinstance(obj, bytes):
            return "string (%d bytes, not UTF-8) %s" % (len(obj), _short(repr(obj), self.max_string)), None
        if isinstance(obj, (Storage,)):
            return self._storage(obj, path), None
        if id(obj) in self.seen:
            return "-> same object as %s" % self.seen[id(obj)], None
        self.seen[id(obj)] = path
        self.keep.append(obj)
        if isinstance(obj, Tensor):
            return self._tensor(obj), None
        if isinstance(obj, LuaFunction):
            return ("Lua function (%d bytes of bytecode, not run)" % len(obj.bytecode),
                    [("upvalues", obj.upvalues)])
        if isinstance(obj, TdsHash):
            return "tds.Hash (%d entries)" % len(obj), _sorted(obj.items())
        if isinstance(obj, TdsVec):
            return "tds.Vec (%d entries)" % len(obj), list(enumerate(obj, 1))
        if isinstance(obj, TorchObject):
            return obj.typename, _sorted(obj.fields.items())
        if isinstance(obj, list):
            extra = " (stored in key order %s)" % obj.key_order if isinstance(obj, LuaList) else ""
            return "table [%d]%s" % (len(obj), extra), list(enumerate(obj, 1))
        if isinstance(obj, dict):
            return "table {%d}" % len(obj), _sorted(obj.items())
        name = getattr(type(obj), "typename", None) or type(obj).__name__
        fields = getattr(obj, "__dict__", None)
        return str(name), (list(fields.items()) if fields else [])

    def _storage_name(self, st):
        sid = id(st)
        if sid in self.storages:
            return self.storages[sid], True
        name = "S%d" % (len(self.storages) + 1)
        self.storages[sid] = name
        self.keep.append(st)
        return name, False

    def _storage(self, st, path):
        name, shared = self._storage_name(st)
        orig = original_typename(st)
        return "%s %s size=%d%s%s" % (type(st).typename, name, st.size(), " (shared)" if shared else "",
                                      " (file: %s)" % orig if orig else "")

    def _tensor(self, t):
        size = "x".join(str(s) for s in t._size) if t._size else "empty"
        orig = original_typename(t)
        parts = ["%s %s" % (type(t).typename, size)]
        if t._storage is None:
            parts.append("no storage")
        else:
            name, shared = self._storage_name(t._storage)
            where = "on %s" % name
            if t._offset:
                where += " at %d" % t._offset
            if shared:
                where += " (shared)"
            parts.append(where)
            if t._size and not t.isContiguous():
                parts.append("stride %s" % ",".join(str(s) for s in t._stride))
            n = t.nElement()
            if 0 < n <= 6:
                parts.append("values %s" % " ".join(_num(v) for v in np.asarray(t._a).reshape(-1).tolist()))
        if orig:
            parts.append("file: %s" % orig)
        return ", ".join(parts)


def _sort_key(item):
    """Keys as Torch7's fixture walks order them: numbers, then strings, then booleans."""
    k = item[0]
    if isinstance(k, LuaKey):
        k = k.value
    if isinstance(k, bool):
        return (2, k, "")
    if isinstance(k, (int, float)):
        return (0, k, "")
    if isinstance(k, (str, bytes)):
        return (1, 0, k if isinstance(k, str) else k.decode("latin-1"))
    return (3, 0, "")


def _sorted(items):
    items = list(items)
    try:
        return sorted(items, key=_sort_key)
    except TypeError:  # nan keys and the like: keep the file's order
        return items


def _model_layout(path, mode, longsize):
    """Torch7's print(model) text when the file holds an nn model, else None."""
    try:
        from . import nn  # noqa: F401  (importing it registers the nn classes)
        model = load(path, mode, longsize=longsize, allow_functions=True)
        text = model.__tostring__()
    except Exception:  # a model nn cannot rebuild still gets its tree
        return None
    return text if isinstance(text, str) else None


def _model_paths(obj, out):
    """The models inside a table, by the paths `pytorch-lite convert --key` takes."""
    from .converters.checkpoint import find_models, listing
    models = find_models(obj)
    if models:
        out.write("models (convert --key PATH):\n%s\ncontents:\n" % listing(models))


def _num(x):
    if isinstance(x, float):
        return "%.6g" % x
    return str(x)


def _short(text, n):
    return text if len(text) <= n else text[:n - 3] + "..."


def _path_key(k):
    return '"%s"' % k if isinstance(k, str) else _key(k)


def _key(k):
    if isinstance(k, LuaKey):
        k = k.value
        if not isinstance(k, bool):
            return "<%s key>" % (getattr(type(k), "typename", None) or "table")
    if isinstance(k, bool):
        return "true" if k else "false"
    if isinstance(k, (int, float)):
        return _num(k)
    if isinstance(k, bytes):
        return repr(k)
    return str(k)


def cmd_info(args, out):
    path = args.file
    mode, longsize = args.mode, args.longsize
    try:
        obj = load(path, mode, longsize=longsize, allow_functions=True, use_registry=False)
        mode, longsize = inspect_file(path, mode, longsize)
    except T7FormatError as e:
        sys.stderr.write("pytorch-lite info: %s\n" % e)
        return 2
    except OSError as e:
        sys.stderr.write("pytorch-lite info: %s\n" % e)
        return 2
    flavour = "ascii" if mode == "ascii" else "binary, %d-byte longs" % longsize
    out.write("%s: t7 %s, %d bytes\n" % (os.path.basename(path), flavour, os.path.getsize(path)))
    if isinstance(obj, TorchObject) and obj.typename.startswith(("nn.", "cudnn.")):
        layout = _model_layout(path, mode, longsize)
        if layout:
            out.write("print(model):\n%s\ncontents:\n" % layout)
    else:
        _model_paths(obj, out)
    _Tree(out, args.max_items, args.depth).show(obj, "", "root", 0)
    return 0


def build_parser():
    ap = argparse.ArgumentParser(prog="pytorch-lite", description="Lua Torch7 reborn as a Python library.")
    sub = ap.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    info = sub.add_parser("info", help="show what a t7 file holds, as a tree",
                          description="Show what a Torch7 .t7 file holds: tables, torch objects, tensors "
                                      "(types, sizes, shared storages). Nothing in the file is executed.")
    info.add_argument("file")
    info.add_argument("--mode", choices=["binary", "ascii"], default=None, help="file mode (default: detect)")
    info.add_argument("--longsize", type=int, choices=[4, 8], default=None,
                      help="size of longs in a binary file (default: detect)")
    info.add_argument("--depth", type=int, default=None, help="show at most this many levels")
    info.add_argument("--max-items", type=int, default=20, help="entries shown per table (default 20)")
    info.set_defaults(func=cmd_info)
    from .converters.command import add_parser as add_convert_parser
    add_convert_parser(sub)
    run = sub.add_parser("run", help="run a legacy Lua Torch7 script (as `th script.lua args...`)",
                         description="Run a Lua Torch7 script on pytorch_lite through LuaJIT.")
    run.add_argument("script")
    run.add_argument("args", nargs=argparse.REMAINDER, help="arguments for the script (its `arg` table)")
    run.set_defaults(func=cmd_run)
    return ap


def cmd_run(args, out):
    from lua_compat.runtime import Runtime, LuaExit, LuaScriptError
    try:
        Runtime(stdout=out).run_file(args.script, args.args)
    except LuaExit as e:
        out.flush()
        if e.code:
            _stop_other_ranks("os.exit(%d)" % e.code)
        return e.code
    except LuaScriptError as e:
        out.flush()
        sys.stderr.write("%s\n" % e)
        _stop_other_ranks(str(e).splitlines()[0] if str(e) else "Lua error")
        return 1
    out.flush()
    return 0


def _stop_other_ranks(message):
    """Under mpirun, a failed script tells the other ranks why and stops the job (else they would
    wait for this rank until their timeout)."""
    dist = sys.modules.get("pytorch_lite.distributed")
    if dist is not None:
        dist.fail_job(message)


def main(argv=None, out=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    script_args = None
    if len(argv) >= 2 and argv[0] == "run" and not argv[1].startswith("-"):
        # everything after the script is the script's, as `th script.lua ...` passes it ('--' too)
        argv, script_args = argv[:2], argv[2:]
    args = build_parser().parse_args(argv)
    if script_args is not None:
        args.args = script_args
    try:
        return args.func(args, out if out is not None else sys.stdout)
    except BrokenPipeError:  # `pytorch-lite info big.t7 | head`
        sys.stderr.close()
        return 0


if __name__ == "__main__":
    sys.exit(main())
