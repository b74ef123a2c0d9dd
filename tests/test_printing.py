"""print(x) / str(x): Torch7's text form of tensors and storages.

Oracles: the exact stdout of real Torch7 scripts (fixtures/torch7/scripts/*.expected.txt, the
tensors rebuilt here with the values the scripts compute), and a slow scalar transcription of
torch7's Tensor.lua printing code with LuaJIT's number formatting done in exact decimal
arithmetic (round half away from zero), which the vectorised implementation must match.
"""
import math
import os
import re
from decimal import ROUND_HALF_UP, Decimal

import numpy as np
import pytest

import pytorch_lite as torch
import fixture_paths

FIXTURES = os.path.join(fixture_paths.TORCH7, "scripts")

_END = re.compile(r"^\[torch\.\w+ (of size [\dx]+|with no dimension)\]$")


def printed_blocks(script):
    """The texts of the tensors and storages print()ed by a fixture script, in order.

    trepl's print writes tostring(x) .. '\\n' for userdata; other values end with a tab."""
    with open(os.path.join(FIXTURES, script + ".expected.txt")) as f:
        lines = f.read().split("\n")
    blocks, cur = [], []
    for ln in lines:
        if ln.endswith("\t") or (not cur and ln == ""):
            cur = []  # a print of non-tensors, or the blank line closing the last tensor
            continue
        cur.append(ln)
        if _END.match(ln):
            blocks.append("\n".join(cur) + "\n")
            cur = []
    return blocks


# -- the scalar reference: torch7 Tensor.lua + LuaJIT string.format --------------------------------

def lj_f(x, width, prec):
    if math.isnan(x):
        s = "nan"
    elif math.isinf(x):
        s = "-inf" if x < 0 else "inf"
    else:
        d = Decimal(x).quantize(Decimal(1).scaleb(-prec), rounding=ROUND_HALF_UP)
        s = "{:f}".format(d)
        if math.copysign(1, x) < 0 and not s.startswith("-"):
            s = "-" + s
    return s.rjust(width or 0)


def lj_e(x, width, prec):
    if math.isnan(x) or math.isinf(x):
        return lj_f(x, width, prec)
    sign = "-" if math.copysign(1, x) < 0 else ""
    d = abs(Decimal(x))
    if d == 0:
        mant, e = Decimal(0).quantize(Decimal(1).scaleb(-prec)), 0
    else:
        e = d.adjusted()
        mant = d.scaleb(-e).quantize(Decimal(1).scaleb(-prec), rounding=ROUND_HALF_UP)
        if mant >= 10:
            e += 1
            mant = d.scaleb(-e).quantize(Decimal(1).scaleb(-prec), rounding=ROUND_HALF_UP)
    s = "%s%se%s%02d" % (sign, "{:f}".format(mant), "-" if e < 0 else "+", abs(e))
    return s.rjust(width)


def ref_printformat(vals):
    """Storage__printformat, element by element; returns (formatter, scale, sz)."""
    if not vals:
        return None, None, 0
    int_mode = all(not math.isnan(v) and (math.isinf(v) or v == math.ceil(v)) for v in vals)
    mags = [abs(v) for v in vals]
    lo = hi = mags[0]
    for v in mags:  # THTensor minall/maxall: NaN wins
        if not (v >= lo):
            lo = v
            if math.isnan(v):
                break
    for v in mags:
        if not (v <= hi):
            hi = v
            if math.isnan(v):
                break

    def expo(m):
        if m == 0:
            return 1
        if math.isnan(m) or math.isinf(m):
            return m
        return math.floor(math.log10(m)) + 1

    emin, emax = expo(lo), expo(hi)
    if math.isnan(emin) or math.isnan(emax):
        return (lambda v: lj_f(v, None, 6)), None, None
    scale = None
    if int_mode:
        if emax > 9:
            return (lambda v: lj_e(v, 11, 4)), None, 11
        sz = emax + 1
        return (lambda v: str(int(v)).rjust(sz)), None, sz
    if emax - emin > 4:
        sz = 12 if abs(emax) > 99 or abs(emin) > 99 else 11
        return (lambda v: lj_e(v, sz, 4)), None, sz
    if emax > 5 or emax < 0:
        sz, scale = 7, math.pow(10, emax - 1)
    else:
        sz = 7 if emax == 0 else emax + 6
    return (lambda v: lj_f(v, sz, 4)), scale, sz


def ref_matrix(m, f, scale, sz, indent=""):
    rows, cols = len(m), len(m[0])
    scale = scale or 1
    per = cols if sz is None else (80 - len(indent)) // (sz + 1)
    out = [indent]
    first = 1
    while first <= cols:
        last = min(first + per - 1, cols)
        if per < cols:
            if first != 1:
                out.append("\n")
            out.append("Columns %d to %d\n%s" % (first, last, indent))
        if scale != 1:
            out.append("%g *\n %s" % (scale, indent))
        for r in range(rows):
            for c in range(first, last + 1):
                out.append(f(m[r][c - 1] / scale))
                if c == last:
                    out.append("\n")
                    if r != rows - 1:
                        out.append(indent + (" " if scale != 1 else ""))
                else:
                    out.append(" ")
        first = last + 1
    return "".join(out)


def ref_tostring(t):
    a = np.asarray(t.numpy(), dtype=np.float64)
    name = t.typename
    if a.ndim == 0 or t.dim() == 0:
        return "[%s with no dimension]\n" % name
    f, scale, sz = ref_printformat(a.reshape(-1).tolist())
    if a.ndim == 1:
        out = ["%g *\n" % scale] if scale else []
        out += [f(v / scale if scale else v) + "\n" for v in a.tolist()]
        body = "".join(out)
    elif a.ndim == 2:
        body = ref_matrix(a.tolist(), f, scale, sz)
    else:
        parts = []
        lead = a.shape[:-2]
        counter = [1] * len(lead)
        counter[0] = 0
        while True:
            done = False
            for i in range(len(lead)):
                counter[i] += 1
                if counter[i] > lead[i]:
                    if i == len(lead) - 1:
                        done = True
                        break
                    counter[i] = 1
                else:
                    break
            if done:
                break
            if parts:
                parts.append("\n")
            parts.append("(" + "".join("%d," % c for c in counter) + ".,.) = \n")
            parts.append(ref_matrix(a[tuple(c - 1 for c in counter)].tolist(), f, scale, sz, " "))
        body = "".join(parts)
    return body + "[%s of size %s]\n" % (name, "x".join(str(s) for s in a.shape))


def D(values, cls=torch.DoubleTensor):
    return cls(np.asarray(values, dtype=cls.dtype))


# -- real Torch7 output ----------------------------------------------------------------------------

def test_script_06_tensor_ops():
    a = D(np.arange(1, 13).reshape(3, 4))
    b = a.clone()
    b[1].fill(-1)
    b.select(1, 2).fill(0)
    b[0, 0] = 100
    c = torch.Tensor(2, 3, 2)
    s = c.storage()
    for i in range(s.size()):
        s[i] = (i + 1) * 0.25
    apply_mod = D(np.arange(1, 13).reshape(3, 4) % 5)
    mask = D(np.arange(1, 13).reshape(3, 4) > 6, torch.ByteTensor)
    expect = printed_blocks("06_tensor_ops")
    got = [
        a, a.t(), a.size(), b, c, c.select(2, 1),
        D([1e-3, 2.5e-4, -7e-3]), D([[12345.678, -0.5], [3, 1e5]]),
        torch.LongTensor([3, -20, 7]), torch.ByteTensor([[1, 0], [0, 1]]),
        torch.FloatTensor([0.5, 0.25]), torch.Tensor(),
        D([5, 4, 3, 2, 1]), torch.LongTensor([4, 5, 1, 3, 2]),       # sort (indices 1-based, as printed)
        D([[4], [8], [12]]), torch.LongTensor([[4], [4], [4]]),      # max(a, 2)
        torch.LongStorage([6, 4]),                                   # cat(a, a, 1):size()
        D([[1, 6], [7, 12]]), mask, D([7, 8, 9, 10, 11, 12]), apply_mod,
        D(np.linspace(0, 1, 5)), D([1, 10, 100]),
        D(np.eye(3) * 2 + 1), D(np.diag([1, 2, 3])),
        torch.LongStorage([4, 5]), D([22, 24]),
    ]
    assert len(got) == len(expect)
    for g, e in zip(got, expect):
        assert str(g) == e
        assert repr(g) == e


def test_script_01_learned_parameters():
    expect = printed_blocks("01_linear_regression")
    assert str(D([[1.984408, -2.990330]])) == expect[0]  # learned w, printed by the script with %.6f
    assert str(D([0.491245])) == expect[1]


def test_script_11_confusion():
    expect = printed_blocks("11_confusion_logger")
    assert str(torch.LongTensor([[11, 8, 3], [5, 14, 3], [5, 3, 14]])) == expect[0]
    assert str(torch.FloatTensor([11 / 22, 14 / 22, 14 / 22])) == expect[1]  # per-class valid rates


def test_script_09_sizes():
    expect = printed_blocks("09_convnet")
    assert str(torch.LongStorage([32, 4, 8, 8])) == expect[0]
    assert str(torch.LongStorage([32, 2])) == expect[1]


# -- format rules, written out by hand from Tensor.lua ----------------------------------------------

def test_scale_header_and_negative():
    x = D([[0.0012, -0.0034], [0.0056, 0.00078]])
    # max |x| = 0.0056: digits = floor(log10) + 1 = -2 -> scale 10^-3, '%7.4f', rows indented by one
    assert str(x) == ("0.001 *\n"
                      "  1.2000 -3.4000\n"
                      "  5.6000  0.7800\n"
                      "[torch.DoubleTensor of size 2x2]\n")
    big = D([123456.5, 234567.25])
    assert str(big) == "100000 *\n 1.2346\n 2.3457\n[torch.DoubleTensor of size 2]\n"  # %g


def test_wide_range_uses_e_and_large_exponents():
    assert str(D([1e-8, 1.5])) == " 1.0000e-08\n 1.5000e+00\n[torch.DoubleTensor of size 2]\n"
    # an exponent beyond 99 widens the field to 12
    assert str(D([1.5e-120, 2.5])) == (" 1.5000e-120\n  2.5000e+00\n"
                                       "[torch.DoubleTensor of size 2]\n")


def test_integer_values():
    assert str(D([[1, -2], [300, 0]])) == ("   1   -2\n 300    0\n[torch.DoubleTensor of size 2x2]\n")
    assert str(D([0, 0])) == " 0\n 0\n[torch.DoubleTensor of size 2]\n"
    # ten digits and more switch integers to '%11.4e'
    assert str(torch.LongTensor([12345678901, 1])) == (" 1.2346e+10\n 1.0000e+00\n"
                                                       "[torch.LongTensor of size 2]\n")
    assert str(torch.IntTensor([[7]])) == " 7\n[torch.IntTensor of size 1x1]\n"
    assert str(torch.CharTensor([-5, 3])) == "-5\n 3\n[torch.CharTensor of size 2]\n"
    assert str(torch.ShortTensor([999])) == " 999\n[torch.ShortTensor of size 1]\n"


def test_nan_and_inf():
    # a NaN makes min/max NaN: Torch7 falls back to a bare '%f' and never splits columns
    assert str(D([1.5, float("nan"), -2])) == ("1.500000\nnan\n-2.000000\n"
                                               "[torch.DoubleTensor of size 3]\n")
    assert str(D([[float("nan")] * 12])) == " ".join(["nan"] * 12) + "\n[torch.DoubleTensor of size 1x12]\n"
    # inf is integer-valued (ceil(inf) == inf) with infinitely many digits: '%11.4e'
    assert str(D([float("inf"), -1])) == ("        inf\n-1.0000e+00\n[torch.DoubleTensor of size 2]\n")
    # with a fraction elsewhere the exponent of inf is beyond 99: '%12.4e'
    assert str(D([float("-inf"), 0.5])) == ("        -inf\n  5.0000e-01\n[torch.DoubleTensor of size 2]\n")


def test_halfway_values_round_away_from_zero():
    # LuaJIT's string.format rounds exact ties away from zero (C printf would give 0.0312)
    assert str(D([0.03125, -0.03125, 1])) == (" 0.0313\n-0.0313\n 1.0000\n"
                                              "[torch.DoubleTensor of size 3]\n")
    assert str(D([12344.5, 0.001])) == " 1.2345e+04\n 1.0000e-03\n[torch.DoubleTensor of size 2]\n"
    assert str(torch.LongTensor([12344500000, 1])) == (" 1.2345e+10\n 1.0000e+00\n"
                                                       "[torch.LongTensor of size 2]\n")


def test_column_blocks():
    vals = np.arange(24).reshape(2, 12) % 9 + 0.25
    x = D(vals)
    # digits of max 8.25 -> 1 -> '%7.4f'; 80 // (7 + 1) = 10 columns per block
    row = lambda r, lo, hi: " ".join("%7.4f" % v for v in vals[r, lo:hi])
    expect = ("Columns 1 to 10\n" + row(0, 0, 10) + "\n" + row(1, 0, 10) + "\n\n"
              "Columns 11 to 12\n" + row(0, 10, 12) + "\n" + row(1, 10, 12) + "\n"
              "[torch.DoubleTensor of size 2x12]\n")
    assert str(x) == expect
    # inside a 3D print the indent of one space leaves 79 characters: 9 columns
    y = D(np.stack([vals[:, :10]] * 2))
    first = str(y).split("\n")
    assert first[:2] == ["(1,.,.) = ", " Columns 1 to 9"]
    assert first[5] == "Columns 10 to 10"


def test_3d_slices_first_index_fastest():
    x = D(np.arange(8).reshape(2, 2, 1, 2))
    assert str(x) == ("(1,1,.,.) = \n  0  1\n\n"
                      "(2,1,.,.) = \n  4  5\n\n"
                      "(1,2,.,.) = \n  2  3\n\n"
                      "(2,2,.,.) = \n  6  7\n"
                      "[torch.DoubleTensor of size 2x2x1x2]\n")


def test_views_and_size_one_dims():
    base = D(np.arange(6).reshape(2, 3) * 1.5)
    t = base.t()
    assert not t.isContiguous()
    assert str(t) == ref_tostring(t)
    assert str(t) == (" 0.0000  4.5000\n 1.5000  6.0000\n 3.0000  7.5000\n"
                      "[torch.DoubleTensor of size 3x2]\n")
    assert str(D([[2.5]])) == " 2.5000\n[torch.DoubleTensor of size 1x1]\n"
    assert str(D([[2.5, 3]]).t()) == " 2.5000\n 3.0000\n[torch.DoubleTensor of size 2x1]\n"
    # a narrowed view prints its own elements only
    assert str(D(np.arange(10.0)).narrow(0, 8, 2)) == " 8\n 9\n[torch.DoubleTensor of size 2]\n"


def test_storages():
    assert str(torch.DoubleStorage([1.5, -2, 0.25])) == (" 1.5000\n-2.0000\n 0.2500\n"
                                                          "[torch.DoubleStorage of size 3]\n")
    assert str(torch.DoubleStorage()) == "[torch.DoubleStorage of size 0]\n"
    assert str(torch.FloatStorage([1e-5, 3e-5])) == "1e-05 *\n 1.0000\n 3.0000\n[torch.FloatStorage of size 2]\n"
    assert str(torch.ByteStorage([255, 0])) == " 255\n   0\n[torch.ByteStorage of size 2]\n"
    assert str(D(np.zeros((2, 3))).size()) == " 2\n 3\n[torch.LongStorage of size 2]\n"


def test_empty_tensors():
    for cls in (torch.DoubleTensor, torch.FloatTensor, torch.LongTensor, torch.ByteTensor):
        assert str(cls()) == "[%s with no dimension]\n" % cls.typename


# -- against the scalar transcription ---------------------------------------------------------------

def _cases():
    rng = np.random.RandomState(7)
    yield D(rng.rand(3, 30))
    yield D(rng.randn(4, 9) * 1e-6)
    yield D(rng.randn(3, 5) * 1e7)
    yield D(rng.randn(2, 3, 4, 25))
    yield D(rng.rand(5, 40) * 1e-3)
    yield D(np.round(rng.randn(6, 7) * 1e4))
    yield D(rng.randint(-50, 50, (4, 4)) / 32.0)           # many exact halfway cases
    yield D(rng.randint(-500, 500, (3, 30)) / 64.0 * 1e-3)
    yield torch.FloatTensor(rng.randn(7, 11).astype(np.float32))
    yield torch.FloatTensor((rng.randint(0, 64, 20) / 64.0).astype(np.float32))
    yield torch.LongTensor(rng.randint(-10 ** 12, 10 ** 12, (3, 8)))
    yield torch.ByteTensor(rng.randint(0, 256, (2, 3, 30)).astype(np.uint8))
    yield D(rng.randn(3, 2, 12) * 1e5).transpose(0, 2)
    with_nan = rng.randn(3, 4)
    with_nan[1, 2] = np.nan
    yield D(with_nan)
    yield D([np.inf, -np.inf, 0.5, 1e-3])
    yield D([-0.0, 0.0, 1e-300, 5e-324])
    yield D([1e300, -1e-300])
    yield D([[0.1, 0.2, 0.3]]).expand(4, 3)


@pytest.mark.parametrize("t", list(_cases()), ids=lambda t: "x".join(map(str, t.shape)) + t.typename)
def test_matches_scalar_reference(t):
    assert str(t) == ref_tostring(t)


def test_halfway_sweep_matches_reference():
    # every multiple of 1/2**k lying on a 5-digit or 4-decimal boundary, in f and e modes
    ks = np.arange(1, 2000)
    for vals in (ks / 2.0 ** 9, ks / 2.0 ** 9 * 1e-4, ks * 5.0 ** 6 / 2.0 ** 3, -ks / 2.0 ** 15):
        t = D(vals)
        assert str(t) == ref_tostring(t)
        t = D(np.concatenate([vals, [1e9 + 0.5]]))      # force '%e'
        assert str(t) == ref_tostring(t)


def test_large_tensor_layout():
    # (its speed is measured in bench/bench_tensor.py, not here)
    x = D(np.random.RandomState(0).rand(1000, 1000))
    s = str(x)
    assert s.endswith("[torch.DoubleTensor of size 1000x1000]\n")
    # rand() spans more than four decades: '%11.4e', 80 // 12 = 6 columns, 167 blocks
    assert s.startswith("Columns 1 to 6\n")
    assert s.count("\n") == 167 * 1001 + 166 + 1
    assert len(s.split("\n")[1].split()) == 6
