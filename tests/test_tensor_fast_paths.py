"""The compiled fast paths of the tensor core give exactly what the general paths give.

csrc/_views.pyx builds a tensor's numpy array (Tensor._a) from its storage's buffer; the general
path (Tensor._build_array, np.ndarray over the buffer) is the reference: same shape, strides,
memory, values and writeability, the same error for a view outside its storage, and the array is
dropped when the storage reallocates.
"""
import gc

import numpy as np
import pytest

import pytorch_lite as torch
from pytorch_lite.errors import TorchValueError

TYPES = [torch.ByteTensor, torch.CharTensor, torch.ShortTensor, torch.IntTensor, torch.LongTensor,
         torch.FloatTensor, torch.DoubleTensor, torch.HalfTensor]


def general_array(t):
    """The array the general path (Tensor._build_array) builds, on a fresh tensor like t."""
    return type(t)._make(t._storage, t._offset, t._size, t._stride)._build_array()


def views_of(x):
    """A spread of views: narrow, select, transpose, unfold, expand, sub, a 1-element view."""
    yield x
    yield x.narrow(0, 1, 2)
    yield x.select(1, 2)
    yield x.t()
    yield x.narrow(1, 1, 3).t()
    yield x.unfold(1, 2, 2)
    yield x.select(0, 1).unfold(0, 3, 1)
    yield x.narrow(0, 2, 1).narrow(1, 4, 1)
    yield x.view(-1)
    yield x.select(0, 2).view(1, 5).expand(3, 5)
    yield x.sub(1, 2, 0, -1)


@pytest.mark.parametrize("cls", TYPES)
def test_view_arrays_match_the_general_path(cls):
    x = cls(np.arange(20).reshape(4, 5).astype(cls.dtype))
    for v in views_of(x):
        a = v._a
        ref = general_array(v)
        assert type(a) is np.ndarray and a.dtype == cls.dtype
        assert a.shape == ref.shape and a.strides == ref.strides
        assert a.__array_interface__["data"] == ref.__array_interface__["data"]
        assert np.array_equal(a, ref) and a.flags.writeable
        assert np.shares_memory(a, x._storage._data)
        assert v._a is a          # cached


def test_view_array_writes_reach_the_storage():
    x = torch.DoubleTensor(3, 4).zero()
    v = x.narrow(1, 1, 2)
    v._a[...] = 7
    assert x.tolist() == [[0, 7, 7, 0]] * 3


def test_read_only_storage_gives_read_only_arrays():
    base = np.arange(6.0)
    base.flags.writeable = False
    x = torch.from_numpy(base)
    assert not x.narrow(0, 1, 3)._a.flags.writeable
    assert not general_array(x.narrow(0, 1, 3)).flags.writeable


def test_view_outside_storage_is_the_same_error():
    x = torch.DoubleTensor(6)
    bad = torch.DoubleTensor._make(x._storage, 4, (3,), (1,))
    with pytest.raises(TorchValueError, match="lies outside its storage of size 6"):
        bad._a
    neg = torch.DoubleTensor._make(x._storage, -1, (2,), (1,))
    with pytest.raises(TorchValueError, match="lies outside"):
        neg._a


def test_empty_and_unset_tensors():
    assert torch.DoubleTensor()._a.shape == (0,)
    e = torch.FloatTensor(3)
    e.resize(0)
    assert e._a.shape == (0,) and e._a.dtype == np.float32


def test_memmap_storage_goes_through_the_general_path(tmp_path):
    p = tmp_path / "d.bin"
    np.arange(8, dtype=np.float64).tofile(p)
    s = torch.DoubleStorage(str(p), False, 8)
    t = torch.DoubleTensor(s, 2, (3,))
    assert t._a.tolist() == [2.0, 3.0, 4.0]


def test_storage_reallocation_drops_cached_arrays():
    x = torch.DoubleTensor(4).fill(1)
    v = x.narrow(0, 1, 2)
    old = v._a
    x._storage.resize(10)          # a new buffer: every viewer must rebuild
    v._a[...] = 5
    assert v._a is not old and x.tolist() == [1, 5, 5, 1]
    assert not np.shares_memory(v._a, old)


def test_invalidate_is_idempotent_and_rebuilds():
    x = torch.DoubleTensor(5).fill(2)
    x._invalidate()
    x._invalidate()
    assert x._a.tolist() == [2.0] * 5
    x.resize(2, 2)
    assert x._a.shape == (2, 2)


def test_viewer_list_stays_bounded():
    # short-lived views register with their storage; dead ones and repeats are compacted away
    x = torch.FloatTensor(64).zero()
    keep = [x.narrow(0, i, 1) for i in range(10)]
    for k in keep:
        k._a
    for _ in range(5000):
        x.narrow(0, 3, 4)._a
    for _ in range(200):                 # one long-lived tensor rebuilt again and again
        keep[0].resize(1)
        keep[0]._invalidate()
        keep[0]._a
    gc.collect()
    assert len(x._storage._viewers) <= 2 * 11 + 16
    x._storage.resize(128)
    assert all(k._a.base is not None and np.shares_memory(k._a, x._storage._data) for k in keep)


def test_array_attribute_type_checks():
    desc = torch.Tensor.__dict__["_a"]
    with pytest.raises(TypeError):
        desc.__get__(object(), object)
    with pytest.raises(AttributeError):
        torch.DoubleTensor(2).no_such_attribute
