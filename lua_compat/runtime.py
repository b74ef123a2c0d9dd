"""The Lua runtime: LuaJIT (lupa.luajit21) with Torch7's Lua surface over pytorch_lite.

    rt = Runtime()
    rt.run_file("train.lua", ["--lr", "0.1"])      # as `th train.lua --lr 0.1`
    rt.execute("return torch.rand(3):sum()")

Lua gets the torch API only: no Python eval, no builtins, no ``python`` module, and no
attribute of any Python object beyond the public ones of pytorch_lite's own objects.
"""
import atexit
import contextlib
import os
import sys
import threading
import time
import weakref

import numpy as np
from lupa import luajit21 as _lupa

import pytorch_lite as torch
from pytorch_lite import _decl, _small, _views
from pytorch_lite.errors import TorchError
from pytorch_lite import storage as _storage
from pytorch_lite.storage import Storage, STORAGE_TYPES
from pytorch_lite.tensor import Tensor, TENSOR_TYPES
from pytorch_lite.nngraph import node as _nngraph_node
from pytorch_lite.serialization import reader as _t7_reader, writer as _t7_writer
from pytorch_lite.serialization.types import SelfWriting
from pytorch_lite.nn import utils as _nn_utils

from . import bridge, files, objects, packages
from .bridge import LuaOp, Converter, LuaFunction, LuaTable, args_to_py, to_py

LUA_DIR = os.path.join(os.path.dirname(os.path.abspath(__file__)), "lua")
_SAFE_MODULES = ("pytorch_lite", "lua_compat")


class LuaScriptError(TorchError):
    """A Lua script failed: the message holds the Lua file, line and traceback."""


class LuaExit(Exception):
    """os.exit(code) from Lua."""

    def __init__(self, code):
        super().__init__(code)
        self.code = code


def _attribute_filter(obj, name, is_setting):
    """Only public attributes of pytorch_lite's own objects, never _private or dunder ones."""
    if not isinstance(name, str) or name.startswith("_"):
        raise AttributeError("access to %r is not allowed from Lua" % (name,))
    mod = getattr(type(obj), "__module__", "") or ""
    if not mod.startswith(_SAFE_MODULES):
        raise AttributeError("access to attributes of %s objects is not allowed from Lua" % type(obj).__name__)
    return name


# Lua keeps every Python object it has seen in a strong table until a sweep (see prelude.lua: the
# lupa #293/#294 workaround); the sweep also counts new objects, but a Lua loop making big tensors
# would hold gigabytes before that count is reached.  So every SWEEP_BYTES of storage allocated on
# the Python side also sweeps every live runtime.
SWEEP_BYTES = 256 << 20
_runtimes = weakref.WeakSet()


def _lua_caller_label():
    """The calling Lua line of the runtime running on this thread (nngraph's node labels)."""
    if not bridge.ACTIVE:
        return None
    return bridge.ACTIVE[-1].lua.eval("_lua_compat_caller_label")()


_nngraph_node.lua_caller_label = _lua_caller_label


@contextlib.contextmanager
def _lua_tables_as_python(obj):
    """An object written by Python code while a Lua script runs (nn.Jacobian.testIO's round trip,
    a gModule's clone) may hold Lua tables the script set: written as torch.save from Lua
    writes them."""
    if not bridge.ACTIVE:
        yield obj
        return
    with bridge.ACTIVE[-1]._tables_as_python(obj) as py:
        yield py


_t7_writer.foreign_tables = _lua_tables_as_python


@atexit.register
def _all_closing():
    for rt in list(_runtimes):
        rt._closing()


# Classes given their own write/read methods in Lua (dpnn's nn.Serial) write and read themselves, as
# Torch7's File calls those methods; a clone then goes through the file too, as Torch7's clone does
_t7_writer.custom_write = lambda obj: bridge.ACTIVE[-1]._t7_write_body(obj) if bridge.ACTIVE else None
_t7_reader.custom_read = lambda name: bridge.ACTIVE[-1]._t7_read_body(name) if bridge.ACTIVE else None
_nn_utils.serialized_clone = lambda obj: bridge.ACTIVE[-1]._serialized_clone(obj) if bridge.ACTIVE else None
_nn_utils.lua_loader = lambda: bridge.ACTIVE[-1]._lua_view if bridge.ACTIVE else None
_allocated = [0]


def _on_alloc(nbytes):
    _allocated[0] += nbytes
    if _allocated[0] > SWEEP_BYTES:
        _allocated[0] = 0
        me = threading.get_ident()
        for rt in list(_runtimes):   # only this thread's states: another's lock may be held (threads)
            if rt._sweep is not None and rt._thread == me:
                rt._sweep()


class Runtime:
    def __init__(self, stdout=None, stderr=None):
        self.lua = _lupa.LuaRuntime(register_eval=False, register_builtins=False,
                                    unpack_returned_tuples=True, attribute_filter=_attribute_filter)
        self._stdout = stdout
        self.restore_cuda = False   # torch.load keeps Cuda tensors once cutorch is loaded (packages/cutorch.py)
        self._stderr = stderr
        self._exit = None
        self.conv = Converter(self.lua)
        self.methods = objects.Methods(self.conv)
        self.patches = {}   # (Python class, method name) -> its replacement from this runtime's Lua
        self.classes = objects.LuaClasses(self.conv, self)
        self.methods.classes = self.classes
        self._sweep = None
        self._thread = threading.get_ident()
        self.negzero_copy = self.array_snapshot = None
        B = self.lua.table_from(self._bridge())
        with open(os.path.join(LUA_DIR, "prelude.lua")) as f:
            self.lua.execute(f.read(), B)
        _runtimes.add(self)
        _storage.alloc_hook = _on_alloc
        self._ident = self.lua.eval("""(function()
            local ids, n = setmetatable({}, {__mode = 'k'}), 0
            return function(t) local i = ids[t] if not i then n = n + 1 ids[t] = n i = n end return i end
        end)()""")
        self.negzero_copy = self.lua.globals()._lua_compat_negzero_copy   # see bridge._with_neg_zero
        self.lua.globals()._lua_compat_negzero_copy = None
        self.array_snapshot = self.lua.globals()._lua_compat_array          # see bridge.table_to_py
        self.lua.globals()._lua_compat_array = None
        self.methods.fill_table = self.lua.globals()._lua_compat_fill       # see objects.mirror
        self.lua.globals()._lua_compat_fill = None
        g = self.lua.globals()
        g.package.loaded.python = None
        g.python = None

    # -- what Lua can call ----------------------------------------------------------------------
    def _bridge(self):
        conv = self.conv
        ops = {name: LuaOp(d, conv) for name, d in _decl.DECLS.items()}
        tensor_methods = {name: op.method for name, op in ops.items()}
        tensor_fast, tensor_shift, tensor_view = {}, {}, {}
        for name, op in ops.items():   # no dims/indices anywhere: the Tensor method itself
            pm = getattr(Tensor, name, None)
            if pm is None or not callable(pm):
                continue
            if bridge.kind_free(op.decl):
                tensor_fast[name] = bridge.fast_method(pm, conv.result, name)
                if bridge.result_view(op.decl):   # a tensor first (res:view(src, ...)): the declaration
                    tensor_view[name] = bridge.leading_tensors(op.decl)
            else:
                pos = bridge.shift_positions(op.decl)
                if pos:
                    tensor_shift[name] = (bridge.fast_method(pm, conv.result, name, True, [p - 1 for p in pos]),
                                          self.lua.table_from(pos), bridge.number_first(op.decl))
        torch_functions = {}
        for name, op in ops.items():
            torch_functions[name] = op.function if op.decl.function else op.method
        B = dict(
            register_sweep=lambda f: setattr(self, "_sweep", f),
            neg_zero=bridge.NEG_ZERO,
            probe=objects.ListView([]),
            kindof=objects.kindof, handler_key=objects.handler_key,
            c_reads=self.lua.table_from(_decl.C_READS),
            methods_missing=lambda tn: self.lua.table_from(sorted(_decl.methods_missing(tn))),
            tensor_methods=self.lua.table_from(tensor_methods),
            tensor_fast=self.lua.table_from(tensor_fast),
            tensor_view=self.lua.table_from(tensor_view),
            tensor_shift=self.lua.table_from({k: self.lua.table_from(v) for k, v in tensor_shift.items()}),
            is_method=lambda f: getattr(f, "__func__", None) is LuaOp.method,
            torch_functions=self.lua.table_from(torch_functions),
            storage_methods=self.lua.table_from(self._storage_methods()),
            tensor_get=bridge.tensor_get, tensor_set=bridge.tensor_set,
            storage_get=bridge.storage_get, storage_set=bridge.storage_set,
            op_add=bridge.op_add, op_sub=bridge.op_sub, op_mul=bridge.op_mul, op_div=bridge.op_div,
            op_unm=bridge.op_unm, op_len=bridge.op_len,
            list_get=objects.list_get, list_set=objects.list_set, list_len=objects.list_len,
            list_insert=objects.list_insert, list_remove=objects.list_remove,
            dict_get=objects.dict_get, dict_set=objects.dict_set, dict_next=objects.dict_next,
            dict_len=objects.dict_len,
            call_object=objects.call_object,
            tensor_types=self.lua.table_from(list(TENSOR_TYPES)),
            storage_types=self.lua.table_from(list(STORAGE_TYPES)),
            tensor_new=self._tensor_new, storage_new=self._storage_new,
            tensor_new_default=lambda *a: self._tensor_new(torch.getdefaulttensortype(), *a),
            tensor_apply=lambda t, fn: t.apply(fn), tensor_map=lambda t, o, fn: t.map(o, fn),
            tensor_map2=lambda t, a, b, fn: t.map2(a, b, fn),
            tolist=lambda t: t.tolist(), to_lua=conv.to_lua,
            sizes=lambda t: self.lua.table_from(list(t._size)),
            getdefaulttensortype=torch.getdefaulttensortype,
            setdefaulttensortype=torch.setdefaulttensortype,
            manualSeed=torch.manualSeed, seed=torch.seed, initialSeed=torch.initialSeed,
            getRNGState=torch.getRNGState, setRNGState=torch.setRNGState, Generator=torch.Generator,
            pointer=_pointer,
            typename=self._typename, typenames=self._typenames,
            has_class=lambda name: name in objects.torch_classes(),
            unbound=self.methods.unbound, getfield=self.methods.getfield, setfield=self.methods.setfield,
            construct=objects.construct, init_as=objects.init_as,
            define=self.classes.define, set_method=self.classes.set_method,
            patch_method=self.classes.patch_method, own_method=self.methods.own_method,
            class_parent=objects.class_parent, tensor_type_name=lambda n: n in TENSOR_TYPES,
            new_instance=objects.new_instance,
            disk_file=lambda path, mode="r": files.TorchFile(path, mode or "r", self._to_py_obj, self._from_py_obj,
                                                             keep_cuda=lambda: self.restore_cuda),
            pipe_file=lambda command, mode="r": files.PipeFile(command, mode or "r", self._to_py_obj,
                                                               self._from_py_obj, keep_cuda=lambda: self.restore_cuda),
            set_lua_hooks=lambda *fns: setattr(self.conv, "lua_hooks", fns),
            set_t7_hooks=lambda *fns: setattr(self, "_t7_hooks", fns),
            memory_file=lambda storage=None, mode="rw": files.TorchFile(
                None, mode or "rw", self._to_py_obj, self._from_py_obj, storage=storage,
                keep_cuda=lambda: self.restore_cuda),
            raw_bytes=bridge.RawBytes,
            field_names=lambda o: self.lua.table_from(
                [k for k, v in getattr(o, "__dict__", {}).items()
                 if isinstance(k, str) and not (k.startswith("__") and k.endswith("__")) and v is not None]),
            save=self._save, load=self._load, serialize=self._serialize, deserialize_hex=self._deserialize_hex,
            write_out=self._write_out, write_err=self._write_err, flush=self._flush,
            set_exit=self._set_exit, describe_error=self._describe_error,
            clock=time.perf_counter, cpuclock=time.process_time,
            optim=self._optim, optim_plain=self._optim_plain, to_dict=to_py, lua_dir=LUA_DIR,
            format_f=_format_f,
            packages=self.lua.table_from(
                {name: self.lua.table_from(fns) for name, fns in packages.bridges(self).items()}),
            package_names=self.lua.table_from(packages.lua_package_names()),
            size_ops=self.lua.table_from(_size_ops()),
            meta_address=_views.meta_address,
            meta_functions=self.lua.table_from({name: self.lua.table_from(v) for name, v in _small.ffi_functions().items()}),
            op_codes=self.lua.table_from({"add": _small.ADD, "sub": _small.SUB, "mul": _small.MUL}),
            view_meta=self.lua.table_from({name: bridge.with_meta(tensor_shift[name][0])
                                           for name in ("narrow", "select") if name in tensor_shift}),
        )
        return B

    def _storage_methods(self):
        def size(s):
            return s.size()

        def resize(s, n):
            s.resize(int(n))
            return s

        def fill(s, v):
            s.fill(v)
            return s

        def copy(s, src):
            s.copy(src)
            return s

        def string(s, text=None):
            """s:string(): the bytes as a Lua string; s:string(str): fill s with str's bytes."""
            if text is None:
                return bytes(np.asarray(s._data, dtype=np.uint8 if s._data.dtype == np.uint8 else np.int8)
                             .view(np.uint8)).decode("latin-1")
            data = text.encode("latin-1") if isinstance(text, str) else bytes(text)
            arr = np.frombuffer(data, dtype=np.uint8)
            s.resize(len(arr))
            s.copy(type(s)(arr.view(s._data.dtype).tolist() if s._data.dtype.itemsize == 1 else arr.tolist()))
            return s
        def data(s):
            """s:data(): where its elements are (Torch7: a pointer; torch.pointer gives the number)."""
            return int(s._data.ctypes.data) if s.size() else 0
        return dict(size=size, resize=resize, fill=fill, copy=copy, string=string, data=data,
                    elementSize=lambda s: s.elementSize(),
                    totable=lambda s: self.conv.to_lua(s.tolist()),
                    type=lambda s, name=None: s.typename if name is None else s.type(name))

    def _tensor_new(self, typename, *args):
        cls = TENSOR_TYPES[typename]
        if _views.positive_sizes(args) is not None:     # torch.Tensor(4, 5): sizes only
            return cls(*args)
        args = tuple(_truncated(a) for a in args_to_py(args))   # sizes 2.5 -> 2, as Torch7's C
        if args and isinstance(args[0], Storage) and len(args) > 1 and not isinstance(args[1], Storage):
            args = (args[0], bridge._index_in(args[1])) + tuple(args[2:])
        return cls(*args)

    def _storage_new(self, typename, *args):
        cls = STORAGE_TYPES[typename]
        if args and isinstance(args[0], float):
            args = (_truncated(args[0]),) + args[1:]   # a size 2.5 -> 2, as Torch7's C
        args = args_to_py(args)
        if args and isinstance(args[0], Storage) and len(args) > 1:   # a view: the offset is 1-based
            args = (args[0], bridge._index_in(args[1])) + tuple(args[2:])
        return cls(*args)

    def _typename(self, obj):
        tn = torch.typename(obj)
        return tn

    def _typenames(self, obj):
        """The Torch7 type names of obj's class and its parents, nearest first (torch.isTypeOf)."""
        names = []
        for cls in type(obj).__mro__:
            tn = cls.__dict__.get("typename")
            if isinstance(tn, str):
                names.append(tn)
        return self.lua.table_from(names)

    # -- serialization from Lua --------------------------------------------------------------------
    def _save(self, path, obj, mode="binary", referenced=True):
        with self._tables_as_python(obj) as py:
            torch.save(path, py, mode or "binary", True if referenced is None else referenced)

    def _load(self, path, mode=None, referenced=True):
        obj = torch.load(path, mode, True if referenced is None else referenced, restore_cuda=self.restore_cuda)
        return self._from_py_obj(obj)

    def _serialize(self, obj, mode="binary"):
        with self._tables_as_python(obj) as py:
            return torch.serialize(py, mode or "binary")

    @contextlib.contextmanager
    def _tables_as_python(self, root):
        """While an object is written: the Lua tables its Python objects hold (module fields set
        from Lua) as Python lists/dicts, with one numbering of tables for the whole object so that
        shared tables stay shared; put back afterwards."""
        undo, seen, memo = [], set(), {}

        def walk(o):
            if id(o) in seen:
                return
            seen.add(id(o))
            t = type(o)
            if t is list:
                for i, v in enumerate(o):
                    if type(v) is LuaTable:
                        undo.append((o, i, v))
                        o[i] = conv(v)
                    walk(o[i])
            elif t is dict:
                for k, v in list(o.items()):
                    tv = type(v)
                    if tv is LuaTable or tv is LuaFunction or tv is objects.MethodField:
                        undo.append((o, k, v))
                        o[k] = conv(v.fn if tv is objects.MethodField else v)
                    walk(o[k])
            elif isinstance(o, (Tensor, Storage)) or t in (str, int, float, bool, type(None)):
                return
            elif isinstance(getattr(o, "__dict__", None), dict) and (t.__module__ or "").startswith(_SAFE_MODULES):
                walk(o.__dict__)

        prepare = self._t7_hooks[3] if self._t7_hooks else None

        def conv(t, prepared=False):
            # a Lua value a Python object holds: its functions and Lua objects as the Lua writer
            # sees them (torch.lua's prepare; the root comes prepared)
            if prepare is not None and not prepared:
                t = prepare(t)
            if type(t) is not LuaTable:
                return t
            return bridge.to_py_shared(bridge._with_neg_zero(t), self._ident, memo)
        try:
            py = conv(root, True) if type(root) is LuaTable else self._to_py_obj(root)
            walk(py)
            yield py
        finally:
            for o, k, v in reversed(undo):
                o[k] = v

    def _deserialize_hex(self, hexstr, mode=None):
        return self._from_py_obj(torch.deserialize(bytes.fromhex(hexstr), mode, restore_cuda=self.restore_cuda))

    def __del__(self):
        self._closing()

    def _closing(self):
        """Before the Lua state closes: finalizers that would call into Python (a threads pool's
        terminate) must not, as the Python objects they reach may be gone by then."""
        try:
            self.lua.globals()._lua_compat_closing = True
        except Exception:
            pass

    # -- classes writing and reading themselves (their Lua write/read methods) --------------------
    _t7_hooks = None   # torch.lua's (method of a class, Lua File over a TorchFile, new Lua instance)
    self_writing = False   # whether Lua gave a Python-backed class a write/read method

    def _lua_methods(self, cls, which):
        """Whether Lua may have given Python class cls (or an ancestor) a method ``which``."""
        lua_defined = objects.lua_defined_classes()
        return any(c in lua_defined or (c, which) in self.patches for c in cls.__mro__)

    def _t7_write_body(self, obj):
        hooks = self._t7_hooks
        if hooks is None:
            return None
        method_of, lua_file = hooks[0], hooks[1]
        if type(obj) is SelfWriting:
            target, write = obj.obj, obj.write
        else:
            name = getattr(type(obj), "typename", None)
            if not isinstance(name, str) or not self._lua_methods(type(obj), "write"):
                return None
            target, write = obj, method_of(name, "write")
            if write is None:
                return None

        def body(writer):
            f = files.TorchFile.over_writer(writer, self._to_py_obj, self._from_py_obj)
            write(target, lua_file(f))
            return bytes(f._buf)
        return body

    def _t7_read_body(self, name):
        hooks = self._t7_hooks
        if hooks is None:
            return None
        method_of, lua_file, new_lua_object = hooks[:3]
        cls = objects.torch_classes().get(name)
        if cls is not None and not self._lua_methods(cls, "read"):
            return None
        read = method_of(name, "read")
        if read is None:
            return None

        def body(reader, version):
            obj = objects.new_instance(name) if cls is not None else new_lua_object(name)
            reader.remember_new(obj)
            read(obj, lua_file(files.TorchFile.over_reader(reader, self._to_py_obj, self._from_py_obj)), version)
            return obj
        return body

    def _serialized_clone(self, root):
        """root's clone written and read back, as Torch7's clone makes it, when something in it
        writes itself (its class's write method); None otherwise (a copy of every field does)."""
        if self._t7_hooks is None or not self.self_writing:
            return None
        seen = set()

        def writes_itself(o):
            if id(o) in seen:
                return False
            seen.add(id(o))
            if isinstance(o, (list, tuple)):
                return any(writes_itself(v) for v in o)
            if isinstance(o, dict):
                return any(writes_itself(v) for v in o.values())
            if isinstance(o, (torch.nn.Module, torch.nn.Criterion)):
                return self._t7_write_body(o) is not None or any(writes_itself(v) for v in o.__dict__.values())
            return False
        if not writes_itself(root):
            return None
        with self._tables_as_python(root) as py:
            data = torch.serialize(py, "binary")
        return self._lua_view(torch.deserialize(data, "binary", allow_functions=True))

    def _lua_view(self, obj):
        """A loaded object as Lua's torch.load gives it (Lua functions, Lua tables, 1-based
        classes), still a Python object."""
        return objects.to_lua_view(obj, conv=self.conv, setfield=self.methods.setfield)

    def _to_py_obj(self, obj):
        if type(obj) is LuaTable:
            return bridge.to_py_shared(obj, self._ident)
        if type(obj) is objects.ListView:
            return obj._l
        return obj

    def _from_py_obj(self, obj):
        self._lua_view(obj)
        return self.conv.to_lua_shared(obj)

    # -- optim: Lua tables as the config/state dicts, copied back after each step -----------------
    def _optim(self, name, opfunc, x, config=None, state=None, *rest):
        import pytorch_lite.optim as optim
        fn = getattr(optim, name)
        cfg = {} if config is None else dict(config.items())
        st = cfg if state is None else dict(state.items())
        cfg = {k: to_py(v) for k, v in cfg.items()}
        if state is None:
            st = cfg
        else:
            st = {k: to_py(v) for k, v in st.items()}

        def f(t):
            r = opfunc(t)
            return r if type(r) is tuple else (r,)
        out = fn(f, x, cfg, st, *rest)
        for src, dst in ((cfg, config), (st, state)):
            if dst is not None:
                for k, v in src.items():
                    dst[k] = self.conv.to_lua(v)
        return self.conv.result(out)

    def _optim_plain(self, name, *args):
        import pytorch_lite.optim as optim
        return self.conv.result(getattr(optim, name)(*args_to_py(args)))

    # -- output and errors -------------------------------------------------------------------------
    def _write_out(self, s):
        try:
            (self._stdout or sys.stdout).write(s)
        except BrokenPipeError:
            # the reader went away (`pytorch-lite run x.lua | head`): the script ends there, as
            # `th` ends by SIGPIPE (exit status 128 + 13), without a Lua traceback
            self._exit = 141
            raise

    def _write_err(self, s):
        (self._stderr or sys.stderr).write(s)

    def _flush(self):
        (self._stdout or sys.stdout).flush()

    def _set_exit(self, code):
        self._exit = int(code)

    @staticmethod
    def _describe_error(e):
        """(message, located) for a Python exception raised under a call from Lua; located: the
        message is a Lua error that already names its file:line (Lua code run from Python)."""
        if isinstance(e, BaseException):
            if isinstance(e, _lupa.LuaError):
                msg = str(e)
                cut = msg.find("\nstack traceback:")
                return (msg if cut < 0 else msg[:cut]), True
            if os.environ.get("LUA_COMPAT_PYTRACE"):
                import traceback
                return "".join(traceback.format_exception(type(e), e, e.__traceback__)), False
            return "%s: %s" % (type(e).__name__, e), False
        return None, False

    # -- running Lua -------------------------------------------------------------------------------
    def execute(self, code, *args):
        """Run a Lua chunk (a string); returns its results."""
        return self._protected(self.lua.eval("_lua_compat_load")(code, "=(string)"), args)

    def run_file(self, path, argv=()):
        """Run a Lua script as `th path argv...` would; returns its results.
        Raises LuaExit on os.exit and LuaScriptError on a Lua error."""
        g = self.lua.globals()
        script_dir = os.path.dirname(os.path.abspath(path))
        g.package.path = "%s/?.lua;%s/?/init.lua;%s" % (script_dir, script_dir, g.package.path)
        argt = self.lua.table_from(list(argv))
        argt[0] = path
        g.arg = argt
        chunk = self.lua.eval("_lua_compat_loadfile")(path)
        return self._protected(chunk, tuple(argv))

    def _protected(self, chunk, args):
        if isinstance(chunk, tuple) or chunk is None:
            msg = chunk[1] if isinstance(chunk, tuple) else "cannot load chunk"
            raise LuaScriptError(str(msg))
        self._exit = None
        bridge.ACTIVE.append(self)
        try:
            res = self.lua.eval("_lua_compat_run")(chunk, *args)
        finally:
            bridge.ACTIVE.pop()
        res = res if isinstance(res, tuple) else (res,)
        ok = res[0]
        if not ok:
            if self._exit is not None:
                code, self._exit = self._exit, None
                raise LuaExit(code)
            raise LuaScriptError(str(res[1]))
        rest = res[1:]
        if not rest:
            return None
        return rest[0] if len(rest) == 1 else rest

    def globals(self):
        return self.lua.globals()


def _pointer(obj):
    """torch.pointer: an object's identity as a number (a number, e.g. from s:data(), is one)."""
    if isinstance(obj, (int, float)) and not isinstance(obj, bool):
        return obj
    t = type(obj)
    if t is objects.ListView:   # a view stands for its list: the same number for every view of it
        return id(obj._l)
    if t is objects.DictView:
        return id(obj._d)
    return id(obj)


def _truncated(v):
    """A size or offset as Torch7's C read it (luaL_checklong): a non-integer number truncated."""
    if type(v) is float and v == v and v not in (float("inf"), float("-inf")) and not v.is_integer():
        return int(v)
    return v


def _size_ops():
    """Declared operations whose every number argument is a size (resize, view, zeros, ...)."""
    out = []
    for name, d in _decl.DECLS.items():
        ok = any(ov.varsizes for ov in d.overloads)
        for ov in d.overloads:
            if any(a.kind not in ("T", "G", "Z") for a in ov.args):
                ok = False
        if ok:
            out.append(name)
    return out


def _format_f(spec, x):
    """'%<spec>f' of x when x is an exact decimal tie at that precision (half away from zero, as
    Torch7's LuaJIT printed it); None otherwise (Lua's own formatting is then exact)."""
    from decimal import Decimal, ROUND_HALF_UP
    import re
    m = re.fullmatch(r"([-+ #0]*)(\d*)(?:\.(\d*))?", spec)
    if not m or x != x or x in (float("inf"), float("-inf")):
        return None
    prec = int(m.group(3) or 0) if m.group(3) is not None else 6
    d = Decimal(x)
    q = Decimal(1).scaleb(-prec)
    if (d / q) % 1 != Decimal("0.5") and (d / q) % 1 != Decimal("-0.5"):
        return None
    r = d.quantize(q, rounding=ROUND_HALF_UP)
    return ("%" + m.group(1) + m.group(2) + "s") % (("%." + str(prec) + "f") % r if False else format(r, "." + str(prec) + "f"))
