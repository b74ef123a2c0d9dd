"""Type conversions reproduce what a real Torch7 (x86_64) returned: every result of the
`conversions` topic in ../shared/fixtures/torch7/tensor/, out-of-range casts included."""
import pytest

import pytorch_lite as torch
import t7index

TOPIC = t7index.load()["conversions"]
INPUTS = {name: t7index.tensor(t) for name, t in TOPIC["inputs"].items()}

CASES = {
    "big:double()": lambda v: v["big"].double(),
    "big:float()": lambda v: v["big"].float(),
    "big:int()": lambda v: v["big"].int(),
    "by:char()": lambda v: v["by"].char(),
    "by:double()": lambda v: v["by"].double(),
    "by:float()": lambda v: v["by"].float(),
    "by:long()": lambda v: v["by"].long(),
    "ch:byte()": lambda v: v["ch"].byte(),
    "ch:double()": lambda v: v["ch"].double(),
    "ch:short()": lambda v: v["ch"].short(),
    "d:byte()": lambda v: v["d"].byte(),
    "d:char()": lambda v: v["d"].char(),
    "d:float()": lambda v: v["d"].float(),
    "d:float():byte()": lambda v: v["d"].float().byte(),
    "d:float():double()": lambda v: v["d"].float().double(),
    "d:float():long()": lambda v: v["d"].float().long(),
    "d:float():long():byte()": lambda v: v["d"].float().long().byte(),
    "d:int()": lambda v: v["d"].int(),
    "d:long()": lambda v: v["d"].long(),
    "d:short()": lambda v: v["d"].short(),
    "f:double()": lambda v: v["f"].double(),
    "f:int()": lambda v: v["f"].int(),
    "f:long()": lambda v: v["f"].long(),
    "torch.LongTensor({-3, 4}):typeAs(torch.FloatTensor())":
        lambda v: torch.LongTensor([-3, 4]).typeAs(torch.FloatTensor()),
    'torch.Tensor({1, 2, 3}):type("torch.IntTensor")': lambda v: torch.Tensor([1, 2, 3]).type("torch.IntTensor"),
}


def test_every_fixture_expression_is_covered():
    assert sorted(TOPIC["results"]) == sorted(CASES)


@pytest.mark.parametrize("expr", sorted(CASES))
def test_conversion(expr):
    want = TOPIC["results"][expr]
    got = CASES[expr](INPUTS)
    assert torch.typename(got) == want[0]
    t7index.check(got, want, rel=0)


@pytest.mark.parametrize("name", ["Byte", "Char", "Short", "Int", "Long", "Float"])
def test_copy_into_uses_the_same_rules(name):
    cls = getattr(torch, name + "Tensor")
    got = cls(INPUTS["d"].nElement()).copy(INPUTS["d"])
    t7index.check(got, TOPIC["results"]["d:%s()" % name.lower()], rel=0)
