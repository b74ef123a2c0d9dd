"""Torch7's random number generators (torch7 doc/random.md): ``torch.Generator`` and seeding.

A ``Generator`` holds TH's Mersenne Twister state (``THGenerator``) in a Cython struct with the
exact byte layout of Torch7 on x86_64, so ``getRNGState`` returns the same 5048-byte ByteTensor
a real Torch7 returns and ``setRNGState`` accepts one from it.  One global generator serves every
function called without a generator; like Torch7's, it starts from a seed read from the OS.

The drawing functions (``torch.random``, ``uniform``, ``normal``, ..., ``rand``, ``randn``,
``randperm``, ``multinomial`` and the tensor methods) are declared in ``ops/random_ops.py``.

Seeds are C ``long`` values as in Torch7: ``manualSeed`` takes any integer in
[-2**63, 2**64) (floats are truncated, as Lua's number-to-long cast does) and ``initialSeed``
/ ``seed`` return the signed 64-bit value.
"""
import os

import numpy as np

from . import _decl
from ._random import MTGenerator, STATE_SIZE
from .errors import TorchTypeError, TorchValueError

_U64 = (1 << 64) - 1


class Generator(MTGenerator):
    """torch.Generator(): an independent random stream, seeded from the OS like Torch7's."""
    typename = "torch.Generator"

    def __init__(self):
        self._manual_seed(_urandom_seed())

    def __repr__(self):
        return "torch.Generator (initial seed %d)" % _signed(self._initial_seed())

    # Torch7 serialises a generator as its raw THGenerator bytes (Generator.c write/read).
    def write_raw(self):
        """The 5048 THGenerator bytes, as torch.save writes them."""
        out = np.empty(STATE_SIZE, np.uint8)
        self._get_state(out)
        return out.tobytes()

    def read_raw(self, data):
        """Load THGenerator bytes as torch.load reads them."""
        arr = np.frombuffer(bytes(data), dtype=np.uint8)
        if arr.shape[0] != STATE_SIZE:
            raise TorchValueError("Generator: expected %d state bytes, got %d" % (STATE_SIZE, arr.shape[0]))
        if not self._set_state(arr):
            raise TorchValueError("Generator: invalid THGenerator state")
        return self

    def __reduce__(self):
        return (_generator_from_bytes, (self.write_raw(),))

    def __copy__(self):
        g = Generator.__new__(Generator)
        g._copy_from(self)
        return g

    def __deepcopy__(self, memo):
        return self.__copy__()


def _generator_from_bytes(data):
    g = Generator.__new__(Generator)
    g.read_raw(data)
    return g


def _urandom_seed():
    return int.from_bytes(os.urandom(8), "little")


def _signed(v):
    return v - (1 << 64) if v >= (1 << 63) else v


def _as_seed(s):
    """A Lua number as the C long Torch7 passes to THRandom_manualSeed, as an unsigned long."""
    if isinstance(s, bool) or not isinstance(s, (int, float, np.integer, np.floating)):
        raise TorchTypeError("manualSeed: expected a number, got %s" % type(s).__name__)
    if isinstance(s, (float, np.floating)):
        if not np.isfinite(s):
            raise TorchValueError("manualSeed: the seed must be finite, got %r" % (s,))
        s = int(s)  # truncation toward zero, as a C cast
    s = int(s)
    if not -(1 << 63) <= s <= _U64:
        raise TorchValueError("manualSeed: seed %d does not fit in 64 bits" % s)
    return s & _U64


_default = Generator()
_decl._GEN = Generator


def default_generator():
    """The global generator (Torch7's torch._gen)."""
    return _default


def _split_gen(args, name):
    if args and type(args[0]) is Generator:
        return args[0], args[1:]
    if args and isinstance(args[0], MTGenerator):
        raise TorchTypeError("%s: expected a torch.Generator" % name)
    return _default, args


def seed(gen=None):
    """Reseed from /dev/urandom (the OS's random source); returns the seed."""
    g = _default if gen is None else _check_gen(gen, "seed")
    s = _urandom_seed()
    g._manual_seed(s)
    return _signed(s)


def manualSeed(*args):
    """manualSeed([gen,] s): restart the stream from seed s (also forgets a cached normal)."""
    g, rest = _split_gen(args, "manualSeed")
    if len(rest) != 1:
        raise TorchTypeError("invalid arguments to manualSeed: expected ([Generator,] number)")
    g._manual_seed(_as_seed(rest[0]))


def initialSeed(gen=None):
    g = _default if gen is None else _check_gen(gen, "initialSeed")
    return _signed(g._initial_seed())


def getRNGState(*args):
    """getRNGState([gen] [, state]): the generator's THGenerator bytes in a ByteTensor
    (written into `state`, resized, when one is given)."""
    from .tensor import ByteTensor
    g, rest = _split_gen(args, "getRNGState")
    if len(rest) > 1 or (rest and type(rest[0]) is not ByteTensor):
        raise TorchTypeError("invalid arguments to getRNGState: expected ([Generator] [, ByteTensor])")
    out = rest[0] if rest else ByteTensor()
    out.resize(STATE_SIZE)
    if not out.isContiguous():
        raise TorchValueError("RNG state needs to be contiguous")
    g._get_state(out._a)
    return out


def setRNGState(*args):
    """setRNGState([gen,] state): restore a state from getRNGState (or from a real Torch7)."""
    from .tensor import ByteTensor
    g, rest = _split_gen(args, "setRNGState")
    if len(rest) != 1 or type(rest[0]) is not ByteTensor:
        raise TorchTypeError("invalid arguments to setRNGState: expected ([Generator,] ByteTensor)")
    st = rest[0]
    if st.nElement() != STATE_SIZE:
        raise TorchValueError("RNG state is wrong size (%d bytes, expected %d)" % (st.nElement(), STATE_SIZE))
    if not st.isContiguous():
        raise TorchValueError("RNG state needs to be contiguous")
    if not g._set_state(np.ascontiguousarray(st._a).reshape(-1)):
        raise TorchValueError("Invalid RNG state")
    return st


def _check_gen(gen, name):
    if type(gen) is not Generator:
        raise TorchTypeError("%s: expected a torch.Generator, got %s" % (name, type(gen).__name__))
    return gen


__all__ = ["Generator", "seed", "manualSeed", "initialSeed", "getRNGState", "setRNGState",
           "default_generator"]
