"""Bad t7 input: every corrupt, truncated or foreign file raises T7FormatError (with the byte
offset), allocates nothing the file cannot justify, and a fuzz run finds nothing else."""
import glob
import os
import random
import struct
import tracemalloc

import numpy as np
import pytest

import pytorch_lite as torch
from pytorch_lite.serialization import T7FormatError

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.normpath(os.path.join(HERE, "..", "..", "shared", "fixtures"))
SER = os.path.join(SHARED, "torch7", "serialization")
PUBLIC = os.path.join(SHARED, "public")
needs_ser = pytest.mark.skipif(not os.path.isdir(SER), reason="../shared/fixtures/torch7/serialization is absent")


def _raises(data, **kw):
    with pytest.raises(T7FormatError) as e:
        torch.deserialize(data, **kw)
    return e.value


def _small_peak(fn):
    tracemalloc.start()
    try:
        try:
            fn()
        except T7FormatError:
            pass
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def _storage_bytes(n_claimed, longsize=8):
    good = torch.serialize(torch.FloatStorage([1.0, 2.0, 3.0]), longsize=longsize)
    i = good.index(b"torch.FloatStorage") + len("torch.FloatStorage")
    fmt = "<q" if longsize == 8 else "<i"
    return good[:i] + struct.pack(fmt, n_claimed) + good[i + struct.calcsize(fmt):], i


def test_absurd_storage_size_is_refused_without_allocating():
    data, at = _storage_bytes(10 ** 15)
    e = _raises(data, mode="binary", longsize=8)
    assert e.offset == at and "storage size" in str(e)
    assert _small_peak(lambda: torch.deserialize(data, mode="binary", longsize=8)) < 1 << 20
    assert _small_peak(lambda: torch.deserialize(data)) < 1 << 20
    e = _raises(_storage_bytes(-5)[0], mode="binary", longsize=8)
    assert "negative" in str(e)


def test_absurd_string_table_and_dim_counts():
    s = torch.serialize("abc")
    e = _raises(s[:4] + struct.pack("<i", 2 ** 31 - 1) + s[8:])
    assert e.offset == 4 and "string length" in str(e)
    t = torch.serialize({"a": 1})
    e = _raises(t[:8] + struct.pack("<i", 10 ** 9) + t[12:])
    assert e.offset == 8 and "table size" in str(e)
    x = torch.serialize(torch.DoubleTensor(2, 2))
    i = x.index(b"torch.DoubleTensor") + len("torch.DoubleTensor")
    e = _raises(x[:i] + struct.pack("<i", 10 ** 8) + x[i + 4:], mode="binary", longsize=8)
    assert e.offset == i and "dimensions" in str(e)
    assert _small_peak(lambda: torch.deserialize(x[:i] + struct.pack("<i", 10 ** 8) + x[i + 4:])) < 1 << 20


def test_bad_type_tags():
    for tag in (9, -1, 1000):
        e = _raises(struct.pack("<i", tag))
        assert e.offset == 0 and "type tag" in str(e)
    inner = torch.serialize({"k": 1})
    bad = inner[:-12] + struct.pack("<i", 42) + inner[-8:]
    e = _raises(bad)
    assert e.offset == len(inner) - 12


def test_truncated_files_at_every_length():
    obj = {"t": torch.FloatTensor(np.arange(6, dtype=np.float32)), "s": "str", "n": [1, 2.5, True]}
    for kw in ({}, {"longsize": 4}, {"mode": "ascii"}):
        data = torch.serialize(obj, **kw)
        rkw = {"mode": kw.get("mode", "binary"), "longsize": kw.get("longsize", 8)}
        for n in range(len(data)):
            if kw.get("mode") == "ascii" and n == len(data) - 1:
                continue  # only the final newline is missing: Torch7 reads that too
            e = _raises(data[:n], **rkw)
            assert e.offset is not None and e.offset <= n


def test_bad_reference_index():
    t = torch.DoubleTensor(2)
    data = bytearray(torch.serialize({"a": t, "b": t}))
    # the second occurrence of the tensor is (tag 4, index 2): point it nowhere
    ref = struct.pack("<ii", 4, 2)
    i = data.rindex(ref)
    data[i + 4:i + 8] = struct.pack("<i", 99)
    e = _raises(bytes(data))
    assert e.offset == i + 4 and "points nowhere" in str(e)
    # a reference read with referenced=False (Torch7 would misread the rest)
    good = torch.serialize({"a": t, "b": t})
    e = _raises(good, referenced=False)
    assert "referenced=True" in str(e)


def test_tensor_outside_its_storage():
    data = bytearray(torch.serialize(torch.DoubleTensor(np.arange(4.0))))
    i = data.index(b"torch.DoubleTensor") + len("torch.DoubleTensor")
    data[i + 4:i + 12] = struct.pack("<q", 5)  # size 5 on a storage of 4
    e = _raises(bytes(data), mode="binary", longsize=8)
    assert "storage" in str(e)
    data[i + 4:i + 12] = struct.pack("<q", 4)
    data[i + 20:i + 28] = struct.pack("<q", 0)  # storageOffset 0 (it is 1-based)
    e = _raises(bytes(data), mode="binary", longsize=8)
    assert "offset" in str(e)


def test_tensor_with_a_foreign_storage():
    good = torch.serialize(torch.DoubleTensor(np.arange(2.0)))
    bad = good.replace(b"\x13\x00\x00\x00torch.DoubleStorage", b"\x13\x00\x00\x00torch.DoubleStoraxe")
    e = _raises(bad, mode="binary", longsize=8)
    assert "Storaxe" in str(e)


@needs_ser
def test_wrong_long_size():
    b32 = open(os.path.join(SER, "tensor_3d.b32.t7"), "rb").read()
    e = _raises(b32, mode="binary", longsize=8)
    assert e.offset is not None
    b64 = open(os.path.join(SER, "tensor_3d.bin.t7"), "rb").read()
    _raises(b64, mode="binary", longsize=4)
    # both fail when detecting too: the message names the option
    bad = b64[:-8]
    e = _raises(bad)
    assert "longsize" in str(e)


@needs_ser
def test_wrong_mode():
    _raises(open(os.path.join(SER, "tensor_3d.ascii.t7"), "rb").read(), mode="binary")
    _raises(open(os.path.join(SER, "tensor_3d.bin.t7"), "rb").read(), mode="ascii")


def test_empty_and_foreign_files(tmp_path):
    p = tmp_path / "empty.t7"
    p.write_bytes(b"")
    with pytest.raises(T7FormatError):
        torch.load(p)
    p.write_bytes(b"PK\x03\x04 a zip file")
    with pytest.raises(T7FormatError) as e:
        torch.load(p)
    assert e.value.offset == 0
    _raises(b"")
    _raises(b"hello world", mode="ascii")


def test_nesting_too_deep_is_a_format_error():
    from pytorch_lite.serialization.reader import MAX_DEPTH
    depth = MAX_DEPTH + 10
    data = b"".join(struct.pack("<iii", 3, i + 1, 1) + struct.pack("<id", 1, 1.0) for i in range(depth))
    e = _raises(data, mode="binary", longsize=8)
    assert "deep" in str(e)


# -- fuzz -----------------------------------------------------------------------------------------
def _fuzz_inputs():
    files = sorted(glob.glob(os.path.join(SER, "*.t7")))
    files += sorted(p for p in glob.glob(os.path.join(PUBLIC, "*", "*.t7")) if os.path.getsize(p) < 100000)
    return [open(p, "rb").read() for p in files]


def _mutate(rng, d):
    d = bytearray(d)
    for _ in range(rng.randrange(1, 4)):
        k = rng.randrange(6)
        if k == 0 and d:
            d[rng.randrange(len(d))] = rng.randrange(256)
        elif k == 1:
            d = d[:rng.randrange(len(d) + 1)]
        elif k == 2 and len(d) >= 4:
            i = rng.randrange(len(d) - 3)
            d[i:i + 4] = rng.choice([b"\xff\xff\xff\x7f", b"\x00\x00\x00\x80", b"\xff\xff\xff\xff",
                                     rng.randrange(1 << 32).to_bytes(4, "little"), b"\x09\x00\x00\x00"])
        elif k == 3 and d:
            i = rng.randrange(len(d))
            del d[i:i + rng.randrange(1, 9)]
        elif k == 4:
            i = rng.randrange(len(d) + 1)
            d[i:i] = bytes(rng.randrange(256) for _ in range(rng.randrange(1, 9)))
        elif k == 5 and len(d) >= 8:
            i = rng.randrange(len(d) - 7)
            d[i:i + 8] = rng.choice([(10 ** 15).to_bytes(8, "little"), b"\xff" * 8, (2 ** 62).to_bytes(8, "little")])
    return bytes(d)


@pytest.mark.skipif(not os.path.isdir(SER), reason="../shared/fixtures are absent")
def test_fuzz_only_format_errors():
    """A few thousand random mutations of every fixture, read in every mode: each either loads or
    raises T7FormatError; nothing else escapes and nothing allocates wildly."""
    rng = random.Random(1234)
    inputs = _fuzz_inputs()
    n_err = n_ok = 0
    for case in range(2500):
        data = _mutate(rng, inputs[case % len(inputs)])
        for kw in ({}, {"mode": "binary", "longsize": 4}, {"mode": "ascii"}):
            try:
                torch.deserialize(data, allow_functions=True, **kw)
                n_ok += 1
            except T7FormatError as e:
                assert e.offset is None or 0 <= e.offset <= len(data)
                n_err += 1
    assert n_err > 1000 and n_ok > 100


@pytest.mark.skipif(not os.path.isdir(SER), reason="../shared/fixtures are absent")
def test_files_read_in_tiny_chunks(monkeypatch, tmp_path):
    """Reading from a file goes chunk by chunk (big arrays straight into their buffers): with
    chunks of a few bytes every fixture still loads exactly as from memory, and mutated files
    still raise only T7FormatError."""
    from pytorch_lite.serialization.reader import BinarySource
    monkeypatch.setattr(BinarySource, "CHUNK", 5)
    inputs = _fuzz_inputs()
    for i, data in enumerate(inputs):
        p = tmp_path / ("f%d.t7" % i)
        p.write_bytes(data)
        try:
            ref = torch.serialize(torch.deserialize(data, allow_functions=True, use_registry=False))
        except T7FormatError:
            continue
        assert torch.serialize(torch.load(p, allow_functions=True, use_registry=False)) == ref
    rng = random.Random(99)
    p = tmp_path / "fuzz.t7"
    for case in range(300):
        p.write_bytes(_mutate(rng, inputs[case % len(inputs)]) or b"\0")
        try:
            torch.load(p, allow_functions=True)
        except T7FormatError:
            pass
