"""Random numbers: bit-exact against a real Torch7 (fixtures/torch7/tensor/random_seed*.t7, whose
values INDEX.txt lists), against numpy's MT19937 (the same init_genrand and tempering) for the
raw 32-bit stream, and against THRandom's formulas evaluated with Python's math (C libm)."""
import copy
import math
import os
import pickle
import re
import struct

import numpy as np
import pytest

import pytorch_lite as torch
import fixture_paths
from pytorch_lite.errors import TorchTypeError, TorchValueError

FIX = os.path.join(fixture_paths.TORCH7, "tensor")
SEEDS = (0, 1, 42, 123456789)
STATE_SIZE = 5048


# -- the fixtures ------------------------------------------------------------------------------

def _parse_index():
    """{file: {field: (type, shape, values)}} for the random_seed*.t7 sections of INDEX.txt."""
    with open(os.path.join(FIX, "INDEX.txt")) as f:
        lines = f.read().splitlines()
    out, cur = {}, None
    for i, line in enumerate(lines):
        if line.startswith("== "):
            name = line[3:].strip()
            cur = out.setdefault(name, {}) if name.startswith("random_seed") else None
            continue
        m = re.match(r"\s+field\s+(\S+) : (.*)$", line) if cur is not None else None
        if not m:
            continue
        key, rest = m.groups()
        if rest.startswith("number "):
            cur[key] = ("number", (), [rest.split()[1]])
            continue
        t = re.match(r"(torch\.\w+)\[([\dx]*)\]", rest)
        shape = tuple(int(s) for s in t.group(2).split("x"))
        vals = lines[i + 1].split("values:", 1)[1].split("...")[0].split()
        cur[key] = (t.group(1), shape, vals)
    return out


INDEX = _parse_index()


def _state_from_t7(seed):
    """The full 5048-byte rng_state of a fixture file: the one ByteStorage of that size."""
    with open(os.path.join(FIX, "random_seed%d.t7" % seed), "rb") as f:
        data = f.read()
    tag = b"torch.ByteStorage"
    pos = 0
    while True:
        pos = data.find(tag, pos)
        assert pos >= 0, "no 5048-byte ByteStorage in the fixture"
        n = struct.unpack("<q", data[pos + len(tag):pos + len(tag) + 8])[0]
        if n == STATE_SIZE:
            start = pos + len(tag) + 8
            return np.frombuffer(data[start:start + n], dtype=np.uint8)
        pos += 1


def _expected(entry):
    typ, shape, vals = entry
    if typ == "number":
        return float(vals[0])
    dtype = {"torch.DoubleTensor": np.float64, "torch.FloatTensor": np.float32,
             "torch.LongTensor": np.int64, "torch.ByteTensor": np.uint8}[typ]
    if dtype in (np.int64, np.uint8):
        arr = np.array([int(v) for v in vals], dtype=dtype)
    else:
        arr = np.array([float(v) for v in vals], dtype=np.float64).astype(dtype)
    n = int(np.prod(shape))
    return arr.reshape(shape) if len(vals) == n else arr


# Each draw as gen_tensor.lua made it; indices come back 0-based here (fixtures are 1-based).
DRAWS = [
    ("rand10", lambda P: torch.rand(10)),
    ("randn10", lambda P: torch.randn(10)),
    ("random5", lambda P: torch.LongTensor([torch.random() for _ in range(5)])),
    ("uniform", lambda P: torch.Tensor(10).uniform(-2, 3)),
    ("normal", lambda P: torch.Tensor(10).normal(1, 2)),
    ("bernoulli", lambda P: torch.Tensor(10).bernoulli(0.3)),
    ("geometric", lambda P: torch.Tensor(10).geometric(0.2)),
    ("exponential", lambda P: torch.Tensor(10).exponential(1.5)),
    ("cauchy", lambda P: torch.Tensor(10).cauchy(0, 1)),
    ("logNormal", lambda P: torch.Tensor(10).logNormal(1, 2)),
    ("randperm10", lambda P: torch.randperm(10)),
    ("multinomial_repl", lambda P: torch.multinomial(P["probs"], 5, True)),
    ("multinomial_norepl", lambda P: torch.multinomial(P["probs"], 5, False)),
]
EXTRA = [
    ("random_1_10_x5", lambda P: torch.Tensor([torch.random(1, 10) for _ in range(5)])),
    ("uniform_scalar", lambda P: torch.uniform()),
    ("normal_scalar", lambda P: torch.normal()),
    ("float_rand10", lambda P: torch.FloatTensor(10).uniform()),
    ("float_normal10", lambda P: torch.FloatTensor(10).normal()),
    ("multinomial_batch_norepl", lambda P: torch.multinomial(P["probs2"], 3, False)),
]
ONE_BASED = {"randperm10", "multinomial_repl", "multinomial_norepl", "multinomial_batch_norepl"}


def _inputs(fields):
    return {"probs": torch.Tensor(_expected(fields["probs"])),
            "probs2": torch.Tensor(_expected(fields["probs2"]))}


def _check(name, got, entry):
    exp = _expected(entry)
    if isinstance(exp, float):
        assert isinstance(got, float) and got == exp, (name, got, exp)
        return
    arr = got.numpy() if hasattr(got, "numpy") else np.asarray(got)
    if name.split(".")[-1] in ONE_BASED:
        exp = exp - 1
    assert arr.dtype == exp.dtype, (name, arr.dtype, exp.dtype)
    assert arr.shape == exp.shape, (name, arr.shape, exp.shape)
    assert np.array_equal(arr, exp), (name, arr.tolist(), exp.tolist())


@pytest.mark.parametrize("seed", SEEDS)
@pytest.mark.parametrize("name,draw", DRAWS + EXTRA, ids=[d[0] for d in DRAWS + EXTRA])
def test_torch7_fixture_each_after_its_own_seed(seed, name, draw):
    fields = INDEX["random_seed%d.t7" % seed]
    P = _inputs(fields)
    torch.manualSeed(seed)
    _check(name, draw(P), fields[name])


@pytest.mark.parametrize("seed", SEEDS)
def test_torch7_fixture_sequence(seed):
    fields = INDEX["random_seed%d.t7" % seed]
    P = _inputs(fields)
    torch.manualSeed(seed)
    for name, draw in DRAWS:
        _check("sequence." + name, draw(P), fields["sequence." + name])


@pytest.mark.parametrize("seed", SEEDS)
def test_torch7_fixture_rng_state(seed):
    fields = INDEX["random_seed%d.t7" % seed]
    torch.manualSeed(seed)
    assert torch.initialSeed() == seed == int(float(fields["initialSeed"][2][0]))
    st = torch.getRNGState()
    assert st.typename == "torch.ByteTensor"
    assert st.nElement() == STATE_SIZE == int(float(fields["rng_state_size"][2][0]))
    assert np.array_equal(st.numpy()[:10], _expected(fields["rng_state_first10"]))
    listed = _expected(fields["rng_state"])
    assert np.array_equal(st.numpy()[:listed.size], listed)
    assert np.array_equal(st.numpy(), _state_from_t7(seed))


@pytest.mark.parametrize("seed", SEEDS)
def test_torch7_state_loads_and_continues(seed):
    """A state saved by Torch7 restores into a fresh Generator and draws Torch7's numbers."""
    fields = INDEX["random_seed%d.t7" % seed]
    gen = torch.Generator()
    torch.setRNGState(gen, torch.ByteTensor(_state_from_t7(seed).copy()))
    assert torch.initialSeed(gen) == seed
    _check("rand10", torch.rand(gen, 10), fields["rand10"])


# -- the raw stream: numpy's MT19937 as the oracle -----------------------------------------------

def _raw(seed, n):
    """The first n 32-bit MT19937 outputs after init_genrand(seed)."""
    return np.random.RandomState(seed).randint(0, 2 ** 32, size=n, dtype=np.uint64).astype(object)


@pytest.mark.parametrize("seed", [0, 5489, 2 ** 32 - 1])
def test_raw_stream_and_seeding_match_mt19937(seed):
    torch.manualSeed(seed)
    assert [torch.random() for _ in range(1500)] == list(_raw(seed, 1500))  # crosses two refills
    torch.manualSeed(seed)
    words = torch.getRNGState().numpy()[24:24 + 624 * 8].view(np.uint64)
    key = np.random.RandomState(seed).get_state()[1]
    assert np.array_equal(words, key.astype(np.uint64))


def test_seed_uses_low_32_bits_for_the_state_and_keeps_the_full_initial_seed():
    torch.manualSeed(2 ** 40 + 7)
    a = [torch.random() for _ in range(5)]
    assert torch.initialSeed() == 2 ** 40 + 7
    torch.manualSeed(7)
    assert [torch.random() for _ in range(5)] == a
    torch.manualSeed(-1)  # a C long: -1 is 2^64-1 as unsigned long
    assert torch.initialSeed() == -1
    assert torch.random() == _raw(2 ** 32 - 1, 1)[0]
    torch.manualSeed(3.9)  # Lua number -> long truncates
    assert torch.initialSeed() == 3


def test_uniform_is_one_output_over_2_32():
    raw = _raw(11, 8)
    torch.manualSeed(11)
    assert torch.rand(8).tolist() == [r / 4294967296.0 for r in raw]
    torch.manualSeed(11)
    got = torch.Tensor(8).uniform(-2, 3).tolist()
    assert got == [(r * (1.0 / 4294967296.0)) * (3 - -2) + -2 for r in raw]


def _normal_ref(raw, mean, std):
    out = []
    for i in range(0, len(raw) - 1, 2):
        x, y = raw[i] / 4294967296.0, raw[i + 1] / 4294967296.0
        rho = math.sqrt(-2. * math.log(1.0 - y))
        out += [rho * math.cos(2. * math.pi * x) * std + mean, rho * math.sin(2. * math.pi * x) * std + mean]
    return out


def test_normal_box_muller_with_cached_pair():
    raw = _raw(3, 10)
    torch.manualSeed(3)
    assert torch.randn(10).tolist() == _normal_ref(raw, 0, 1)
    torch.manualSeed(3)
    assert [torch.normal(0.5, 3) for _ in range(10)] == _normal_ref(raw, 0.5, 3)
    # the cached value survives getRNGState/setRNGState, and reseeding forgets it
    torch.manualSeed(3)
    torch.normal()
    st = torch.getRNGState()
    second = torch.normal()
    torch.setRNGState(st)
    assert torch.normal() == second == _normal_ref(raw, 0, 1)[1]
    torch.manualSeed(3)
    assert torch.normal() == _normal_ref(raw, 0, 1)[0]


def test_other_distributions_follow_thrandom_formulas():
    raw = _raw(21, 6)
    u = [r / 4294967296.0 for r in raw]
    torch.manualSeed(21)
    assert torch.Tensor(6).exponential(2.5).tolist() == [-1. / 2.5 * math.log(1 - v) for v in u]
    torch.manualSeed(21)
    assert torch.Tensor(6).cauchy(1, 2).tolist() == [1 + 2 * math.tan(math.pi * (v - 0.5)) for v in u]
    torch.manualSeed(21)
    assert [torch.geometric(0.3) for _ in range(6)] == [int(math.log(1 - v) / math.log(0.3)) + 1 for v in u]
    torch.manualSeed(21)
    assert torch.Tensor(6).bernoulli(0.4).tolist() == [float(v <= 0.4) for v in u]
    torch.manualSeed(21)
    assert torch.Tensor(6).logNormal(1.5, 0.7).tolist() == [math.exp(v) for v in _normal_ref(raw, 1.5, 0.7)]


def test_random_bounds_numbers():
    raw = _raw(5, 6)
    torch.manualSeed(5)
    assert [torch.random(7) for _ in range(3)] == [r % 7 + 1 for r in raw[:3]]
    assert [torch.random(-5, 5) for _ in range(3)] == [r % 11 - 5 for r in raw[3:]]


@pytest.mark.parametrize("cls,rule", [
    (torch.ByteTensor, lambda r: r % 256),
    (torch.CharTensor, lambda r: r % 128),
    (torch.ShortTensor, lambda r: r % 32768),
    (torch.IntTensor, lambda r: r % 2 ** 31),
    (torch.LongTensor, lambda r: r),
    (torch.FloatTensor, lambda r: float(np.float32(r % (2 ** 24 + 1)))),
    (torch.DoubleTensor, lambda r: float(r)),
])
def test_tensor_random_keeps_each_types_range(cls, rule):
    raw = _raw(9, 12)
    torch.manualSeed(9)
    x = cls(3, 4).random()
    assert x.numpy().reshape(-1).tolist() == [rule(r) for r in raw]


def test_tensor_random_with_bounds():
    raw = _raw(13, 10)
    torch.manualSeed(13)
    assert torch.LongTensor(5).random(-5, 5).tolist() == [r % 11 - 5 for r in raw[:5]]
    assert torch.ByteTensor(5).random(10).tolist() == [r % 10 + 1 for r in raw[5:]]
    # TH adds the lower bound in unsigned long arithmetic: a negative result reaches a floating
    # tensor as 2^64 + value (Torch7 does the same)
    torch.manualSeed(13)
    got = torch.Tensor(5).random(-5, 5).tolist()
    assert got == [float((r % 11 + 2 ** 64 - 5) % 2 ** 64) for r in raw[:5]]


def test_fills_follow_row_major_order_of_non_contiguous_tensors():
    torch.manualSeed(17)
    ref = torch.rand(12).numpy().reshape(4, 3)
    torch.manualSeed(17)
    base = torch.Tensor(3, 4).zero()
    view = base.t()                   # 4x3, non-contiguous
    view.uniform()
    assert np.array_equal(view.numpy(), ref)
    torch.manualSeed(17)
    r = torch.Tensor(3, 4).t()
    torch.rand(r, 4, 3)
    assert np.array_equal(r.numpy(), ref)


def test_float_tensors_draw_doubles_then_round_and_see_float_arguments():
    raw = _raw(23, 5)
    torch.manualSeed(23)
    got = torch.FloatTensor(5).uniform(0.1, 0.7).numpy()
    a, b = float(np.float32(0.1)), float(np.float32(0.7))
    exp = np.array([(r * (1.0 / 4294967296.0)) * (b - a) + a for r in raw]).astype(np.float32)
    assert np.array_equal(got, exp)
    torch.manualSeed(23)
    f = torch.rand(torch.FloatTensor(), 7)
    torch.manualSeed(23)
    assert np.array_equal(f.numpy(), torch.rand(7).numpy().astype(np.float32))


def test_bernoulli_with_a_tensor_of_probabilities():
    raw = _raw(29, 6)
    p = [0.0, 1.0, 0.5, 0.25, 0.75, 0.9]
    for pcls in (torch.DoubleTensor, torch.FloatTensor):
        torch.manualSeed(29)
        x = torch.ByteTensor(2, 3).bernoulli(pcls(p).view(3, 2))
        pf = np.asarray(p, dtype=pcls.dtype).astype(np.float64)
        assert x.numpy().reshape(-1).tolist() == [int(r / 4294967296.0 <= q) for r, q in zip(raw, pf)]
    with pytest.raises(TorchValueError):
        torch.Tensor(3).bernoulli(torch.Tensor([0.5, 1.5, 0.5]))
    with pytest.raises(TorchValueError):
        torch.Tensor(3).bernoulli(torch.Tensor([0.5, 0.5]))
    with pytest.raises(TorchTypeError):
        torch.Tensor(2).bernoulli(torch.IntTensor([0, 1]))


def test_generators_are_independent_streams():
    g1, g2 = torch.Generator(), torch.Generator()
    torch.manualSeed(g1, 42)
    torch.manualSeed(g2, 42)
    torch.manualSeed(1)
    a = torch.rand(g1, 5)
    assert torch.random() == _raw(1, 1)[0]  # the global stream, untouched by g1
    b = torch.Tensor(5).uniform(g2)
    assert np.array_equal(a.numpy(), b.numpy())
    rest = INDEX["random_seed42.t7"]["rand10"][2][5:]  # g1 goes on with Torch7's seed-42 stream
    _check("rand10", torch.rand(g1, 5), ("torch.DoubleTensor", (5,), rest))
    assert torch.initialSeed(g1) == 42
    assert torch.type(g1) == "torch.Generator"


def test_results_and_types():
    torch.manualSeed(1)
    assert isinstance(torch.random(), int) and isinstance(torch.geometric(0.5), int)
    assert isinstance(torch.bernoulli(), int) and isinstance(torch.uniform(), float)
    x = torch.Tensor(4)
    assert x.uniform() is x and torch.normal(x, 0, 1) is x and x.random(3) is x
    assert torch.rand(2, 3).shape == (2, 3) and torch.randn(torch.LongStorage([4])).shape == (4,)
    assert torch.rand().nElement() == 0
    r = torch.FloatTensor()
    assert torch.randn(r, 2, 2) is r and r.shape == (2, 2)
    assert torch.randperm(torch.LongTensor(), 6).typename == "torch.LongTensor"
    assert sorted(torch.randperm(100).tolist()) == list(range(100))
    m = torch.multinomial(torch.Tensor([[0.2, 0.8], [1, 0]]), 4, True)
    assert m.typename == "torch.LongTensor" and m.shape == (2, 4) and m[1].tolist() == [0, 0, 0, 0]
    assert torch.Tensor([0, 0, 1]).multinomial(2, True).tolist() == [2, 2]


def test_multinomial_frequencies():
    torch.manualSeed(0)
    p = torch.Tensor([0.1, 0.6, 0.3])
    counts = np.bincount(torch.multinomial(p, 20000, True).numpy(), minlength=3) / 20000
    assert np.allclose(counts, [0.1, 0.6, 0.3], atol=0.02)
    draws = torch.multinomial(torch.Tensor([1, 2, 3, 4, 5]), 5, False).tolist()
    assert sorted(draws) == [0, 1, 2, 3, 4]


def test_state_round_trip_and_copies():
    torch.manualSeed(77)
    torch.rand(3)
    torch.normal()
    st = torch.getRNGState()
    a = torch.randn(7).tolist()
    assert torch.setRNGState(st) is st
    assert torch.randn(7).tolist() == a
    assert np.array_equal(torch.getRNGState(torch.ByteTensor(3)).numpy(), torch.getRNGState().numpy())
    g = torch.Generator()
    torch.setRNGState(g, st)
    assert torch.randn(g, 7).tolist() == a
    for h in (copy.deepcopy(g), pickle.loads(pickle.dumps(g))):
        assert type(h) is torch.Generator
        assert np.array_equal(torch.getRNGState(h).numpy(), torch.getRNGState(g).numpy())
    assert len(g.write_raw()) == STATE_SIZE
    h = torch.Generator().read_raw(g.write_raw())
    assert torch.random(h) == torch.random(g)


def test_seed_reads_the_os():
    s = torch.seed()
    assert torch.initialSeed() == s and -2 ** 63 <= s < 2 ** 63
    g = torch.Generator()
    s2 = torch.seed(g)
    assert torch.initialSeed(g) == s2
    assert torch.Generator().write_raw() != torch.Generator().write_raw()


def test_bad_input():
    with pytest.raises(TorchValueError):
        torch.normal(0, 0)
    with pytest.raises(TorchValueError):
        torch.Tensor(3).normal(0, -1)
    with pytest.raises(TorchValueError):
        torch.logNormal(1, 0)
    with pytest.raises(TorchValueError):
        torch.geometric(1)
    with pytest.raises(TorchValueError):
        torch.Tensor(2).geometric(0)
    with pytest.raises(TorchValueError):
        torch.bernoulli(1.5)
    with pytest.raises(TorchValueError):
        torch.random(5, 1)
    with pytest.raises(TorchValueError):
        torch.random(0)
    with pytest.raises(TorchValueError):
        torch.randperm(0)
    with pytest.raises(TorchValueError):
        torch.multinomial(torch.Tensor([0.5, 0.5]), 3, False)
    with pytest.raises(TorchValueError):
        torch.multinomial(torch.Tensor([0.0, 0.0]), 1, True)
    with pytest.raises(TorchValueError):
        torch.multinomial(torch.Tensor([0.5, 0.5]), 0, True)
    with pytest.raises(TorchTypeError):
        torch.IntTensor(3).uniform()
    with pytest.raises(TorchTypeError):
        torch.rand(torch.IntTensor(), 3)
    with pytest.raises(TorchTypeError):
        torch.multinomial(torch.IntTensor([1, 2]), 1)
    with pytest.raises(TorchTypeError):
        torch.manualSeed("1")
    with pytest.raises(TorchTypeError):
        torch.uniform("a")
    with pytest.raises(TorchValueError):
        torch.setRNGState(torch.ByteTensor(10))
    bad = torch.getRNGState()
    bad[12] = 0  # seeded = 0
    with pytest.raises(TorchValueError):
        torch.setRNGState(bad)
    with pytest.raises(TorchTypeError):
        torch.setRNGState(torch.Tensor(STATE_SIZE))


def test_threads_sharing_a_generator_never_crash():
    import threading
    g = torch.Generator()
    x = [torch.Tensor(50000) for _ in range(4)]

    def work(t):
        for _ in range(20):
            t.uniform(g)
            t.bernoulli(g, 0.5)
            t.normal(g)
    threads = [threading.Thread(target=work, args=(t,)) for t in x]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(np.isfinite(t.numpy()).all() for t in x)
