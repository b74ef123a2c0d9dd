"""A table-module pipeline built by pytorch-lite (in Python or from Lua) and saved must run in the
real Torch7: every module writes the fields Torch7's own code reads, with Torch7's types.  The
reference is what Torch7 itself wrote for the same modules (fixtures/torch7/modules)."""
import io
import os

import pytest

import pytorch_lite as torch
from pytorch_lite import nn
from pytorch_lite.serialization.types import TorchObject
from lua_compat import Runtime
from fixture_paths import TORCH7

MODULES = os.path.join(TORCH7, "modules")
pytestmark = pytest.mark.skipif(not os.path.isdir(MODULES), reason="Torch7 fixtures not present")

# fields Torch7 creates lazily on forward (guarded by `or` in its code) or leaves nil: a file
# may hold them or not; `train` exists only after training()/evaluate() (the fixtures called it)
OPTIONAL = {"train", "inplace", "outputSize", "totalOutputSize", "input_map", "shared", "_sharedAccUpdate"}


def _desc(v):
    if isinstance(v, (torch.Tensor, torch.Storage)):
        return v.typename
    if isinstance(v, TorchObject):
        return v.typename
    if isinstance(v, bool):
        return "boolean"
    if isinstance(v, (int, float)):
        return "number"
    if isinstance(v, (list, dict)):
        return "table"
    return type(v).__name__


def _compare(ref, ours, path, out):
    assert ref.typename == ours.typename, path
    a, b = ref.fields, ours.fields
    for k in set(a) | set(b):
        if k in OPTIONAL:
            continue
        if k not in b or k not in a:
            out.append("%s: %s only in %s" % (path, k, "Torch7's" if k in a else "ours"))
            continue
        if _desc(a[k]) != _desc(b[k]):
            out.append("%s.%s: %s vs %s" % (path, k, _desc(a[k]), _desc(b[k])))
        if isinstance(a[k], list) and isinstance(b[k], list):
            for i, (x, y) in enumerate(zip(a[k], b[k])):
                if isinstance(x, TorchObject) and isinstance(y, TorchObject):
                    _compare(x, y, "%s.%s[%d]" % (path, k, i), out)


def _ref(case):
    return torch.load(os.path.join(MODULES, case + ".t7"), use_registry=False)["module"]


def _written(m):
    return torch.deserialize(torch.serialize(m), use_registry=False)


def test_python_built_table_modules_write_torch7s_fields():
    torch.manualSeed(1)
    cases = {
        "JoinTable": (nn.JoinTable(1), [torch.randn(2, 3), torch.randn(2, 4)]),
        "ConcatTable": (nn.ConcatTable().add(nn.Linear(4, 3)).add(nn.Tanh()), torch.randn(3, 4)),
        "ParallelTable": (nn.ParallelTable().add(nn.Linear(3, 2)).add(nn.Linear(4, 2)),
                          [torch.randn(2, 3), torch.randn(2, 4)]),
        "SplitTable": (nn.SplitTable(1), torch.randn(2, 3)),
        "CAddTable": (nn.CAddTable(), [torch.randn(3, 4), torch.randn(3, 4)]),
        "SelectTable": (nn.SelectTable(1), [torch.randn(2), torch.randn(3), torch.randn(4)]),
        "NarrowTable": (nn.NarrowTable(1, 2), [torch.randn(2), torch.randn(3), torch.randn(4), torch.randn(5)]),
    }
    out = []
    for case, (m, x) in cases.items():
        m.forward(x)
        _compare(_ref(case), _written(m), case, out)
    assert out == []
    # the buffer Torch7's JoinTable:updateOutput resizes without creating it
    assert _written(cases["JoinTable"][0]).fields["size"].typename == "torch.LongStorage"


def test_lua_built_pipeline_saved_holds_torch7s_fields(tmp_path):
    p = str(tmp_path / "pipe.t7")
    rt = Runtime(stdout=io.StringIO())
    rt.execute("""
        require 'nn'
        local m = nn.Sequential()
           :add(nn.ConcatTable():add(nn.Linear(4, 3)):add(nn.Tanh()))
           :add(nn.JoinTable(2))
           :add(nn.SplitTable(2))
           :add(nn.CAddTable())
        m:forward(torch.randn(3, 4))
        torch.save('%s', m)""" % p)
    raw = torch.load(p, use_registry=False)
    kinds = [mod.typename for mod in raw.fields["modules"]]
    assert kinds == ["nn.ConcatTable", "nn.JoinTable", "nn.SplitTable", "nn.CAddTable"]
    out = []
    for mod, case in zip(raw.fields["modules"], ("ConcatTable", "JoinTable", "SplitTable", "CAddTable")):
        _compare(_ref(case), mod, case, out)
    assert out == []
    join = raw.fields["modules"][1].fields
    assert join["dimension"] == 2 and join["size"].typename == "torch.LongStorage"
