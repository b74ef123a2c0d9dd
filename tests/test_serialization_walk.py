"""Parse the .txt walks of ../shared/fixtures/torch7/serialization (written by a real Torch7 that
loaded each .t7 file) and compare them with what pytorch_lite loads."""
import re
import struct

import numpy as np

from pytorch_lite.serialization import TorchObject, LuaKey

_ENTRY = re.compile(r'^\[("(?:[^"\\]|\\x[0-9a-f]{2})*"|[^\]]*)\] = (.*)$')
_TENSOR = re.compile(r"^(torch\.\w+Tensor) dim=(\d+) size=\{([^}]*)\} stride=\{([^}]*)\} "
                     r"storageOffset=(\d+) \(1-based\) nElement=(\d+) contiguous=(true|false)$")
_STORAGE = re.compile(r"^(torch\.\w+Storage) (S\d+) size=(\d+)$")
_STORAGE_REF = re.compile(r"^(torch\.\w+Storage) = storage (S\d+) \(shared; first seen at (.*)\)$")
_ST_NEW = re.compile(r"^storage: (S\d+) (torch\.\w+Storage) size=(\d+)$")
_ST_SHARED = re.compile(r"^storage: (S\d+) \(shared; first seen at (.*)\)$")


class Node:
    def __init__(self, text):
        self.text = text
        self.entries = []   # (key, Node)
        self.details = []   # detail lines (storage:, storage values:, tensor values ...)


def unescape(s):
    return re.sub(rb"\\x([0-9a-f]{2})", lambda m: bytes([int(m.group(1), 16)]), s.encode("latin-1"))


def parse_key(text):
    if text.startswith('"'):
        return unescape(text[1:-1])
    if text in ("true", "false"):
        return text == "true"
    if re.fullmatch(r"-?\d+", text):
        return int(text)
    return float(text)


def parse_walk(path):
    root = None
    stack = []  # (indent, node)
    for line in open(path, encoding="latin-1").read().split("\n"):
        if not line.strip() or line.startswith("#"):
            continue
        indent = (len(line) - len(line.lstrip(" "))) // 2
        body = line.strip()
        if indent == 0:
            assert body.startswith("root = "), line
            root = Node(body[len("root = "):])
            stack = [(0, root)]
            continue
        while stack and stack[-1][0] >= indent:
            stack.pop()
        parent = stack[-1][1]
        m = _ENTRY.match(body)
        if m:
            node = Node(m.group(2))
            parent.entries.append((parse_key(m.group(1)), node))
            stack.append((indent, node))
        else:
            parent.details.append(body)
    return root


def parse_path(path):
    assert path.startswith("root"), path
    keys = []
    rest = path[4:]
    while rest:
        m = re.match(r'^\[("(?:[^"\\]|\\x[0-9a-f]{2})*"|[^\]]*)\]', rest)
        keys.append(parse_key(m.group(1)))
        rest = rest[m.end():]
    return keys


def child(obj, key):
    if isinstance(obj, TorchObject):
        obj = obj.fields
    if isinstance(obj, list):
        assert isinstance(key, int) and not isinstance(key, bool) and 1 <= key <= len(obj), key
        return obj[key - 1]
    if isinstance(key, bytes):
        for k in (key.decode("utf-8") if _utf8(key) else None, key):
            if k is not None and k in obj:
                return obj[k]
        raise AssertionError("missing key %r" % key)
    if isinstance(key, bool) and LuaKey(key) in obj:
        return obj[LuaKey(key)]
    assert key in obj, "missing key %r in %r" % (key, list(obj)[:10])
    return obj[key]


def _utf8(b):
    try:
        b.decode("utf-8")
        return True
    except UnicodeDecodeError:
        return False


def resolve(root, path):
    obj = root
    for k in parse_path(path):
        obj = child(obj, k)
    return obj


def lua_number_is_int(x):
    return x.is_integer() and abs(x) < 2.0 ** 63 and not (x == 0 and np.signbit(x))


def check_values(tokens, arr, where):
    arr = np.asarray(arr).reshape(-1)
    assert len(tokens) == arr.shape[0], "%s: %d values expected, got %d" % (where, len(tokens), arr.shape[0])
    if arr.dtype.kind in "iu":
        assert [int(t) for t in tokens] == arr.tolist(), where
        return
    exp = np.array([float(t) for t in tokens], dtype=np.float64)
    got = arr.astype(np.float64)
    same = (exp == got) & (np.signbit(exp) == np.signbit(got)) | (np.isnan(exp) & np.isnan(got))
    assert same.all(), "%s: %s != %s" % (where, exp[~same][:5], got[~same][:5])


class Checker:
    def __init__(self, root_obj):
        self.root = root_obj
        self.storages = {}   # 'S1' -> storage
        self.names = {}      # id(storage) -> 'S1'

    def storage_seen(self, sname, st, where):
        if sname in self.storages:
            assert self.storages[sname] is st, "%s: %s is not the same storage object" % (where, sname)
        else:
            assert id(st) not in self.names, "%s: storage %s is also %s" % (where, sname, self.names[id(st)])
            self.storages[sname] = st
            self.names[id(st)] = sname

    def check(self, node, obj, where="root"):
        text = node.text
        if text.startswith("REFERENCE to the object first seen at "):
            target = resolve(self.root, text[len("REFERENCE to the object first seen at "):])
            assert obj is target, "%s should be the very object at %s" % (where, text)
            return
        if text == "nil":
            assert obj is None, where
            return
        if text.startswith("number "):
            bits = int(re.search(r"\[bits 0x([0-9a-f]+)\]", text).group(1), 16)
            x = struct.unpack("<d", struct.pack("<Q", bits))[0]
            assert isinstance(obj, (int, float)) and not isinstance(obj, bool), (where, obj)
            assert struct.pack("<d", float(obj)) == struct.pack("<Q", bits), (where, obj, text)
            assert isinstance(obj, int) == lua_number_is_int(x), (where, type(obj), text)
            return
        if text.startswith("boolean "):
            assert obj is (text == "boolean true"), where
            return
        if text.startswith("string len="):
            m = re.match(r'string len=(\d+) "(.*)"$', text)
            expect = unescape(m.group(2))
            assert len(expect) == int(m.group(1))
            got = obj.encode("utf-8") if isinstance(obj, str) else obj
            assert isinstance(got, bytes) and got == expect, (where, got[:40], expect[:40])
            assert isinstance(obj, str) == _utf8(expect), where
            return
        if text.startswith("table with "):
            n = int(re.match(r"table with (\d+) entries:", text).group(1))
            assert isinstance(obj, (list, dict)) and not isinstance(obj, TorchObject), (where, type(obj))
            assert len(obj) == n == len(node.entries), (where, len(obj), n)
            if isinstance(obj, list):
                assert sorted(k for k, _ in node.entries) == list(range(1, n + 1)), where
            self._entries(node, obj, where)
            return
        if text.startswith("torch object of class "):
            cls = re.match(r"torch object of class (\S+) with fields:", text).group(1)
            assert isinstance(obj, TorchObject) and obj.typename == cls, (where, obj)
            assert len(obj.fields) == len(node.entries), where
            self._entries(node, obj, where)
            return
        m = _TENSOR.match(text)
        if m:
            self._tensor(m, node, obj, where)
            return
        m = _STORAGE.match(text)
        if m:
            assert type(obj).typename == m.group(1), (where, type(obj).typename)
            assert obj.size() == int(m.group(3)), where
            self.storage_seen(m.group(2), obj, where)
            vals = [d for d in node.details if d.startswith("storage values:")]
            check_values(vals[0][len("storage values:"):].split(), obj._data, where)
            return
        m = _STORAGE_REF.match(text)
        if m:
            assert type(obj).typename == m.group(1), where
            self.storage_seen(m.group(2), obj, where)
            return
        raise AssertionError("%s: unknown walk line %r" % (where, text))

    def _entries(self, node, obj, where):
        for key, sub in node.entries:
            self.check(sub, child(obj, key), "%s[%r]" % (where, key))

    def _tensor(self, m, node, t, where):
        typename, dim, size, stride, off, nel, contig = m.groups()
        assert type(t).typename == typename, (where, type(t).typename, typename)
        ints = lambda s: tuple(int(x) for x in s.split(",")) if s else ()
        assert t.dim() == int(dim), where
        assert tuple(t._size) == ints(size) and tuple(t._stride) == ints(stride), (where, t._size, t._stride)
        assert t.storageOffset() + 1 == int(off), where
        assert t.nElement() == int(nel), where
        assert t.isContiguous() == (contig == "true"), where
        st_line = [d for d in node.details if d.startswith("storage:")][0]
        if st_line == "storage: nil":
            assert t.storage() is None, where
        else:
            mm = _ST_NEW.match(st_line)
            if mm:
                st = t.storage()
                assert type(st).typename == mm.group(2) and st.size() == int(mm.group(3)), where
                self.storage_seen(mm.group(1), st, where)
                vals = [d for d in node.details if d.startswith("storage values:")][0]
                check_values(vals[len("storage values:"):].split(), st._data, where + " storage")
            else:
                mm = _ST_SHARED.match(st_line)
                assert mm, st_line
                self.storage_seen(mm.group(1), t.storage(), where)
        tv = [d for d in node.details if d.startswith("tensor values (row-major):")]
        if tv:
            check_values(tv[0][len("tensor values (row-major):"):].split(), np.array(t._a), where + " values")
        else:
            assert t.nElement() == 0, where


# -- the tests ------------------------------------------------------------------------------------
import glob  # noqa: E402
import os  # noqa: E402

import pytest  # noqa: E402

import pytorch_lite as torch  # noqa: E402

SER = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared",
                                   "fixtures", "torch7", "serialization"))
FILES = sorted(os.path.basename(p) for p in glob.glob(os.path.join(SER, "*.t7")))
needs_fixtures = pytest.mark.skipif(not FILES, reason="../shared/fixtures/torch7/serialization is absent")


def flavour(name):
    """(load kwargs, write kwargs) for a fixture file name."""
    ref = not name.startswith("noref")
    if ".b32." in name:
        return dict(mode="binary", longsize=4), dict(longsize=4)
    if ".ascii." in name:
        return dict(mode="ascii", referenced=ref), dict(mode="ascii", referenced=ref)
    return dict(mode="binary", longsize=8, referenced=ref), dict(referenced=ref)


def test_fixture_count():
    if not FILES:
        pytest.skip("../shared/fixtures/torch7/serialization is absent")
    assert len(FILES) == 79


@needs_fixtures
@pytest.mark.parametrize("name", FILES)
def test_load_matches_torch7_walk(name):
    path = os.path.join(SER, name)
    rkw, _ = flavour(name)
    data = open(path, "rb").read()
    if name.startswith("serialize_"):
        obj = torch.deserialize(data, use_registry=False, **rkw)
    else:
        obj = torch.load(path, use_registry=False, **rkw)
    walk = parse_walk(path[:-3] + ".txt")
    Checker(obj).check(walk, obj)


@needs_fixtures
@pytest.mark.parametrize("name", FILES)
def test_detected_flavour_loads_the_same(name):
    """With no mode/longsize the reader finds binary/ascii and 8/4-byte longs by itself."""
    path = os.path.join(SER, name)
    rkw, _ = flavour(name)
    obj = torch.load(path, referenced=rkw.get("referenced", True), use_registry=False)
    Checker(obj).check(parse_walk(path[:-3] + ".txt"), obj)


@needs_fixtures
@pytest.mark.parametrize("name", FILES)
def test_write_back_is_byte_identical(name, tmp_path):
    path = os.path.join(SER, name)
    rkw, wkw = flavour(name)
    data = open(path, "rb").read()
    obj = torch.deserialize(data, use_registry=False, **rkw)
    assert torch.serialize(obj, **wkw) == data
    if not name.startswith("serialize_"):
        out = tmp_path / name
        torch.save(out, obj, wkw.get("mode", "binary"), wkw.get("referenced", True),
                   longsize=wkw.get("longsize"))
        assert out.read_bytes() == data
