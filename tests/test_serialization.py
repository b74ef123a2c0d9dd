"""t7 serialization: the public Torch7 files, tensors we build writing Torch7's bytes, Python values,
references, registry hooks, Cuda types and functions."""
import math
import os
import struct

import numpy as np
import pytest

import pytorch_lite as torch
from pytorch_lite import serialization as t7
from pytorch_lite.serialization import (T7FormatError, T7FunctionError, TorchObject, LuaFunction, LuaKey,
                                        LuaList, TdsHash, TdsVec, original_typename)

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "fixtures"))
SER = os.path.join(SHARED, "torch7", "serialization")
PUBLIC = os.path.join(SHARED, "public")


def _manifest():
    path = os.path.join(PUBLIC, "MANIFEST.tsv")
    if not os.path.exists(path):
        return []
    rows = [line.split("\t") for line in open(path).read().splitlines()[1:] if line.strip()]
    return [r[0] for r in rows]


PUBLIC_FILES = _manifest()
NOT_T7 = "pytorch-aux-reward-rl/model.t7"
needs_public = pytest.mark.skipif(not PUBLIC_FILES, reason="../shared/fixtures/public is absent")
needs_ser = pytest.mark.skipif(not os.path.isdir(SER), reason="../shared/fixtures/torch7/serialization is absent")


# -- the public Torch7 files --------------------------------------------------------------------
@needs_public
@pytest.mark.parametrize("name", [n for n in PUBLIC_FILES if n != NOT_T7])
def test_public_file_loads_and_writes_back_identically(name):
    path = os.path.join(PUBLIC, name)
    data = open(path, "rb").read()
    obj = torch.load(path, allow_functions=True, use_registry=False)
    mode, longsize = t7.inspect_file(path)
    assert torch.serialize(obj, mode, longsize=longsize, restore_cuda=True) == data


@needs_public
def test_public_non_t7_file_is_rejected_clearly():
    path = os.path.join(PUBLIC, NOT_T7)
    with pytest.raises(T7FormatError) as e:
        torch.load(path)
    assert e.value.offset == 0
    assert "not a Torch7 t7 file" in str(e.value) and "type tag" in str(e.value)
    assert isinstance(e.value, ValueError) and isinstance(e.value, torch.TorchError)


@needs_public
def test_public_contents():
    P = lambda n: os.path.join(PUBLIC, "python-torchfile", "testfiles_x86_64__" + n)
    t = torch.load(P("doubletensor.t7"))
    assert type(t) is torch.DoubleTensor and t._a.tolist() == [[1, 2, 3], [4, 5, 6.9]]
    f = torch.load(P("floattensor.t7"))
    assert type(f) is torch.FloatTensor and f._size == (2, 3, 4)
    assert abs(float(f._a.astype(np.float64).sum()) - 12.97241666913) < 1e-6
    assert torch.load(P("hello=123.t7")) == {"hello": 123}
    assert torch.load(P("list_table.t7")) == ["hello", "world", "third item", 123]
    assert torch.load(P("map_table1.t7")) == {0: "zero", 1: "hello", 2: "world", 3: "third item", 4: 123}
    m2 = torch.load(P("map_table2.t7"))
    assert m2 == {1: "hello", 2: "world", 3: "third item", 4: 123, "a": "non number key"}
    c = torch.load(P("custom_class.t7"), use_registry=False)
    assert isinstance(c, TorchObject) and c.typename == "Blah" and c.fields == {}
    r = torch.load(P("recursive_class.t7"), use_registry=False)
    assert r.typename == "A" and r.a is r
    kv = torch.load(P("recursive_kv_table.t7"))
    (k, v), = kv.items()
    assert isinstance(k, LuaKey) and k.value is kv and v is kv
    h = torch.load(P("tds_hash.t7"))
    assert isinstance(h, TdsHash) and h == {1: 2, 2: 3, 10: 11} and list(h) == [2, 10, 1]
    vec = torch.load(P("tds_vec.t7"))
    assert isinstance(vec, TdsVec) and vec == [123, 456]
    g = torch.load(P("gmodule_with_linear_identity.t7"), use_registry=False)
    assert g.typename == "nn.gModule" and len(g.modules) == 4
    assert [m.typename for m in g.modules] == ["nn.Identity", "nn.Identity", "nn.Linear", "nn.CAddTable"]
    a = torch.load(os.path.join(PUBLIC, "program-generator", "test.t7"))  # an ascii file
    assert type(a) is torch.DoubleTensor and a._size == (5,)


@needs_public
def test_gpu_saved_model_loads_as_cpu():
    path = os.path.join(PUBLIC, "DeepLearning_HW1", "model.t7")
    data = open(path, "rb").read()
    m = torch.load(path, use_registry=False)
    assert m.typename == "nn.Sequential"
    names = [x.typename for x in m.modules]
    assert names == ["nn.View", "nn.Linear", "nn.ReLU", "nn.Linear", "nn.ReLU", "nn.Linear", "nn.LogSoftMax"]
    lin = m.modules[1]
    assert type(lin.weight) is torch.FloatTensor
    assert original_typename(lin.weight) == "torch.CudaTensor"
    assert original_typename(lin.weight.storage()) == "torch.CudaStorage"
    # the bytes of the weight are the file's bytes (CudaStorage holds floats)
    raw = lin.weight.storage()._data.tobytes()
    assert data.find(raw) > 0
    # a CPU copy by default, the GPU names back on request
    cpu = torch.serialize(m)
    assert b"V 1\x10\x00\x00\x00torch.CudaTensor" not in cpu and b"torch.CudaStorage" not in cpu
    assert b"V 1\x11\x00\x00\x00torch.FloatTensor" in cpu and b"torch.FloatStorage" in cpu
    assert torch.serialize(m, restore_cuda=True) == data
    # cuda_as maps every Cuda* type to the chosen one; values convert exactly
    d = torch.load(path, cuda_as="torch.DoubleTensor", use_registry=False)
    assert type(d.modules[1].weight) is torch.DoubleTensor
    assert np.array_equal(d.modules[1].weight._a, lin.weight._a.astype(np.float64))
    assert torch.serialize(d, restore_cuda=True) == data


@needs_public
def test_functions_are_refused_unless_allowed():
    path = os.path.join(PUBLIC, "python-torchfile", "testfiles_x86_64__function_upvals.t7")
    with pytest.raises(T7FunctionError) as e:
        torch.load(path)
    assert e.value.offset == 0 and "allow_functions=True" in str(e.value)
    assert isinstance(e.value, T7FormatError)
    f = torch.load(path, allow_functions=True)
    assert isinstance(f, LuaFunction) and f.bytecode.startswith(b"\x1bLJ")
    assert f.upvalues == [{"name": "asdf", "value": 123}]
    assert torch.serialize(f) == open(path, "rb").read()


# -- tensors and storages we build write Torch7's bytes -------------------------------------------
def _walk_tensor(name):
    from tests.test_serialization_walk import parse_walk, _TENSOR
    root = parse_walk(os.path.join(SER, name + ".bin.txt"))
    m = _TENSOR.match(root.text)
    size = tuple(int(x) for x in m.group(3).split(","))
    vals = [d for d in root.details if d.startswith("tensor values")][0].split(":", 1)[1].split()
    return m.group(1), size, vals


@needs_ser
@pytest.mark.parametrize("name", ["tensor_byte", "tensor_char", "tensor_short", "tensor_int", "tensor_long",
                                  "tensor_float", "tensor_double", "tensor_3d"])
def test_new_tensor_writes_torch7_bytes(name):
    typename, size, vals = _walk_tensor(name)
    cls = torch.TENSOR_TYPES[typename]
    if cls.dtype.kind in "iu":
        arr = np.array([int(v) for v in vals], dtype=cls.dtype)
    else:
        # nan made by 0/0 on x86 has the sign bit set (Torch7's ascii file prints it as -nan)
        arr = np.array([-math.nan if v == "nan" else float(v) for v in vals], dtype=np.float64).astype(cls.dtype)
    t = cls(arr.reshape(size))
    for suffix, kw in (("bin", {}), ("b32", {"longsize": 4}), ("ascii", {"mode": "ascii"})):
        assert torch.serialize(t, **kw) == open(os.path.join(SER, "%s.%s.t7" % (name, suffix)), "rb").read(), suffix


@needs_ser
def test_new_storages_write_torch7_bytes():
    ref = torch.load(os.path.join(SER, "storages.bin.t7"))
    values = {"byte": [0, 200, 255], "char": [104, 105, 0, 33], "double": [3.1415926535897931, -1e-300],
              "float": [0.5, -0.25], "int": [-7, 65536], "long": [1, -1, 1099511627776], "short": [-2, 300]}
    made = {k: getattr(torch, k.capitalize() + "Storage")(values[k]) for k in ref}  # the file's key order
    for suffix, kw in (("bin", {}), ("b32", {"longsize": 4}), ("ascii", {"mode": "ascii"})):
        assert torch.serialize(made, **kw) == open(os.path.join(SER, "storages.%s.t7" % suffix), "rb").read()


def test_views_keep_sharing_a_storage():
    base = torch.DoubleTensor(np.arange(20.0).reshape(4, 5))
    t = base.t()
    col = base.select(1, 2)
    obj = {"base": base, "t": t, "col": col, "s": base.storage()}
    back = torch.deserialize(torch.serialize(obj))
    st = back["base"].storage()
    assert back["t"].storage() is st and back["col"].storage() is st and back["s"] is st
    assert back["t"]._stride == (1, 5) and back["col"].storageOffset() == 2
    assert np.array_equal(back["col"]._a, np.arange(20.0).reshape(4, 5)[:, 2])


def test_empty_and_nil_storage_tensors():
    e = torch.DoubleTensor()
    e._storage = None
    back = torch.deserialize(torch.serialize([e, torch.LongTensor(), torch.FloatStorage()]))
    assert back[0].dim() == 0 and back[0].storage() is None
    assert back[2].size() == 0


def test_half_tensors_round_trip():
    h = torch.HalfTensor(np.array([1.5, -2.0, 65504.0, 0.0], dtype=np.float16))
    for kw in ({}, {"mode": "ascii"}, {"longsize": 4}):
        back = torch.deserialize(torch.serialize(h, **kw), **kw)
        assert type(back) is torch.HalfTensor and back._a.tolist() == [1.5, -2.0, 65504.0, 0.0]


# -- Python values --------------------------------------------------------------------------------
@pytest.mark.parametrize("kw", [{}, {"mode": "ascii"}, {"longsize": 4}])
def test_python_values_round_trip(kw):
    obj = {"i": 5, "f": 5.5, "neg0": -0.0, "big": 2.0 ** 63, "huge": 2.0 ** 64, "inf": math.inf,
           "nan": math.nan, "s": "héllo", "b": b"\xff\x00raw", "t": True, "no": False,
           "list": [1, "two", [3.0]], "nested": {"k": {"k2": 1}}, 1.5: "float key", -3: "neg key"}
    back = torch.deserialize(torch.serialize(obj, **kw), **kw)
    assert list(back) == list(obj)
    assert back["i"] == 5 and type(back["i"]) is int
    assert type(back["f"]) is float and back["f"] == 5.5
    assert type(back["neg0"]) is float and math.copysign(1, back["neg0"]) < 0
    assert type(back["big"]) is float and back["big"] == 2.0 ** 63
    assert type(back["huge"]) is float and back["huge"] == 2.0 ** 64
    assert back["inf"] == math.inf and math.isnan(back["nan"])
    assert back["s"] == "héllo" and back["b"] == b"\xff\x00raw"
    assert back["t"] is True and back["no"] is False
    assert back["list"] == [1, "two", [3]] and back["nested"] == {"k": {"k2": 1}}
    assert back[1.5] == "float key" and back[-3] == "neg key"
    assert torch.serialize(back, **kw) == torch.serialize(obj, **kw)


def test_numbers_are_doubles_in_the_file():
    assert torch.serialize(7) == struct.pack("<id", 1, 7.0)
    assert torch.serialize(2 ** 53 + 1) == struct.pack("<id", 1, float(2 ** 53))  # like Lua
    with pytest.raises(torch.TorchValueError):
        torch.serialize(10 ** 400)


def test_tuples_write_as_lists_and_lists_of_keys_1_to_n_load_as_lists():
    assert torch.deserialize(torch.serialize((1, 2))) == [1, 2]
    assert torch.deserialize(torch.serialize({1: "a", 2: "b"})) == ["a", "b"]
    assert torch.deserialize(torch.serialize({})) == {}
    assert torch.deserialize(torch.serialize({2: "b", 3: "c"})) == {2: "b", 3: "c"}


def test_none_values_are_left_out_like_lua_nil():
    assert torch.deserialize(torch.serialize({"a": 1, "gone": None})) == {"a": 1}
    assert torch.deserialize(torch.serialize([1, None, 3])) == {1: 1, 3: 3}
    assert torch.serialize({"a": None}) == torch.serialize({})


def test_out_of_order_array_keys_keep_their_order():
    data = torch.serialize({2: "b", 1: "a", 3: "c"})
    back = torch.deserialize(data)
    assert isinstance(back, LuaList) and back == ["a", "b", "c"] and back.key_order == [2, 1, 3]
    assert torch.serialize(back) == data


def test_boolean_keys_next_to_numbers_0_and_1():
    obj = {LuaKey(True): "t", 1: "one", LuaKey(False): "f", 0: "zero"}
    back = torch.deserialize(torch.serialize(obj))
    assert back == obj
    assert torch.deserialize(torch.serialize({True: "only bools"})) == {True: "only bools"}


def test_shared_references_and_cycles():
    shared = {"x": 1}
    d = {"a": shared, "b": shared}
    d["self"] = d
    back = torch.deserialize(torch.serialize(d))
    assert back["a"] is back["b"] and back["self"] is back
    # without references every occurrence is written in full; a cycle cannot be written then
    flat = torch.deserialize(torch.serialize({"a": shared, "b": shared}, referenced=False), referenced=False)
    assert flat["a"] == flat["b"] and flat["a"] is not flat["b"]
    with pytest.raises(torch.TorchValueError):
        torch.serialize(d, referenced=False)


def test_a_list_that_contains_itself_loads_as_a_dict():
    lst = [1]
    lst.append(lst)
    back = torch.deserialize(torch.serialize(lst))
    assert isinstance(back, dict) and back[2] is back and back[1] == 1


def test_unwritable_values_raise_our_type_error():
    with pytest.raises(torch.TorchTypeError):
        torch.serialize({"f": lambda: 1})
    with pytest.raises(torch.TorchTypeError):
        torch.serialize(np.zeros(3))


def test_save_and_load_files(tmp_path):
    obj = {"w": torch.FloatTensor(np.arange(6, dtype=np.float32).reshape(2, 3)), "n": 3}
    for mode in ("binary", "ascii"):
        p = tmp_path / ("x." + mode)
        torch.save(str(p), obj, mode)
        back = torch.load(str(p))
        assert back["n"] == 3 and back["w"]._a.tolist() == [[0, 1, 2], [3, 4, 5]]
    p = tmp_path / "b32.t7"
    torch.save(p, obj, longsize=4)
    assert t7.inspect_file(p) == ("binary", 4)
    assert torch.load(p, "b32")["w"]._size == (2, 3)
    with open(p, "rb") as f:
        assert torch.load(f)["n"] == 3


def test_a_failed_save_leaves_no_file(tmp_path):
    p = tmp_path / "bad.t7"
    with pytest.raises(torch.TorchTypeError):
        torch.save(p, {"ok": 1, "bad": object()})
    assert not p.exists()


def test_options_are_checked():
    with pytest.raises(torch.TorchValueError):
        torch.serialize(1, mode="text")
    with pytest.raises(torch.TorchValueError):
        torch.deserialize(b"\0\0\0\0", longsize=2)
    with pytest.raises(torch.TorchValueError):
        torch.deserialize(b"\0\0\0\0", cuda_as="torch.NopeTensor")


# -- the registry -------------------------------------------------------------------------------
class _Blah:
    """Uses the read-before-fields hooks (cycles through the object see the object)."""

    def __t7_read__(self, fields, version):
        self.fields = fields
        self.version = version

    def __t7_write__(self):
        return self.fields


class _Point:
    """Uses the simple classmethod hooks."""

    def __init__(self, x, y):
        self.x, self.y = x, y

    @classmethod
    def from_t7(cls, fields, version):
        return cls(fields["x"], fields["y"])

    def to_t7(self):
        return {"x": self.x, "y": self.y}


def test_registered_classes_read_and_write():
    t7.register_class("A", _Blah)
    t7.register_class("test.Point", _Point)
    try:
        obj = TorchObject("A", {"name": "a"})
        obj.fields["me"] = obj
        data = torch.serialize([obj, _Point(1, 2.5)])
        back = torch.deserialize(data)
        a, p = back
        assert isinstance(a, _Blah) and a.fields["me"] is a and a.version == 1
        assert isinstance(p, _Point) and (p.x, p.y) == (1, 2.5)
        assert torch.serialize(back) == data
    finally:
        t7.unregister_class("A")
        t7.unregister_class("test.Point")
    generic = torch.deserialize(data)
    assert isinstance(generic[1], TorchObject) and generic[1].typename == "test.Point"


def test_register_class_checks_its_arguments():
    with pytest.raises(torch.TorchTypeError):
        t7.register_class("x.Y", object)
    with pytest.raises(torch.TorchTypeError):
        t7.register_class("", _Point)


def test_versionless_objects_write_back_without_version():
    obj = TorchObject("Old", {"a": 1}, version=None)
    data = torch.serialize(obj)
    assert b"V " not in data
    back = torch.deserialize(data)
    assert back.version is None and back.typename == "Old" and back.a == 1
    assert torch.serialize(back) == data


def test_top_level_exports():
    assert torch.load is t7.load and torch.save is t7.save
    assert torch.serialize is t7.serialize and torch.deserialize is t7.deserialize


@pytest.mark.skipif(not os.path.isdir(SER), reason="../shared/fixtures are absent")
def test_registered_nn_classes_write_back_identically():
    """With the nn classes registered, every Torch7 file still writes back byte for byte (the
    registry keeps each object's version string)."""
    import glob
    pytest.importorskip("pytorch_lite.nn")
    paths = sorted(glob.glob(os.path.join(SER, "*.t7")))
    paths += sorted(glob.glob(os.path.join(SHARED, "torch7", "modules", "*.t7")))
    paths += [os.path.join(PUBLIC, n) for n in PUBLIC_FILES if n != NOT_T7]
    bad = []
    for p in paths:
        name = os.path.basename(p)
        ref = not name.startswith("noref")
        mode, longsize = t7.inspect_file(p)
        data = open(p, "rb").read()
        obj = torch.deserialize(data, mode, longsize=longsize, referenced=ref, allow_functions=True)
        if torch.serialize(obj, mode, longsize=longsize, referenced=ref, restore_cuda=True) != data:
            bad.append(name)
    assert not bad


def test_registered_object_keeps_its_version_string():
    t7.register_class("test.Versioned", _Blah)
    try:
        data = torch.serialize(TorchObject("test.Versioned", {"a": 1}, version="V 7"))
        back = torch.deserialize(data)
        assert isinstance(back, _Blah) and back.version == 7
        assert torch.serialize(back) == data
        fresh = _Blah()
        fresh.fields = {"a": 1}
        assert b"V 1" in torch.serialize(fresh)
    finally:
        t7.unregister_class("test.Versioned")
