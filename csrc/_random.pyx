# distutils: extra_compile_args = -ffp-contract=off
"""THRandom: Torch7's Mersenne Twister generator and its distributions, bit for bit.

The generator state is a C struct laid out exactly like TH's ``THGenerator`` on x86_64 (LP64):
the initial seed, ``left``, ``seeded``, ``next``, the 624 state words (each an 8-byte unsigned
long holding a 32-bit value), the cached Box-Muller values and ``normal_is_valid``: 5048 bytes.
``getRNGState`` hands those bytes out and ``setRNGState`` takes them back, so states move
between this library and a real Torch7 unchanged.

Every draw follows THRandom.c: one 32-bit MT output per uniform double (value / 2^32); normal
draws use Box-Muller and hand out the cosine branch first, caching the pair for the sine branch;
tensor fills draw in the tensor's row-major element order and cast each double to the element
type.  The arithmetic keeps TH's operation order (no FMA contraction: see the distutils line
above) and uses the C math library, as TH did, so results match to the last bit.

Fills take 1-D contiguous buffers; callers pass a scratch buffer for non-contiguous tensors and
check every argument before the GIL is released.
"""
from libc.math cimport log, sqrt, cos, sin, tan, exp, M_PI
from libc.stdint cimport uint8_t, int8_t, int16_t, int32_t, int64_t, uint64_t
from libc.string cimport memcpy, memset

cdef extern from *:
    """
    /* TH's THGenerator as compiled on x86_64 Linux (unsigned long = 8 bytes). */
    typedef struct {
        uint64_t the_initial_seed;
        int32_t left;
        int32_t seeded;
        uint64_t next;
        uint64_t state[624];
        double normal_x;
        double normal_y;
        double normal_rho;
        int32_t normal_is_valid;
    } pl_THGenerator;
    typedef char pl_THGenerator_is_5048_bytes[(sizeof(pl_THGenerator) == 5048) ? 1 : -1];
    """
    ctypedef struct pl_THGenerator:
        uint64_t the_initial_seed
        int32_t left
        int32_t seeded
        uint64_t next
        uint64_t state[624]
        double normal_x
        double normal_y
        double normal_rho
        int32_t normal_is_valid

ctypedef fused real:
    uint8_t
    int8_t
    int16_t
    int32_t
    int64_t
    float
    double

ctypedef fused floating:
    float
    double

DEF N = 624
DEF M = 397

STATE_SIZE = sizeof(pl_THGenerator)


# -- the Mersenne Twister (THRandom.c: manualSeed, nextState, random) ----------------------------

cdef inline uint64_t _twist(uint64_t u, uint64_t v) noexcept nogil:
    cdef uint64_t mix = (u & 0x80000000UL) | (v & 0x7fffffffUL)
    return (mix >> 1) ^ (0x9908b0dfUL if (v & 1UL) else 0UL)


cdef void _manual_seed(pl_THGenerator* g, uint64_t seed) noexcept nogil:
    cdef int j
    memset(g, 0, sizeof(pl_THGenerator))  # reseeding also forgets the cached normal pair
    g.the_initial_seed = seed
    g.state[0] = seed & 0xffffffffUL
    for j in range(1, N):
        g.state[j] = (1812433253UL * (g.state[j - 1] ^ (g.state[j - 1] >> 30)) + <uint64_t>j)
        g.state[j] &= 0xffffffffUL
    g.left = 1
    g.seeded = 1


cdef void _next_state(pl_THGenerator* g) noexcept nogil:
    cdef uint64_t* p = g.state
    cdef int j
    g.left = N
    g.next = 0
    for j in range(N - M):
        p[j] = p[j + M] ^ _twist(p[j], p[j + 1])
    for j in range(N - M, N - 1):
        p[j] = p[j + M - N] ^ _twist(p[j], p[j + 1])
    p[N - 1] = p[M - 1] ^ _twist(p[N - 1], p[0])


cdef inline void _guard(pl_THGenerator* g) noexcept nogil:
    # Valid states keep next + left <= 625.  Threads racing on one generator (fills run without
    # the GIL) could break that and send the next read past the state array: refill instead.
    if g.left <= 0 or g.next + <uint64_t>g.left > N + 1:
        g.left = 1


cdef inline uint64_t _temper(uint64_t y) noexcept nogil:
    y ^= (y >> 11)
    y ^= (y << 7) & 0x9d2c5680UL
    y ^= (y << 15) & 0xefc60000UL
    y ^= (y >> 18)
    return y


cdef inline uint64_t _random(pl_THGenerator* g) noexcept nogil:
    cdef uint64_t y
    _guard(g)
    g.left -= 1
    if g.left == 0:
        _next_state(g)
    y = g.state[g.next]
    g.next += 1
    return _temper(y)


cdef void _random_block(pl_THGenerator* g, uint64_t* buf, Py_ssize_t n) noexcept nogil:
    """n consecutive _random(g) outputs, with left/next kept in registers (fills are
    dominated by this loop)."""
    _guard(g)
    cdef int32_t left = g.left
    cdef uint64_t nxt = g.next
    cdef Py_ssize_t k
    for k in range(n):
        left -= 1
        if left == 0:
            _next_state(g)
            left = g.left
            nxt = g.next
        buf[k] = _temper(g.state[nxt])
        nxt += 1
    g.left = left
    g.next = nxt


DEF BLOCK = 512


# -- distributions (THRandom.c) -----------------------------------------------------------------

cdef inline double _uniform01(pl_THGenerator* g) noexcept nogil:
    return <double>_random(g) * (1.0 / 4294967296.0)


cdef inline double _uniform(pl_THGenerator* g, double a, double b) noexcept nogil:
    return _uniform01(g) * (b - a) + a


cdef inline double _normal(pl_THGenerator* g, double mean, double stdv) noexcept nogil:
    # Box-Muller: a fresh pair gives the cosine value, the cached pair the sine value
    if not g.normal_is_valid:
        g.normal_x = _uniform01(g)
        g.normal_y = _uniform01(g)
        g.normal_rho = sqrt(-2. * log(1.0 - g.normal_y))
        g.normal_is_valid = 1
    else:
        g.normal_is_valid = 0
    if g.normal_is_valid:
        return g.normal_rho * cos(2. * M_PI * g.normal_x) * stdv + mean
    return g.normal_rho * sin(2. * M_PI * g.normal_x) * stdv + mean


cdef inline double _exponential(pl_THGenerator* g, double lambd) noexcept nogil:
    return (-1. / lambd) * log(1 - _uniform01(g))


cdef inline double _cauchy(pl_THGenerator* g, double median, double sigma) noexcept nogil:
    return median + sigma * tan(M_PI * (_uniform01(g) - 0.5))


cdef inline int _geometric(pl_THGenerator* g, double p) noexcept nogil:
    return <int>(log(1 - _uniform01(g)) / log(p)) + 1


cdef inline int _bernoulli(pl_THGenerator* g, double p) noexcept nogil:
    return _uniform01(g) <= p


# -- the generator object -----------------------------------------------------------------------


cdef enum Draw:
    DRAW_NORMAL, DRAW_EXPONENTIAL, DRAW_CAUCHY, DRAW_LOG_NORMAL


cdef void _fill_draws(pl_THGenerator* g, floating[::1] out, Draw kind, double a, double b) noexcept nogil:
    """out[i] = one THRandom draw of `kind` with parameters (a, b), in element order."""
    cdef Py_ssize_t i, n = out.shape[0]
    for i in range(n):
        if kind == DRAW_NORMAL:
            out[i] = <floating>_normal(g, a, b)
        elif kind == DRAW_EXPONENTIAL:
            out[i] = <floating>_exponential(g, a)
        elif kind == DRAW_CAUCHY:
            out[i] = <floating>_cauchy(g, a, b)
        else:
            out[i] = <floating>exp(_normal(g, a, b))


cdef class MTGenerator:
    """A THGenerator.  New objects are unseeded (as THGenerator_newUnseeded); seed them."""
    cdef pl_THGenerator g

    def __cinit__(self):
        memset(&self.g, 0, sizeof(pl_THGenerator))
        self.g.left = 1

    # state ------------------------------------------------------------------------------------
    def _manual_seed(self, uint64_t seed):
        _manual_seed(&self.g, seed)

    def _initial_seed(self):
        return self.g.the_initial_seed

    def _get_state(self, uint8_t[::1] out):
        """Copy the 5048 state bytes into out."""
        if out.shape[0] != sizeof(pl_THGenerator):
            raise ValueError("RNG state is wrong size")
        memcpy(&out[0], &self.g, sizeof(pl_THGenerator))

    def _set_state(self, const uint8_t[::1] src):
        """Load 5048 state bytes; returns False (loading nothing) for a state TH calls invalid."""
        cdef pl_THGenerator tmp
        if src.shape[0] != sizeof(pl_THGenerator):
            raise ValueError("RNG state is wrong size")
        memcpy(&tmp, &src[0], sizeof(pl_THGenerator))
        # THGenerator_isValid, plus: the next draws must stay inside the state array
        if not (tmp.seeded == 1 and 0 < tmp.left <= N and tmp.next <= N
                and tmp.next + <uint64_t>tmp.left <= N + 1):
            return False
        memcpy(&self.g, &tmp, sizeof(pl_THGenerator))
        return True

    def _copy_from(self, MTGenerator other):
        memcpy(&self.g, &other.g, sizeof(pl_THGenerator))

    # single draws -----------------------------------------------------------------------------
    def _random(self):
        return _random(&self.g)

    def _uniform(self, double a, double b):
        return _uniform(&self.g, a, b)

    def _normal(self, double mean, double stdv):
        return _normal(&self.g, mean, stdv)

    def _exponential(self, double lambd):
        return _exponential(&self.g, lambd)

    def _cauchy(self, double median, double sigma):
        return _cauchy(&self.g, median, sigma)

    def _log_normal(self, double mean, double stdv):
        return exp(_normal(&self.g, mean, stdv))

    def _geometric(self, double p):
        return _geometric(&self.g, p)

    def _bernoulli(self, double p):
        return _bernoulli(&self.g, p)

    # tensor fills (THTensorRandom.c), in element order ---------------------------------------
    def _fill_uniform(self, floating[::1] out, double a, double b):
        cdef Py_ssize_t i, k, m, n = out.shape[0]
        cdef pl_THGenerator* g = &self.g
        cdef uint64_t buf[BLOCK]
        cdef floating* o
        if n == 0:
            return
        o = &out[0]
        with nogil:
            for i in range(0, n, BLOCK):
                m = min(BLOCK, n - i)
                _random_block(g, buf, m)
                for k in range(m):  # THRandom_uniform on each output
                    o[i + k] = <floating>((<double>buf[k] * (1.0 / 4294967296.0)) * (b - a) + a)

    # normal / exponential / cauchy / logNormal share one loop (its switch on the draw kind is
    # the same for every element, so the branch predicts perfectly)
    def _fill_normal(self, floating[::1] out, double mean, double stdv):
        cdef pl_THGenerator* g = &self.g
        with nogil:
            _fill_draws(g, out, DRAW_NORMAL, mean, stdv)

    def _fill_exponential(self, floating[::1] out, double lambd):
        cdef pl_THGenerator* g = &self.g
        with nogil:
            _fill_draws(g, out, DRAW_EXPONENTIAL, lambd, 0)

    def _fill_cauchy(self, floating[::1] out, double median, double sigma):
        cdef pl_THGenerator* g = &self.g
        with nogil:
            _fill_draws(g, out, DRAW_CAUCHY, median, sigma)

    def _fill_log_normal(self, floating[::1] out, double mean, double stdv):
        cdef pl_THGenerator* g = &self.g
        with nogil:
            _fill_draws(g, out, DRAW_LOG_NORMAL, mean, stdv)

    def _fill_geometric(self, real[::1] out, double p):
        cdef Py_ssize_t i, n = out.shape[0]
        cdef pl_THGenerator* g = &self.g
        with nogil:
            for i in range(n):
                out[i] = <real>_geometric(g, p)

    def _fill_bernoulli(self, real[::1] out, double p):
        cdef Py_ssize_t i, k, m, n = out.shape[0]
        cdef pl_THGenerator* g = &self.g
        cdef uint64_t buf[BLOCK]
        cdef real* o
        if n == 0:
            return
        o = &out[0]
        with nogil:
            for i in range(0, n, BLOCK):
                m = min(BLOCK, n - i)
                _random_block(g, buf, m)
                for k in range(m):  # THRandom_bernoulli on each output
                    o[i + k] = <real>(<double>buf[k] * (1.0 / 4294967296.0) <= p)

    def _fill_bernoulli_probs(self, real[::1] out, const double[::1] probs):
        """Draw out[i] with probability probs[i]; stop at the first p outside [0, 1] and
        return its position (TH checks each p as it goes), or -1 when all were drawn."""
        cdef Py_ssize_t i, n = out.shape[0]
        cdef Py_ssize_t bad = -1
        cdef pl_THGenerator* g = &self.g
        cdef double p
        if probs.shape[0] != n:
            raise ValueError("inconsistent tensor size")
        with nogil:
            for i in range(n):
                p = probs[i]
                if not (p >= 0 and p <= 1):
                    bad = i
                    break
                out[i] = <real>_bernoulli(g, p)
        return bad

    def _fill_random(self, real[::1] out):
        """x:random(): each type keeps the MT output modulo its own range, as TH does."""
        cdef Py_ssize_t i, k, m, n = out.shape[0]
        cdef pl_THGenerator* g = &self.g
        cdef uint64_t buf[BLOCK]
        cdef real* o
        if n == 0:
            return
        o = &out[0]
        with nogil:
            for i in range(0, n, BLOCK):
                m = min(BLOCK, n - i)
                _random_block(g, buf, m)
                for k in range(m):
                    if real is uint8_t:
                        o[i + k] = <uint8_t>(buf[k] % 256UL)
                    elif real is int8_t:
                        o[i + k] = <int8_t>(buf[k] % 128UL)
                    elif real is int16_t:
                        o[i + k] = <int16_t>(buf[k] % 32768UL)
                    elif real is int32_t:
                        o[i + k] = <int32_t>(buf[k] % 2147483648UL)
                    elif real is int64_t:
                        o[i + k] = <int64_t>(buf[k] % 9223372036854775808UL)
                    elif real is float:
                        o[i + k] = <float>(buf[k] % 16777217UL)
                    else:
                        o[i + k] = <double>(buf[k] % 9007199254740993UL)

    def _fill_random_mod(self, real[::1] out, uint64_t modulus, uint64_t offset):
        """out[i] = (real)(random % modulus + offset), in TH's unsigned long arithmetic."""
        cdef Py_ssize_t i, k, m, n = out.shape[0]
        cdef pl_THGenerator* g = &self.g
        cdef uint64_t buf[BLOCK]
        cdef real* o
        if modulus == 0:
            raise ValueError("modulus must be positive")
        if n == 0:
            return
        o = &out[0]
        with nogil:
            for i in range(0, n, BLOCK):
                m = min(BLOCK, n - i)
                _random_block(g, buf, m)
                for k in range(m):
                    o[i + k] = <real>(buf[k] % modulus + offset)

    def _randperm(self, int64_t[::1] out):
        """THTensor_(randperm) on 0..n-1: Fisher-Yates forwards, one MT output per step."""
        cdef int64_t i, z, t, n = out.shape[0]
        cdef pl_THGenerator* g = &self.g
        with nogil:
            for i in range(n):
                out[i] = i
            for i in range(n - 1):
                z = <int64_t>(_random(g) % <uint64_t>(n - i))
                t = out[i]
                out[i] = out[z + i]
                out[z + i] = t

    def _multinomial(self, const double[:, ::1] probs, int64_t[:, ::1] out, bint replacement):
        """THTensor_(multinomial): per row, a normalised cumulative distribution searched by
        bisection for each uniform draw; without replacement the drawn mass is taken out.
        Returns -1, or the first row whose probabilities do not sum to a positive number
        (rows before it are drawn, as in TH)."""
        cdef Py_ssize_t n_dist = probs.shape[0], n_cat = probs.shape[1]
        cdef Py_ssize_t n_sample = out.shape[1]
        cdef Py_ssize_t i, j, k
        cdef Py_ssize_t bad = -1
        cdef int left, right, mid, idx
        cdef double s, u, diff, new_val
        cdef double[::1] cum
        cdef pl_THGenerator* g = &self.g
        import numpy as np
        if out.shape[0] != n_dist or n_cat <= 0:
            raise ValueError("multinomial: bad shapes")
        cum = np.empty(n_cat, dtype=np.float64)
        with nogil:
            for i in range(n_dist):
                s = 0
                for j in range(n_cat):
                    s += probs[i, j]
                    cum[j] = s
                if not (s > 0):
                    bad = i
                    break
                for j in range(n_cat):
                    cum[j] /= s
                for j in range(n_sample):
                    u = _uniform(g, 0, 1)
                    cum[n_cat - 1] = 1
                    left = 0
                    right = <int>n_cat
                    while right - left > 0:
                        mid = left + (right - left) // 2
                        if cum[mid] < u:
                            left = mid + 1
                        else:
                            right = mid
                    idx = left
                    out[i, j] = idx
                    if not replacement:
                        new_val = cum[idx - 1] if idx != 0 else 0
                        diff = cum[idx] - new_val
                        s = 1.0 - diff
                        for k in range(n_cat):
                            new_val = cum[k]
                            if k >= idx:
                                new_val -= diff
                            new_val /= s
                            cum[k] = new_val
        return bad
