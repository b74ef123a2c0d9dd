"""What we write runs in Torch7: for every harness case with a Torch7 fixture, the module we write
(after the same forward/backward) has every field the Torch7-written module has, with the same
Lua type (a size is a torch.LongStorage, a table a table, a tensor of the same class).

Allowed differences, both harmless to Torch7: tensor work buffers Torch7 creates on demand in
forward (``self._x = self._x or input.new()``) may be absent, and we may write extra fields."""
import os
import tempfile

import pytest

import pytorch_lite as torch
from pytorch_lite.storage import Storage
from pytorch_lite.tensor import Tensor

import nn_cases as C

CASES = [c for c in C.CASES if c.fixture and os.path.exists(os.path.join(C.FIXTURES, c.fixture + ".t7"))]


def lua_kind(v):
    """The Lua type Torch7 would see for a value read by the minimal (independent) t7 reader."""
    if v is None:
        return "nil"
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, str):
        return "string"
    if isinstance(v, dict):
        return "table"
    if isinstance(v, C.T7Object):
        return v.cls
    if isinstance(v, (Tensor, Storage)):
        return v.typename
    return type(v).__name__


def _is_tensor_kind(k):
    return k.startswith("torch.") and k.endswith("Tensor")


def written_fields(obj):
    fd, path = tempfile.mkstemp(suffix=".t7")
    os.close(fd)
    try:
        torch.save(path, obj)
        return C._mini_load(path)
    finally:
        os.remove(path)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_written_module_has_torch7s_fields_and_types(case):
    m = C.check_fixture(case)
    ours = written_fields(m)
    theirs = C._mini_load(os.path.join(C.FIXTURES, case.fixture + ".t7"))["module"]
    assert ours.cls == theirs.cls
    a = {k: lua_kind(v) for k, v in ours.fields.items()}
    b = {k: lua_kind(v) for k, v in theirs.fields.items()}
    missing = {k: t for k, t in b.items() if k not in a and not _is_tensor_kind(t)}
    assert not missing, "%s: fields Torch7 writes and we do not: %s" % (case.name, missing)
    differ = {k: (a[k], b[k]) for k in a if k in b and a[k] != b[k]}
    assert not differ, "%s: (ours, Torch7's) types differ: %s" % (case.name, differ)


def test_sizes_are_long_storages():
    from pytorch_lite import nn
    r = nn.Reshape(3, 4)
    r.forward(torch.rand(2, 12))
    f = written_fields(r).fields
    assert f["size"].typename == f["batchsize"].typename == "torch.LongStorage"
    assert f["size"].tolist() == [3, 4] and f["batchsize"].tolist() == [2, 3, 4]
    j = nn.JoinTable(1)
    j.forward([torch.rand(2, 3), torch.rand(2, 5)])
    assert written_fields(j).fields["size"].tolist() == [2, 8]
    mc = nn.MultiCriterion().add(nn.MSECriterion(), 0.5)
    w = written_fields(mc).fields["weights"]
    assert w.typename == "torch.DoubleStorage" and w.tolist() == [0.5]
    fd, path = tempfile.mkstemp(suffix=".t7")
    os.close(fd)
    try:
        torch.save(path, j)
        assert torch.load(path).size == [2, 8]   # read back as the list the module uses
    finally:
        os.remove(path)


def test_flatten_table_input_map_is_one_based_in_files():
    from pytorch_lite import nn
    m = nn.FlattenTable()
    a, b, c = torch.rand(1), torch.rand(2), torch.rand(3)
    out = m.forward([a, [b, [c]]])
    assert m.input_map == [0, [1, [2]]] and out[2] is c
    assert m.forward([a, [b, [c]]]) is out   # same structure: the same table
    f = written_fields(m).fields["input_map"]
    assert f == {1: 1, 2: {1: 2, 2: {1: 3}}}
