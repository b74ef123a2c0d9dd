"""Storages and tensor views: TH's structural semantics, checked against numpy."""
import numpy as np
import pytest

import pytorch_lite as torch
from pytorch_lite.errors import TorchError, TorchIndexError, TorchTypeError, TorchValueError

TYPES = [torch.ByteTensor, torch.CharTensor, torch.ShortTensor, torch.IntTensor, torch.LongTensor,
         torch.FloatTensor, torch.DoubleTensor]


def arange(*shape, cls=torch.DoubleTensor):
    n = int(np.prod(shape))
    return cls(np.arange(n, dtype=cls.dtype).reshape(shape))


# -- storages -----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", ["Byte", "Char", "Short", "Int", "Long", "Float", "Double", "Half"])
def test_storage_basics(name):
    cls = getattr(torch, name + "Storage")
    s = cls(4)
    assert s.size() == 4 and len(s) == 4 and s.tolist() == [0, 0, 0, 0]
    s.fill(3)
    assert s.tolist() == [3, 3, 3, 3]
    s[1] = 7
    assert s[1] == 7 and s[-1] == 3
    s.resize(6)
    assert s.size() == 6 and s.tolist()[:4] == [3, 7, 3, 3]
    s.resize(2)
    assert s.tolist() == [3, 7]
    t = cls([1, 2, 3])
    assert t.tolist() == [1, 2, 3]
    u = cls(3).copy(torch.DoubleStorage([4, 5, 6]))
    assert u.tolist() == [4, 5, 6]
    assert torch.typename(s) == "torch.%sStorage" % name
    with pytest.raises(TorchIndexError):
        s[5]
    with pytest.raises(TorchValueError):
        cls(-1)


def test_storage_from_numpy_shares():
    a = np.arange(5.0)
    s = torch.DoubleStorage(a)
    s[0] = 42
    assert a[0] == 42


# -- construction and the default type -------------------------------------------------------------

def test_default_type_and_constructors():
    assert torch.getdefaulttensortype() == "torch.DoubleTensor"
    x = torch.Tensor(2, 3)
    assert torch.typename(x) == "torch.DoubleTensor" and isinstance(x, torch.Tensor)
    assert list(x.size()) == [2, 3] and x.size(1) == 3 and x.dim() == 2 and x.nElement() == 6
    torch.setdefaulttensortype("torch.FloatTensor")
    try:
        assert torch.typename(torch.Tensor(1)) == "torch.FloatTensor"
    finally:
        torch.setdefaulttensortype("torch.DoubleTensor")
    e = torch.Tensor()
    assert e.dim() == 0 and e.nElement() == 0 and e.storage() is None
    assert torch.Tensor(torch.LongStorage([2, 4])).size().tolist() == [2, 4]
    y = torch.Tensor([[1, 2], [3, 4]])
    assert y.tolist() == [[1, 2], [3, 4]]
    z = torch.Tensor(y)  # shares y's storage, as Torch7
    assert z.storage() is y.storage() and z.isSetTo(y)
    s = torch.DoubleStorage([1, 2, 3, 4, 5, 6])
    v = torch.Tensor(s, 1, (2, 2), (2, 1))
    assert v.tolist() == [[2, 3], [4, 5]]
    assert torch.isTensor(v) and not torch.isTensor(s) and torch.isStorage(s)
    with pytest.raises(TorchTypeError):
        torch.setdefaulttensortype("torch.NoSuchTensor")


def test_zero_size_drops_dims_like_TH():
    x = torch.Tensor(3, 0, 2)
    assert x.dim() == 1 and x.size(0) == 3
    x = torch.zeros(3) if hasattr(torch, "zeros") else torch.Tensor(3)
    x.resize(0)
    assert x.dim() == 0 and x.storage().size() == 3


# -- views share memory -----------------------------------------------------------------------------

def test_views_share_memory():
    x = arange(3, 4)
    n = x.narrow(1, 1, 2)
    assert n.tolist() == [[1, 2], [5, 6], [9, 10]] and n.storageOffset() == 1 and n.stride().tolist() == [4, 1]
    n.fill(-1)
    assert x.tolist()[0] == [0, -1, -1, 3]
    s = x.select(0, 2)
    assert s.tolist() == [8, -1, -1, 11] and s.dim() == 1
    s.fill(7)
    assert x.tolist()[2] == [7, 7, 7, 7]
    t = x.t()
    assert t.size().tolist() == [4, 3] and not t.isContiguous() and t.storage() is x.storage()
    assert np.array_equal(t.numpy(), x.numpy().T)


@pytest.mark.parametrize("cls", TYPES)
def test_view_ops_match_numpy(cls):
    x = arange(2, 3, 4, cls=cls)
    a = x.numpy()
    assert np.array_equal(x.transpose(0, 2).numpy(), a.transpose(2, 1, 0))
    assert np.array_equal(x.permute(2, 0, 1).numpy(), a.transpose(2, 0, 1))
    assert np.array_equal(x.view(6, 4).numpy(), a.reshape(6, 4))
    assert np.array_equal(x.view(-1, 8).numpy(), a.reshape(-1, 8))
    assert np.array_equal(x.sub(0, 0, 1, 2).numpy(), a[0:1, 1:3])
    assert np.array_equal(x.sub(0, -1, -2, -1).numpy(), a[:, 1:3])
    assert np.array_equal(x.unsqueeze(1).numpy(), a[:, None])
    assert np.array_equal(x.unsqueeze(3).numpy(), a[..., None])
    u = cls(np.arange(7, dtype=cls.dtype)).unfold(0, 3, 2)
    assert u.tolist() == [[0, 1, 2], [2, 3, 4], [4, 5, 6]]
    c = x.transpose(0, 1).contiguous()
    assert c.isContiguous() and np.array_equal(c.numpy(), a.transpose(1, 0, 2))
    cl = x.clone()
    assert cl.storage() is not x.storage() and np.array_equal(cl.numpy(), a)


def test_expand_squeeze():
    x = torch.Tensor([[1], [2], [3]])
    e = x.expand(3, 4)
    assert e.stride().tolist() == [1, 0] and e.tolist() == [[1] * 4, [2] * 4, [3] * 4]
    assert x.expandAs(torch.Tensor(3, 2)).size().tolist() == [3, 2]
    with pytest.raises(TorchValueError):
        x.expand(2, 4)
    y = torch.Tensor(1, 3, 1)
    assert y.squeeze().size().tolist() == [3]
    assert y.squeeze(0).size().tolist() == [3, 1]
    assert y.squeeze(1).size().tolist() == [1, 3, 1]
    assert torch.Tensor(1, 1).squeeze().size().tolist() == [1]  # TH keeps one dim


def test_view_errors():
    x = arange(3, 4)
    with pytest.raises(TorchValueError, match="contiguous"):
        x.t().view(12)
    with pytest.raises(TorchValueError):
        x.view(5, 3)
    with pytest.raises(TorchIndexError):
        x.narrow(0, 2, 2)
    with pytest.raises(TorchIndexError):
        x.select(2, 0)
    with pytest.raises(TorchIndexError):
        x.transpose(0, 5)
    with pytest.raises(TorchError):
        x.permute(0, 0)


def test_resize_keeps_storage_when_big_enough():
    x = torch.Tensor(4, 5)
    st = x.storage()
    x.resize(2, 3)
    assert x.storage() is st and st.size() == 20 and x.size().tolist() == [2, 3]
    x.resize(5, 5)
    assert x.storage() is st and st.size() == 25
    y = torch.Tensor(7)
    y.resizeAs(x)
    assert y.isSameSizeAs(x)


def test_resize_invalidates_views_numpy_cache():
    x = torch.Tensor(2).fill(1)
    v = torch.Tensor(x)
    x.resize(10)  # reallocates the shared storage: v must see the new memory
    x.fill(5)
    assert v.tolist() == [5, 5]


def test_set_and_bounds():
    s = torch.DoubleStorage(10)
    x = torch.Tensor().set(s, 2, (2, 3))
    assert x.storageOffset() == 2 and x.storage() is s
    with pytest.raises(TorchValueError):
        torch.Tensor().set(s, 5, (2, 3))
    y = torch.Tensor().set(x)
    assert y.isSetTo(x)
    with pytest.raises(TorchTypeError):
        torch.FloatTensor().set(x)


# -- copy and type conversion -----------------------------------------------------------------------

@pytest.mark.parametrize("src", TYPES)
@pytest.mark.parametrize("dst", TYPES)
def test_copy_across_types(src, dst):
    vals = np.array([0, 1, 5, 100, 127], dtype=np.int64)
    x = src(vals.astype(src.dtype))
    y = dst(5).copy(x)
    assert y.tolist() == vals.astype(dst.dtype).tolist()
    assert x.type(dst.typename).tolist() == y.tolist()


def test_type_shorthands_and_c_cast_rules():
    d = torch.DoubleTensor([-1.7, 2.9, 300, -0.5])
    assert torch.typename(d.float()) == "torch.FloatTensor"
    assert d.double() is d
    assert d.long().tolist() == [-1, 2, 300, 0]     # truncation toward zero
    assert d.byte().tolist() == [255, 2, 44, 0]      # the C cast wraps (x86_64)
    assert torch.DoubleTensor([1e300]).byte().tolist() == [0]
    assert torch.DoubleTensor([2.0 ** 40]).int().tolist() == [-2 ** 31]
    assert d.type() == "torch.DoubleTensor"


def test_copy_needs_same_number_of_elements():
    x = torch.Tensor(2, 3)
    x.copy(torch.Tensor([1, 2, 3, 4, 5, 6]))  # shapes may differ, counts may not
    assert x.tolist() == [[1, 2, 3], [4, 5, 6]]
    with pytest.raises(TorchValueError):
        x.copy(torch.Tensor(5))


# -- Python indexing -------------------------------------------------------------------------------

def test_getitem_setitem_basic():
    x = arange(3, 4)
    assert x[1, 2] == 6 and x[-1, -1] == 11
    row = x[1]
    assert isinstance(row, torch.DoubleTensor) and row.tolist() == [4, 5, 6, 7]
    assert row[0] == 4
    col = x[:, 1]
    assert col.tolist() == [1, 5, 9] and col.storage() is x.storage()
    assert x[0:2, 1:3].tolist() == [[1, 2], [5, 6]]
    assert x[::2].tolist() == [[0, 1, 2, 3], [8, 9, 10, 11]]
    x[0] = 5
    assert x.tolist()[0] == [5, 5, 5, 5]
    x[:, 1] = torch.Tensor([-1, -2, -3])
    assert x.numpy()[:, 1].tolist() == [-1, -2, -3]
    x[2, 3] = 99
    assert x[2, 3] == 99
    with pytest.raises(TorchIndexError):
        x[3]
    with pytest.raises(TorchIndexError):
        x[0, 4]
    with pytest.raises(TorchTypeError):
        x["a"]


# -- numpy and DLPack -------------------------------------------------------------------------------

def test_numpy_roundtrip_no_copy():
    a = np.arange(12.0).reshape(3, 4)
    t = torch.from_numpy(a)
    assert torch.typename(t) == "torch.DoubleTensor"
    t.fill(1)
    assert a.sum() == 12
    b = t.numpy()
    b[0, 0] = 5
    assert a[0, 0] == 5
    assert np.shares_memory(np.asarray(t), a)
    tt = torch.from_numpy(a.T)  # strided arrays share too
    assert tt.stride().tolist() == [1, 4] and tt[0, 1] == a.T[0, 1]
    f = torch.from_numpy(np.zeros(3, np.float32))
    assert torch.typename(f) == "torch.FloatTensor"
    with pytest.raises(TorchTypeError):
        torch.from_numpy(np.zeros(3, np.complex128))


def test_dlpack():
    x = arange(2, 3)
    a = np.from_dlpack(x)
    assert np.shares_memory(a, x.numpy())
    y = torch.from_dlpack(np.arange(4.0))
    assert y.tolist() == [0, 1, 2, 3]
    import torch as pt
    p = pt.from_dlpack(x)
    assert p.tolist() == x.tolist()
    z = torch.from_dlpack(pt.arange(5, dtype=pt.float32))
    assert torch.typename(z) == "torch.FloatTensor" and z.tolist() == [0, 1, 2, 3, 4]


# -- callables -------------------------------------------------------------------------------------

def test_apply_map_map2():
    x = torch.Tensor([1, 2, 3])
    x.apply(lambda v: v * 10)
    assert x.tolist() == [10, 20, 30]
    seen = []
    x.apply(lambda v: seen.append(v))  # returning None leaves the value
    assert seen == [10, 20, 30] and x.tolist() == [10, 20, 30]
    y = torch.Tensor([1, 1, 1])
    x.map(y, lambda a, b: a + b)
    assert x.tolist() == [11, 21, 31]
    x.map2(y, y, lambda a, b, c: a - b - c)
    assert x.tolist() == [9, 19, 29]


def test_new_form_method_writes_into_self_when_args_are_the_sources():
    # Torch7: x:diag(y) and x:index(src, dim, idx) fill x; x:diag() returns a new tensor
    x = torch.Tensor()
    y = torch.Tensor([1, 2, 3])
    assert x.diag(y) is x and x.tolist() == [[1, 0, 0], [0, 2, 0], [0, 0, 3]]
    d = x.diag()
    assert d is not x and d.tolist() == [1, 2, 3]
    a = torch.Tensor([[1, 2], [3, 4]])
    r = torch.Tensor()
    assert r.index(a, 0, torch.LongTensor([1])) is r and r.tolist() == [[3, 4]]
